package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
)

// maxDepth bounds nesting (parentheses, not) so hostile input cannot exhaust the
// stack.
const maxDepth = 200

// maxLen bounds a filter's length; no real filter comes near it, and it keeps
// hostile input from building huge predicate trees.
const maxLen = 64 << 10

func checkLen(expr string) {
	if len(expr) > maxLen {
		fail(expr, maxLen, "the filter is too long (%d bytes; the limit is %d)", len(expr), maxLen)
	}
}

// Compile compiles a Wireshark display filter over the fields of reg.
//
// The language is Wireshark 4's: comparisons (== != < <= > >= and eq ne lt le gt
// ge, === and !== for all/any occurrences), contains, matches (~), in {set},
// bitwise &, byte slices [i:j], len(field), a bare field as a presence test, and
// && || ^^ ! (and or xor not) with parentheses. Literals are read according to the
// type of the field they are compared with. See Operators for the full list.
//
// A compile error is an *Error.
func Compile(expr string, reg Registry) (f *Filter, err error) {
	defer catch(&err)
	if reg == nil {
		return nil, &Error{Filter: expr, Msg: "no field registry"}
	}
	checkLen(expr)
	p := &dparser{src: expr, reg: reg, f: &Filter{text: expr}}
	p.toks = lexDisplay(expr)
	if p.peek().kind == tEOF {
		fail(expr, 0, "the filter is empty")
	}
	p.f.root = p.parseOr()
	if t := p.peek(); t.kind != tEOF {
		p.unexpected(t, "")
	}
	p.f.finish()
	return p.f, nil
}

func (f *Filter) finish() {
	f.bufs = make([][]Value, f.nslot)
	f.bytes = make([][]byte, f.nslot)
}

// newOperand gives a field reference its own scratch slot.
func (f *Filter) newOperand(fld *Field, text string) *operand {
	o := &operand{field: fld, slot: f.nslot, typ: fld.Type, text: text}
	f.nslot++
	for _, g := range f.fields {
		if g == fld {
			return o
		}
	}
	f.fields = append(f.fields, fld)
	return o
}

type dparser struct {
	cursor
	src   string
	reg   Registry
	f     *Filter
	depth int
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "the end of the filter"
	case tString:
		return "string " + quoteC(t.text)
	case tSlice:
		return fmt.Sprintf("%q", "["+t.text+"]")
	}
	return fmt.Sprintf("%q", t.text)
}

func (p *dparser) unexpected(t token, want string) {
	if want != "" {
		fail(p.src, t.pos, "expected %s, found %s", want, describe(t))
	}
	if t.kind == tRParen {
		fail(p.src, t.pos, "%q has no matching %q", ")", "(")
	}
	fail(p.src, t.pos, "unexpected %s (a test ends here; combine tests with && or ||)", describe(t))
}

func (p *dparser) enter(t token) {
	p.depth++
	if p.depth > maxDepth {
		fail(p.src, t.pos, "the filter is nested too deeply (more than %d levels)", maxDepth)
	}
}

func (p *dparser) parseOr() node {
	n := p.parseXor()
	for p.is("||", "or") {
		p.next()
		n = &orNode{n, p.parseXor()}
	}
	return n
}

func (p *dparser) parseXor() node {
	n := p.parseAnd()
	for p.is("^^", "xor") {
		p.next()
		n = &xorNode{n, p.parseAnd()}
	}
	return n
}

func (p *dparser) parseAnd() node {
	n := p.parseNot()
	for p.is("&&", "and") {
		p.next()
		n = &andNode{n, p.parseNot()}
	}
	return n
}

func (p *dparser) parseNot() node {
	if p.is("!", "not") {
		t := p.next()
		p.enter(t)
		n := &notNode{p.parseNot()}
		p.depth--
		return n
	}
	return p.parsePrimary()
}

func (p *dparser) parsePrimary() node {
	t := p.peek()
	if t.kind == tLParen {
		p.next()
		p.enter(t)
		n := p.parseOr()
		p.depth--
		if c := p.peek(); c.kind != tRParen {
			if c.kind == tEOF {
				fail(p.src, t.pos, "%q is not closed (expected %q)", "(", ")")
			}
			p.unexpected(c, `")"`)
		}
		p.next()
		return n
	}
	return p.parseRelation()
}

// term is one side of a relation: a field expression or a literal.
type term struct {
	o     *operand
	lit   literal
	tok   token
	other *Field // a field name of another type read as a literal, for the error
}

var keywords = map[string]bool{
	"and": true, "or": true, "xor": true, "not": true, "eq": true, "ne": true, "lt": true,
	"le": true, "gt": true, "ge": true, "any_eq": true, "all_ne": true, "all_eq": true,
	"any_ne": true, "contains": true, "matches": true, "in": true,
}

func (p *dparser) parseTerm() term {
	t := p.peek()
	switch t.kind {
	case tString:
		p.next()
		return term{lit: literal{text: t.text, quoted: true, pos: t.pos}, tok: t}
	case tWord:
		if keywords[t.text] {
			p.unexpected(t, "a field")
		}
		if (t.text == "len" || t.text == "count") && p.peekAt(1).kind == tLParen {
			return p.parseLen()
		}
		p.next()
		fld, ok := p.reg.Lookup(t.text)
		if !ok {
			return term{lit: literal{text: t.text, pos: t.pos}, tok: t}
		}
		return term{o: p.fieldExpr(fld, t), tok: t}
	}
	p.unexpected(t, "a field")
	return term{}
}

func (p *dparser) parseLen() term {
	t := p.next() // len or count
	p.next()      // (
	a := p.next()
	if a.kind != tWord {
		p.unexpected(a, "a field inside "+t.text+"()")
	}
	fld, ok := p.reg.Lookup(a.text)
	if !ok {
		unknownField(p.src, a.pos, p.reg, a.text)
	}
	if c := p.next(); c.kind != tRParen {
		p.unexpected(c, `")"`)
	}
	if t.text == "count" {
		// count(field): the number of occurrences, 0 when absent.
		o := p.f.newOperand(fld, "count("+fld.Name+")")
		o.count = true
		o.typ = Uint
		return term{o: o, tok: t}
	}
	o := p.f.newOperand(fld, "len("+fld.Name+")")
	p.asBytes(o)
	switch o.typ {
	case Bytes, String, IPv4, IPv6, Ether, OID:
	default:
		fail(p.src, a.pos, "len() needs a byte-like field; %s is %s", fld.Name, an(fld.Type))
	}
	o.length = true
	o.typ = Uint
	return term{o: o, tok: t}
}

// fieldExpr reads what may follow a field name: a slice or a bitwise and.
func (p *dparser) fieldExpr(fld *Field, t token) *operand {
	o := p.f.newOperand(fld, fld.Name)
	if p.is("#") {
		// field#N: Wireshark's layer operator, the values of the Nth layer
		// of the field's protocol (Layered), else the Nth occurrence.
		h := p.next()
		n := p.next()
		k, err := strconv.Atoi(n.text)
		if n.kind != tWord || err != nil || k < 1 || k > 1000 {
			fail(p.src, h.pos, "%q must be followed by an occurrence number from 1, as in %q", "#", fld.Name+"#1")
		}
		o.layer = k
		o.text = fld.Name + "#" + strconv.Itoa(k)
	}
	if s := p.peek(); s.kind == tSlice {
		p.next()
		p.asBytes(o)
		switch o.typ {
		case Bytes, String, IPv4, IPv6, Ether, OID:
		default:
			fail(p.src, s.pos, "%s is %s; only byte-like fields (bytes, strings, addresses) can be sliced", fld.Name, an(fld.Type))
		}
		o.sl = p.parseSlice(s)
		o.typ = Bytes
		o.text += "[" + strings.TrimSpace(s.text) + "]"
		return o
	}
	if p.is("&") {
		a := p.next()
		if fld.Type != Uint && fld.Type != Int {
			fail(p.src, a.pos, "bitwise & needs an integer field; %s is %s", fld.Name, an(fld.Type))
		}
		m := p.next()
		if m.kind != tWord {
			p.unexpected(m, "an integer mask after &")
		}
		digits, neg := strings.CutPrefix(m.text, "-")
		n, ok, _ := parseCUint(digits)
		if !ok {
			fail(p.src, m.pos, "%q is not a valid integer mask", m.text)
		}
		if max := o.maxInt(); n > max {
			fail(p.src, m.pos+len(m.text)-len(digits), "%q too big for this field, maximum %d", digits, max)
		}
		if neg {
			n = -n // two's complement, as Wireshark negates
		}
		o.masked, o.mask = true, n
		o.text += " & " + m.text
	}
	return o
}

// parseSlice reads Wireshark's range syntax: [i:j] (start i, length j), [i-j]
// (start i to end j inclusive), [i], [:j], [i:]; a negative i counts from the end.
func (p *dparser) parseSlice(t token) *sliceSpec {
	s := strings.ReplaceAll(t.text, " ", "")
	bad := func(why string) {
		fail(p.src, t.pos, "%q is not a valid byte slice: %s (write [start:length], [start-end], [start] or [start:])", "["+t.text+"]", why)
	}
	num := func(x string) int {
		n, err := strconv.Atoi(x)
		if err != nil || n > 1<<20 || n < -(1<<20) {
			bad(fmt.Sprintf("%q is not a number", x))
		}
		return n
	}
	if strings.Contains(s, ",") {
		bad("only one range is supported")
	}
	if k := strings.IndexByte(s, ':'); k >= 0 {
		sp := &sliceSpec{}
		if k > 0 {
			sp.start = num(s[:k])
		}
		if k == len(s)-1 {
			sp.toEnd = true
			return sp
		}
		sp.n = num(s[k+1:])
		if sp.n <= 0 {
			bad("the length must be at least 1")
		}
		return sp
	}
	if k := strings.IndexByte(s[min(1, len(s)):], '-'); k >= 0 && len(s) > 0 {
		k++
		i, j := num(s[:k]), num(s[k+1:])
		if i < 0 || j < i {
			bad("the end must not be before the start")
		}
		return &sliceSpec{start: i, n: j - i + 1}
	}
	if s == "" {
		bad("it is empty")
	}
	return &sliceSpec{start: num(s), n: 1}
}

type relOp struct {
	q   quant
	op  cmpOp
	sym string
}

var relOps = map[string]relOp{
	"==": {qAny, opEq, "=="}, "eq": {qAny, opEq, "=="}, "any_eq": {qAny, opEq, "=="},
	"!=": {qNone, opEq, "!="}, "ne": {qNone, opEq, "!="}, "all_ne": {qNone, opEq, "!="},
	"===": {qAll, opEq, "==="}, "all_eq": {qAll, opEq, "==="},
	"!==": {qAnyNot, opEq, "!=="}, "~=": {qAnyNot, opEq, "!=="}, "any_ne": {qAnyNot, opEq, "!=="},
	"<": {qAny, opLt, "<"}, "lt": {qAny, opLt, "<"},
	"<=": {qAny, opLe, "<="}, "le": {qAny, opLe, "<="},
	">": {qAny, opGt, ">"}, "gt": {qAny, opGt, ">"},
	">=": {qAny, opGe, ">="}, "ge": {qAny, opGe, ">="},
}

var mirror = map[cmpOp]cmpOp{opEq: opEq, opLt: opGt, opLe: opGe, opGt: opLt, opGe: opLe}
var mirrorSym = map[string]string{"==": "==", "!=": "!=", "===": "===", "!==": "!==", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (p *dparser) parseRelation() node {
	lhs := p.parseTerm()
	t := p.peek()
	if t.kind == tOp || t.kind == tWord {
		if r, ok := relOps[t.text]; ok {
			p.next()
			return p.comparison(lhs, r, t)
		}
		switch t.text {
		case "contains":
			p.next()
			return p.contains(lhs, t)
		case "matches", "~":
			p.next()
			return p.matches(lhs, t)
		case "in":
			p.next()
			return p.in(lhs)
		case "not":
			if n := p.peekAt(1); n.kind == tWord && n.text == "in" {
				p.next()
				p.next()
				return &notNode{p.in(lhs)}
			}
		}
	}
	o := p.needField(lhs)
	return &presentNode{o}
}

// needField returns the term's operand, or fails because a literal stands where
// a field must.
func (p *dparser) needField(t term) *operand {
	if t.o != nil {
		return t.o
	}
	if t.lit.quoted {
		fail(p.src, t.tok.pos, "expected a field, found string %s", quoteC(t.lit.text))
	}
	name := t.lit.text
	if c := name[0]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
		unknownField(p.src, t.tok.pos, p.reg, name)
	}
	fail(p.src, t.tok.pos, "%q is not a known field (a test starts with a field name, such as tcp.port == 80)", name)
	return nil
}

func comparable(a, b Type) bool {
	if a == b {
		return true
	}
	bytesLike := func(t Type) bool { return t == Bytes || t == String }
	intLike := func(t Type) bool { return t == Uint || t == Bool }
	return bytesLike(a) && bytesLike(b) || intLike(a) && intLike(b)
}

// rhsTerm reads the right-hand side of a comparison with o. A word naming a
// field is a field reference when its type fits; otherwise it is a literal (so
// `http.request.method == GET` works even if a field were called GET).
func (p *dparser) rhsTerm(o *operand) term {
	t := p.peek()
	if t.kind == tWord && !keywords[t.text] {
		if fld, ok := p.reg.Lookup(t.text); ok {
			nxt := p.peekAt(1)
			if nxt.kind == tSlice || (nxt.kind == tOp && (nxt.text == "&" || nxt.text == "#")) || comparable(o.typ, fld.Type) {
				return p.parseTerm()
			}
			p.next()
			return term{lit: literal{text: t.text, pos: t.pos}, tok: t, other: fld}
		}
		if (t.text == "len" || t.text == "count") && p.peekAt(1).kind == tLParen {
			return p.parseLen()
		}
		p.next()
		return term{lit: literal{text: t.text, pos: t.pos}, tok: t}
	}
	if t.kind == tString {
		p.next()
		return term{lit: literal{text: t.text, quoted: true, pos: t.pos}, tok: t}
	}
	if t.kind == tEOF {
		p.unexpected(t, "a value after "+fmt.Sprintf("%q", p.toks[p.i-1].text))
	}
	p.unexpected(t, "a value")
	return term{}
}

func (p *dparser) noProtocol(o *operand, at int) {
	p.asBytes(o)
	if o.typ == None {
		fail(p.src, at, "%s is a protocol, it has no value: test its presence with %q alone, or compare one of its fields", o.field.Name, o.field.Name)
	}
}

func (p *dparser) comparison(lhs term, r relOp, opTok token) node {
	if lhs.o == nil {
		// A literal on the left: the field must be on the right; swap sides.
		if lhs.lit.quoted || isLiteralWord(lhs.lit.text) {
			rt := p.peek()
			if rt.kind == tWord {
				if fld, ok := p.reg.Lookup(rt.text); ok {
					p.next()
					o := p.fieldExpr(fld, rt)
					r.op = mirror[r.op]
					r.sym = mirrorSym[r.sym]
					return p.literalCmp(o, r, lhs.lit, opTok)
				}
			}
		}
		p.needField(lhs)
	}
	o := lhs.o
	p.noProtocol(o, lhs.tok.pos)
	rhs := p.rhsTerm(o)
	if rhs.o != nil {
		p.noProtocol(rhs.o, rhs.tok.pos)
		if !comparable(o.typ, rhs.o.typ) {
			fail(p.src, rhs.tok.pos, "%s (%s) cannot be compared with %s (%s)", o.text, o.typ, rhs.o.text, rhs.o.typ)
		}
		return &pairNode{a: o, b: rhs.o, q: r.q, op: r.op, t: o.typ, sym: r.sym}
	}
	if rhs.other != nil {
		if _, _, err := parseValue(o.typ, rhs.lit); err != nil {
			fail(p.src, rhs.tok.pos, "%s (%s) cannot be compared with %s (%s)", o.text, o.typ, rhs.other.Name, rhs.other.Type)
		}
	}
	return p.literalCmp(o, r, rhs.lit, opTok)
}

// isLiteralWord reports whether a word that is not a field looks like a value
// (a number or an address) rather than a misspelt field name.
func isLiteralWord(s string) bool {
	return s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == ':' || s[0] == '\'')
}

func (p *dparser) literalCmp(o *operand, r relOp, lit literal, opTok token) node {
	p.noProtocol(o, opTok.pos)
	v, np, neg := p.value(o, lit)
	var pr pred
	if neg {
		// Wireshark 4.0 compares an unsigned field with a negative number
		// as incomparable: each test of an occurrence is false, so == < >
		// are false, != (none equal) and === (none differ) true, !== false.
		pr = constPred(r.q == qAll || r.q == qAnyNot)
	} else if np != nil {
		if r.op != opEq {
			fail(p.src, opTok.pos, "a network (%s) can only be tested with == or !=, not %q", lit.text, opTok.text)
		}
		pr = np
	} else {
		pr = &litPred{t: o.typ, op: r.op, lit: v}
	}
	return &cmpNode{o: o, q: r.q, p: pr, op: r.sym, text: lit.source()}
}

// value parses lit as a value of o's type. Integers follow Wireshark: C's
// number syntax, a value must fit the field's width (Field.Bits), and a minus
// sign negates; neg reports a negative number for an unsigned field, which
// equals no value of it.
func (p *dparser) value(o *operand, lit literal) (v Value, np pred, neg bool) {
	if lit.quoted || o.typ != Uint && o.typ != Int && o.typ != Bool {
		v, np, err := parseValue(o.typ, lit)
		if err != nil {
			fail(p.src, lit.pos, "%s", err)
		}
		return v, np, false
	}
	s, at := lit.text, lit.pos
	if m, ok := strings.CutPrefix(s, "-"); ok {
		s, at, neg = m, at+1, true
	}
	n, ok, overflow := parseCUint(s)
	if !ok {
		if overflow {
			if o.typ == Bool && o.field.Named {
				fail(p.src, at, "%q cannot be found among the possible values for %s", s, o.field.Name)
			}
			fail(p.src, at, "%q causes an integer overflow", s)
		}
		v, _, err := parseValue(o.typ, lit) // true, 'a', or the error
		if err != nil {
			fail(p.src, lit.pos, "%s", err)
		}
		return v, nil, false
	}
	switch o.typ {
	case Bool:
		if neg {
			fail(p.src, at, "a boolean cannot be negative: compare it with 1 (true) or 0 (false)")
		}
		if n != 0 {
			n = 1 // Wireshark: any number but 0 is true
		}
		return Value{N: n}, nil, false
	case Int:
		if max := o.maxInt(); n > max {
			fail(p.src, at, "%q too big for this field, maximum %d", s, max)
		}
		if neg {
			n = -n
		}
		return Value{N: n}, nil, false
	}
	if max := o.maxInt(); n > max {
		if o.field.Named && !neg && o.plain() {
			fail(p.src, at, "%q cannot be found among the possible values for %s", s, o.field.Name)
		}
		fail(p.src, at, "%q too big for this field, maximum %d", s, max)
	}
	if neg && n != 0 {
		return Value{N: -n}, nil, true
	}
	return Value{N: n}, nil, false
}

// maxInt is the largest number o's values can hold: the field's width
// (Field.Bits, one bit less for a signed field); len() and count() are 32-bit
// as in Wireshark.
func (o *operand) maxInt() uint64 {
	bits := o.field.Bits
	if o.length || o.count {
		bits = 32
	}
	if bits == 0 || bits > 64 {
		bits = 64
	}
	if o.typ == Int {
		bits--
	}
	return 1<<bits - 1
}

// plain reports an operand that is its field as it is: no slice, mask,
// len() or count().
func (o *operand) plain() bool { return o.sl == nil && !o.masked && !o.length && !o.count }

// asBytes turns a protocol into its bytes for a slice, contains, matches or a
// comparison, as Wireshark does (frame[0:2], tcp[13] == 0x12, tcp contains
// "GET"): frame is the record's RawFrame, another protocol its
// ProtocolBytes when the registry has them (Field.HasBytes).
func (p *dparser) asBytes(o *operand) {
	if o.typ != None || o.raw || o.proto || o.sl != nil {
		return
	}
	if o.field.Name == "frame" {
		o.raw, o.typ = true, Bytes
	} else if o.field.HasBytes {
		o.proto, o.typ = true, Bytes
	}
}

func (p *dparser) bytesOperand(o *operand, opTok token) {
	p.asBytes(o)
	if o.typ == None {
		fail(p.src, opTok.pos, "%q on the bytes of %s is not supported: frame and the link, network and transport protocols (eth, ip, ipv6, arp, tcp, udp, icmp ...) have their bytes, or compare one of %s's fields", opTok.text, o.text, o.text)
	}
	if o.proto && o.sl == nil {
		o.whole = true // contains and matches see what the protocol carries too
	}
	if o.typ != Bytes && o.typ != String && (o.typ != OID || opTok.text == "matches" || opTok.text == "~") {
		fail(p.src, opTok.pos, "%q needs a string or byte field; %s is %s", opTok.text, o.text, an(o.typ))
	}
}

func (p *dparser) contains(lhs term, opTok token) node {
	o := p.needField(lhs)
	p.bytesOperand(o, opTok)
	rhs := p.rhsTerm(o)
	if rhs.o != nil {
		if rhs.o.typ != Bytes && rhs.o.typ != String && rhs.o.typ != OID {
			fail(p.src, rhs.tok.pos, "%s is %s; contains needs a string or byte field", rhs.o.text, an(rhs.o.typ))
		}
		return &pairNode{a: o, b: rhs.o, q: qAny, op: opContains, t: o.typ, sym: "contains"}
	}
	v, _, err := parseValue(o.typ, rhs.lit)
	if err != nil {
		fail(p.src, rhs.lit.pos, "%s", err)
	}
	return &cmpNode{o: o, q: qAny, p: &containsPred{sub: v.B}, op: "contains", text: rhs.lit.source()}
}

func (p *dparser) matches(lhs term, opTok token) node {
	o := p.needField(lhs)
	p.bytesOperand(o, opTok)
	t := p.next()
	if t.kind != tString {
		p.unexpected(t, "a quoted regular expression after "+fmt.Sprintf("%q", opTok.text))
	}
	re, err := regexp.Compile("(?i)" + latin1(t.text))
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		var se *syntax.Error
		if errors.As(err, &se) {
			msg = se.Code.String()
		}
		fail(p.src, t.pos, "invalid regular expression %s: %s", quoteC(t.text), msg)
	}
	return &cmpNode{o: o, q: qAny, p: &regexPred{re: re}, op: "matches", text: quoteC(t.text)}
}

func (p *dparser) in(lhs term) node {
	o := p.needField(lhs)
	p.noProtocol(o, lhs.tok.pos)
	open := p.next()
	if open.kind != tLBrace {
		p.unexpected(open, `"{" to start a set`)
	}
	var set setPred
	var texts []string
	for {
		t := p.peek()
		if len(set) > 0 {
			// Wireshark 4 separates members with commas; "{80 443}" is an error.
			if t.kind == tRBrace {
				p.next()
				break
			}
			if t.kind != tComma {
				if t.kind == tEOF {
					fail(p.src, open.pos, "the set is not closed (expected %q)", "}")
				}
				fail(p.src, t.pos, "%s was unexpected in this context: set members are separated by commas, as in {80, 443}", describe(t))
			}
			p.next()
			t = p.peek()
		} else if t.kind == tRBrace {
			p.next()
			break
		}
		if t.kind != tWord && t.kind != tString {
			if t.kind == tEOF {
				fail(p.src, open.pos, "the set is not closed (expected %q)", "}")
			}
			p.unexpected(t, "a value in the set")
		}
		p.next()
		lo := literal{text: t.text, quoted: t.kind == tString, pos: t.pos}
		lv, lnp, lneg := p.value(o, lo)
		if p.peek().kind == tDotDot {
			dd := p.next()
			h := p.next()
			if h.kind != tWord && h.kind != tString {
				p.unexpected(h, "the end of the range after \"..\"")
			}
			hi := literal{text: h.text, quoted: h.kind == tString, pos: h.pos}
			hv, hnp, hneg := p.value(o, hi)
			if lnp != nil || hnp != nil {
				fail(p.src, dd.pos, "a range cannot have a network as an end")
			}
			if lneg || hneg {
				set = append(set, constPred(false)) // incomparable, as above
			} else {
				set = append(set, &rangePred{t: o.typ, lo: lv, hi: hv})
			}
			texts = append(texts, lo.source()+".."+hi.source())
			continue
		}
		if lneg {
			set = append(set, constPred(false))
		} else if lnp != nil {
			set = append(set, lnp)
		} else {
			set = append(set, &litPred{t: o.typ, op: opEq, lit: lv})
		}
		texts = append(texts, lo.source())
	}
	if len(set) == 0 {
		fail(p.src, open.pos, "the set is empty")
	}
	return &cmpNode{o: o, q: qAny, p: set, op: "in", text: "{" + strings.Join(texts, ", ") + "}"}
}
