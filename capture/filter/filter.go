package filter

import (
	"bytes"
	"regexp"
	"strings"
)

// Filter is a compiled filter: a display filter (Compile) or a capture filter
// (CompileCapture), both in the same predicate form. Everything a filter needs
// (literals, regular expressions, sets, address masks) is prepared at compile
// time, so Match neither parses nor allocates once its scratch buffers have grown
// to the size of the records it sees.
//
// A Filter is not safe for concurrent use: Match reuses scratch buffers held in
// the Filter. Give each goroutine its own copy with Clone.
type Filter struct {
	root   node
	text   string   // the expression as written
	fields []*Field // referenced fields, in order of first use
	nslot  int      // number of operands with their own scratch buffer
	bufs   [][]Value
	bytes  [][]byte

	capture *capProg // a capture filter's programs, one per link type
	pf      pframe   // its scratch frame
}

// Match reports whether the record satisfies the filter.
func (f *Filter) Match(r Record) bool {
	return f.root.eval(f, r)
}

// Clone returns a Filter that shares f's compiled (read-only) form and has its own
// scratch buffers, for use on another goroutine.
func (f *Filter) Clone() *Filter {
	return &Filter{
		root:   f.root,
		text:   f.text,
		fields: f.fields,
		nslot:  f.nslot,
		bufs:   make([][]Value, f.nslot),
		bytes:  make([][]byte, f.nslot),

		capture: f.capture,
	}
}

// String returns a display filter in display-filter syntax, normalised:
// operators in their symbolic form, and parentheses only where precedence needs
// them. A capture filter, which tests bytes as tcpdump does and has no display
// filter equivalent, is returned as written (without surrounding space).
func (f *Filter) String() string {
	if f.capture != nil {
		return strings.TrimSpace(f.text)
	}
	var b strings.Builder
	f.root.format(&b, 0)
	return b.String()
}

// Fields returns the fields the filter references, in order of first use, so a
// decoder can skip work no filter needs. The slice must not be modified.
func (f *Filter) Fields() []*Field { return f.fields }

// Expr returns the expression the filter was compiled from.
func (f *Filter) Expr() string { return f.text }

// node is one predicate of the compiled tree.
type node interface {
	eval(f *Filter, r Record) bool
	// format writes the node in display-filter syntax; prec is the binding
	// strength of the context (0 = none), so a node adds parentheses when it binds
	// more loosely.
	format(b *strings.Builder, prec int)
}

const (
	precOr = 1 + iota
	precXor
	precAnd
	precNot
)

type andNode struct{ a, b node }
type orNode struct{ a, b node }
type xorNode struct{ a, b node }
type notNode struct{ a node }
type constNode bool

func (n *andNode) eval(f *Filter, r Record) bool { return n.a.eval(f, r) && n.b.eval(f, r) }
func (n *orNode) eval(f *Filter, r Record) bool  { return n.a.eval(f, r) || n.b.eval(f, r) }
func (n *xorNode) eval(f *Filter, r Record) bool { return n.a.eval(f, r) != n.b.eval(f, r) }
func (n *notNode) eval(f *Filter, r Record) bool { return !n.a.eval(f, r) }
func (n constNode) eval(*Filter, Record) bool    { return bool(n) }

func binFormat(b *strings.Builder, prec, my int, op string, x, y node) {
	if prec > my {
		b.WriteByte('(')
	}
	x.format(b, my)
	b.WriteString(op)
	// && || ^^ are associative, so a right operand of equal strength needs no
	// parentheses either.
	y.format(b, my)
	if prec > my {
		b.WriteByte(')')
	}
}

func (n *andNode) format(b *strings.Builder, prec int) { binFormat(b, prec, precAnd, " && ", n.a, n.b) }
func (n *orNode) format(b *strings.Builder, prec int)  { binFormat(b, prec, precOr, " || ", n.a, n.b) }
func (n *xorNode) format(b *strings.Builder, prec int) { binFormat(b, prec, precXor, " ^^ ", n.a, n.b) }
func (n *notNode) format(b *strings.Builder, prec int) {
	b.WriteByte('!')
	n.a.format(b, precNot)
}
func (n constNode) format(b *strings.Builder, prec int) {
	// Only an empty capture filter compiles to a constant: it matches everything
	// and is written as nothing.
	if !n {
		b.WriteString("frame && !frame")
	}
}

// operand is a field reference with optional transforms: a byte slice, a bitwise
// and, or len(). Each operand owns a scratch slot in the Filter.
type operand struct {
	field  *Field
	slot   int
	typ    Type // type of the values after the transforms
	sl     *sliceSpec
	masked bool
	mask   uint64
	length bool
	count  bool // count(field): one value, the number of occurrences (none when absent)
	raw    bool // frame as bytes: the record's RawFrame
	proto  bool // another protocol as bytes: the record's ProtocolBytes
	whole  bool // with proto: to the end of what the protocol carries
	layer  int  // N > 0: only the Nth occurrence (field#N)
	text   string
}

// sliceSpec is a byte range: start (negative counts from the end) and n bytes, or
// to the end when toEnd.
type sliceSpec struct {
	start, n int
	toEnd    bool
}

func (s *sliceSpec) apply(b []byte) ([]byte, bool) {
	i := s.start
	if i < 0 {
		i += len(b)
	}
	if i < 0 || i > len(b) {
		return nil, false
	}
	if s.toEnd {
		return b[i:], true
	}
	if s.n > len(b)-i {
		return nil, false
	}
	return b[i : i+s.n], true
}

// rawBytes returns the bytes of an IPv4 or Ethernet value in buf, or v.B for the
// byte-backed types.
func rawBytes(t Type, v Value, buf []byte) []byte {
	switch t {
	case IPv4:
		buf = buf[:4]
		for i := 0; i < 4; i++ {
			buf[i] = byte(v.N >> (24 - 8*i))
		}
		return buf
	case Ether:
		buf = buf[:6]
		for i := 0; i < 6; i++ {
			buf[i] = byte(v.N >> (40 - 8*i))
		}
		return buf
	}
	return v.B
}

func (o *operand) values(f *Filter, r Record) []Value {
	var vs []Value
	if o.raw {
		vs = f.bufs[o.slot][:0]
		if rr, ok := r.(Raw); ok {
			data, _, _ := rr.RawFrame()
			vs = append(vs, Value{B: data})
		}
	} else if o.proto {
		vs = f.bufs[o.slot][:0]
		if pr, ok := r.(Protocols); ok {
			vs = pr.ProtocolBytes(vs, o.field, o.whole)
		}
	} else if o.layer > 0 && isLayered(r) {
		var layered bool
		vs, layered = r.(Layered).LayerValues(f.bufs[o.slot][:0], o.field, o.layer)
		f.bufs[o.slot] = vs
		if layered {
			return o.transform(f, vs)
		}
		vs = r.Values(vs[:0], o.field)
	} else {
		vs = r.Values(f.bufs[o.slot][:0], o.field)
	}
	if o.count && len(vs) > 0 {
		n := uint64(len(vs))
		vs = append(vs[:0], Value{N: n})
		f.bufs[o.slot] = vs
		return vs
	}
	f.bufs[o.slot] = vs
	if o.layer > 0 {
		if len(vs) < o.layer {
			return vs[:0]
		}
		vs = vs[o.layer-1 : o.layer]
	}
	return o.transform(f, vs)
}

func isLayered(r Record) bool {
	_, ok := r.(Layered)
	return ok
}

// transform applies the operand's slice, mask or length to its values.
func (o *operand) transform(f *Filter, vs []Value) []Value {
	if o.sl == nil && !o.masked && !o.length {
		return vs
	}
	ft := o.field.Type
	var scratch []byte
	if o.sl != nil && (ft == IPv4 || ft == Ether) {
		need := 8 * len(vs)
		if cap(f.bytes[o.slot]) < need {
			f.bytes[o.slot] = make([]byte, need)
		}
		scratch = f.bytes[o.slot][:need]
	}
	n := 0
	for i, v := range vs {
		switch {
		case o.length:
			switch ft {
			case IPv4:
				v = Value{N: 4}
			case Ether:
				v = Value{N: 6}
			default:
				v = Value{N: uint64(len(v.B))}
			}
		case o.masked:
			v.N &= o.mask
		case o.sl != nil:
			var b []byte
			if scratch != nil {
				b = rawBytes(ft, v, scratch[8*i:8*i+8])
			} else {
				b = v.B
			}
			s, ok := o.sl.apply(b)
			if !ok {
				continue
			}
			v = Value{B: s}
		}
		vs[n] = v
		n++
	}
	return vs[:n]
}

// presentNode is a bare field: true when it occurs (after a slice, when the slice
// fits); with a bitwise and, when some occurrence is non-zero.
type presentNode struct{ o *operand }

func (n *presentNode) eval(f *Filter, r Record) bool {
	vs := n.o.values(f, r)
	if !n.o.masked {
		return len(vs) > 0
	}
	for _, v := range vs {
		if v.N != 0 {
			return true
		}
	}
	return false
}

func (n *presentNode) format(b *strings.Builder, prec int) { b.WriteString(n.o.text) }

// quant says how the per-occurrence results of a comparison combine.
type quant uint8

const (
	qAny    quant = iota // some occurrence satisfies (==, <, contains, in, ...)
	qAll                 // every occurrence satisfies (===)
	qAnyNot              // some occurrence fails (!==)
	qNone                // no occurrence satisfies (!=)
)

// cmpNode compares a field's occurrences with a compiled literal. An absent field
// makes every comparison false.
type cmpNode struct {
	o    *operand
	q    quant
	p    pred
	op   string // as formatted
	text string // the right-hand side as formatted
}

func (n *cmpNode) eval(f *Filter, r Record) bool {
	vs := n.o.values(f, r)
	if len(vs) == 0 {
		return false
	}
	return quantify(n.q, vs, n.p)
}

func quantify(q quant, vs []Value, p pred) bool {
	switch q {
	case qAny:
		for i := range vs {
			if p.test(&vs[i]) {
				return true
			}
		}
		return false
	case qAll:
		for i := range vs {
			if !p.test(&vs[i]) {
				return false
			}
		}
		return true
	case qAnyNot:
		for i := range vs {
			if !p.test(&vs[i]) {
				return true
			}
		}
		return false
	default: // qNone
		for i := range vs {
			if p.test(&vs[i]) {
				return false
			}
		}
		return true
	}
}

func (n *cmpNode) format(b *strings.Builder, prec int) {
	b.WriteString(n.o.text)
	b.WriteByte(' ')
	b.WriteString(n.op)
	b.WriteByte(' ')
	b.WriteString(n.text)
}

// pairNode compares two fields: occurrences are paired every way, and the
// quantifier applies over the pairs (ip.src == ip.dst holds when some source
// equals some destination).
type pairNode struct {
	a, b *operand
	q    quant
	op   cmpOp
	t    Type
	sym  string
}

func (n *pairNode) eval(f *Filter, r Record) bool {
	as := n.a.values(f, r)
	if len(as) == 0 {
		return false
	}
	bs := n.b.values(f, r)
	if len(bs) == 0 {
		return false
	}
	for i := range as {
		for j := range bs {
			var ok bool
			if n.op == opContains {
				ok = bytes.Contains(as[i].B, bs[j].B)
			} else {
				ok = n.op.holds(compare(n.t, &as[i], &bs[j]))
			}
			switch n.q {
			case qAny:
				if ok {
					return true
				}
			case qAll:
				if !ok {
					return false
				}
			case qAnyNot:
				if !ok {
					return true
				}
			case qNone:
				if ok {
					return false
				}
			}
		}
	}
	return n.q == qAll || n.q == qNone
}

func (n *pairNode) format(b *strings.Builder, prec int) {
	b.WriteString(n.a.text)
	b.WriteByte(' ')
	b.WriteString(n.sym)
	b.WriteByte(' ')
	b.WriteString(n.b.text)
}

// cmpOp is an ordering test on the result of compare.
type cmpOp uint8

const (
	opEq cmpOp = iota
	opLt
	opLe
	opGt
	opGe
	opContains // pairNode only
)

func (op cmpOp) holds(c int) bool {
	switch op {
	case opEq:
		return c == 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	}
	return false
}

// compare orders two values of type t.
func compare(t Type, a, b *Value) int {
	switch t {
	case Int:
		x, y := int64(a.N), int64(b.N)
		if x < y {
			return -1
		} else if x > y {
			return 1
		}
		return 0
	case Float:
		if a.F < b.F {
			return -1
		} else if a.F > b.F {
			return 1
		}
		return 0
	case Bytes, OID:
		// Wireshark 4.0 orders byte strings by length first, then bytes:
		// 1.3.6.1.2.1.1.1.0 is after 1.3.6.1.4.
		if len(a.B) != len(b.B) {
			if len(a.B) < len(b.B) {
				return -1
			}
			return 1
		}
		return bytes.Compare(a.B, b.B)
	case IPv6, String:
		return bytes.Compare(a.B, b.B)
	default:
		if a.N < b.N {
			return -1
		} else if a.N > b.N {
			return 1
		}
		return 0
	}
}

// pred tests one occurrence.
type pred interface {
	test(v *Value) bool
}

// litPred compares with a literal of the operand's type.
type litPred struct {
	t   Type
	op  cmpOp
	lit Value
}

func (p *litPred) test(v *Value) bool { return p.op.holds(compare(p.t, v, &p.lit)) }

// v4NetPred holds when the address is inside net/mask.
type v4NetPred struct{ net, mask uint64 }

func (p *v4NetPred) test(v *Value) bool { return v.N&p.mask == p.net }

// v6NetPred holds when the first bits bits of the address equal those of net.
type v6NetPred struct {
	net  [16]byte
	bits int
}

func (p *v6NetPred) test(v *Value) bool {
	if len(v.B) != 16 {
		return false
	}
	full := p.bits / 8
	if !bytes.Equal(v.B[:full], p.net[:full]) {
		return false
	}
	if rem := p.bits % 8; rem != 0 {
		m := byte(0xff << (8 - rem))
		return v.B[full]&m == p.net[full]&m
	}
	return true
}

type containsPred struct{ sub []byte }

func (p *containsPred) test(v *Value) bool { return bytes.Contains(v.B, p.sub) }

// regexPred matches byte by byte, as tshark 4.0's PCRE2 does (it compiles
// without PCRE2_UTF): "." is one byte, so a U+FFFD a string field holds is
// three, and \xef is the byte 0xef. Go's regexp reads UTF-8, so the
// pattern and a value with bytes 0x80-0xff are read as Latin-1 (each byte
// one rune) on both sides. (One difference is left: (?i) folds Latin-1
// letters, é with É, where PCRE2's default tables fold ASCII only.)
type regexPred struct{ re *regexp.Regexp }

func (p *regexPred) test(v *Value) bool {
	for _, c := range v.B {
		if c >= 0x80 {
			return p.re.MatchString(latin1(string(v.B)))
		}
	}
	return p.re.Match(v.B)
}

// latin1 returns s with every byte 0x80-0xff made the rune of that number
// (its UTF-8, two bytes).
func latin1(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 {
			b = append(b, 0xc0|c>>6, 0x80|c&0x3f)
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

// rangePred holds for lo <= v <= hi.
type rangePred struct {
	t      Type
	lo, hi Value
}

func (p *rangePred) test(v *Value) bool {
	return compare(p.t, v, &p.lo) >= 0 && compare(p.t, v, &p.hi) <= 0
}

// constPred holds always or never (a number an unsigned field cannot hold).
type constPred bool

func (p constPred) test(v *Value) bool { return bool(p) }

// setPred holds when any member holds.
type setPred []pred

func (p setPred) test(v *Value) bool {
	for _, m := range p {
		if m.test(v) {
			return true
		}
	}
	return false
}
