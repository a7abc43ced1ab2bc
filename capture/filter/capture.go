package filter

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"github.com/wirelab-dev/wirelab/internal/suggest"
)

// CompileCapture compiles a capture filter: tcpdump's language (pcap-filter(7)),
// evaluated on the frame's bytes exactly as tcpdump evaluates it, so a filter
// selects the same frames as `tcpdump -r FILE 'FILTER'`.
//
// Supported: host, net (CIDR, "net N mask M", abbreviated "net 10.1"), port,
// portrange, with src, dst, "src or dst", "src and dst"; the protocols ether,
// link, ip, ip6, arp, rarp, tcp, udp, sctp, icmp, icmp6, igmp, igrp, pim, vrrp,
// ah, esp, stp, ipx, iso, atalk, decnet, ... alone and as qualifiers; proto and
// protochain ("ip proto 17", "proto \tcp", "ether proto 0x0806"); broadcast and
// multicast; vlan and "vlan N" (which, as in tcpdump, move the offsets of the
// tests after them by a tag); less, greater and len; byte offsets
// proto[expr] and proto[expr:size] with tcpdump's named offsets and values
// (tcpflags, tcp-syn, icmptype, icmp-echo, ...); arithmetic + - * / % & | ^ <<
// >> and unary -; comparisons > >= = == <= < !=; and, or, not, &&, ||, ! and
// parentheses, with tcpdump's precedence (and and or equal, left to right) and
// qualifier carry-over ("port 80 or 443", "host a and not b").
//
// The link types understood are Ethernet, Linux cooked (v1 and v2), BSD and
// OpenBSD loopback, raw IP (IPv4, IPv6), PPP and Cisco HDLC; on any other link
// type a capture filter matches nothing. Host and network names are not
// resolved (write the address), and the constructs tcpdump cannot apply to a
// file (inbound, ifindex, gateway, ...) are errors, as are 802.11, MPLS, PPPoE,
// Geneve, ATM and SS7 tests. Every error is an *Error with the column; an
// empty filter matches every packet.
func CompileCapture(expr string) (f *Filter, err error) {
	defer catch(&err)
	checkLen(expr)
	p := &cparser{src: expr}
	p.toks = lexPcap(expr)
	f = &Filter{text: expr}
	if p.peek().kind == pEOF {
		f.root = constNode(true)
		f.finish()
		return f, nil
	}
	g, _ := p.parseExpr(qerr)
	if t := p.peek(); t.kind != pEOF {
		if t.kind == pOp && t.text == ")" {
			fail(expr, t.pos, "%q has no matching %q", ")", "(")
		}
		fail(expr, t.pos, "syntax error at %s (join primitives with and, or)", describeP(t))
	}
	cp := &capProg{src: expr, gen: g, progs: make([]lazyProg, len(pcapLinkTypes))}
	// Ethernet's program is generated now, so that a filter tcpdump refuses
	// is an error here; the other link types' when a frame of theirs (or
	// LinkTypeError) first asks. Generating all ten at once made a long
	// filter cost ten times what a capture of one link type needs.
	if pr := cp.prog(linkIndex(ltEthernet)); pr.err != nil {
		return nil, pr.err
	}
	f.root = cp
	f.capture = cp
	f.finish()
	return f, nil
}

// catch2 is catch for an *Error destination.
func catch2(e **Error) {
	if r := recover(); r != nil {
		b, ok := r.(bailout)
		if !ok {
			panic(r)
		}
		*e = b.err
	}
}

// capProg is a compiled capture filter, one program per link type, each
// generated from the parsed filter the first time it is needed.
type capProg struct {
	src   string
	gen   gfn
	progs []lazyProg
}

// lazyProg is one link type's program; clones of a Filter share it, so it is
// generated once whichever goroutine asks first.
type lazyProg struct {
	once sync.Once
	p    prog
}

// prog returns the program for link index i, generating it on first use.
func (c *capProg) prog(i int) *prog {
	l := &c.progs[i]
	l.once.Do(func() {
		defer catch2(&l.p.err)
		l.p.root = c.gen(newGen(c.src, pcapLinkTypes[i]))
	})
	return &l.p
}

func (c *capProg) eval(f *Filter, r Record) bool {
	raw, ok := r.(Raw)
	if !ok {
		return false
	}
	data, lt, wirelen := raw.RawFrame()
	return c.matchFrame(&f.pf, data, lt, wirelen)
}

func (c *capProg) matchFrame(x *pframe, data []byte, lt, wirelen int) bool {
	i := linkIndex(lt)
	if i < 0 {
		return false
	}
	return c.prog(i).match(x, data, wirelen)
}

func (c *capProg) format(b *strings.Builder, prec int) {}

// Raw is a Record that also offers the frame as captured, which capture
// filters test.
type Raw interface {
	// RawFrame returns the captured bytes, the link type (a LINKTYPE_ number as
	// pcap and pcapng files record it) and the frame's length on the wire.
	RawFrame() (data []byte, linkType int, wireLen int)
}

// MatchFrame reports whether a capture filter matches a frame given as its
// captured bytes, link type (LINKTYPE_ number) and length on the wire, without
// decoding it. It allocates nothing. A display filter, which needs decoded
// fields, matches nothing here.
func (f *Filter) MatchFrame(data []byte, linkType int, wireLen int) bool {
	if f.capture == nil {
		if c, ok := f.root.(constNode); ok {
			return bool(c)
		}
		return false
	}
	return f.capture.matchFrame(&f.pf, data, linkType, wireLen)
}

// IsCapture reports whether f is a capture filter (from CompileCapture), which
// MatchFrame can evaluate on undecoded frames.
func (f *Filter) IsCapture() bool {
	if f.capture != nil {
		return true
	}
	_, ok := f.root.(constNode)
	return ok
}

// LinkTypeError returns why the capture filter cannot test frames of a link
// type (tcpdump would refuse to compile it for a file of that type), or nil.
func (f *Filter) LinkTypeError(linkType int) error {
	if f.capture == nil {
		return nil
	}
	i := linkIndex(linkType)
	if i < 0 {
		return &Error{Filter: f.text, Msg: "capture filters do not support link type " + strconv.Itoa(linkType)}
	}
	if e := f.capture.prog(i).err; e != nil {
		return e
	}
	return nil
}

// cq are the qualifiers of a primitive: protocol ("" for none; keywords in
// their canonical form: "link" for ether), direction and address type.
type cq struct {
	proto string
	dir   int
	addr  int // q* constant, or -1: none may follow (after "tcp" or a comparison)
}

var qerr = cq{addr: -1}

type gfn func(g *gen) bnode
type afn func(g *gen) *arth

type cparser struct {
	toks  []ptoken
	i     int
	src   string
	depth int
}

func (p *cparser) peek() ptoken { return p.toks[p.i] }

func (p *cparser) peekAt(k int) ptoken {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *cparser) next() ptoken {
	t := p.toks[p.i]
	if t.kind != pEOF {
		p.i++
	}
	return t
}

func (p *cparser) isKW(t ptoken, alts ...string) bool {
	if t.kind != pKW {
		return false
	}
	for _, a := range alts {
		if t.text == a {
			return true
		}
	}
	return false
}

func (p *cparser) isOp(t ptoken, alts ...string) bool {
	if t.kind != pOp {
		return false
	}
	for _, a := range alts {
		if t.text == a {
			return true
		}
	}
	return false
}

func (p *cparser) enter(t ptoken) {
	p.depth++
	if p.depth > maxDepth {
		fail(p.src, t.pos, "the filter is nested too deeply (more than %d levels)", maxDepth)
	}
}

func (p *cparser) syntax(t ptoken) {
	if t.kind == pEOF {
		fail(p.src, t.pos, "syntax error: the filter ends too early")
	}
	fail(p.src, t.pos, "syntax error at %s", describeP(t))
}

// pnames are the protocol keywords (the grammar's pname).
var pnames = map[string]bool{
	"link": true, "ip": true, "arp": true, "rarp": true, "sctp": true, "tcp": true, "udp": true,
	"icmp": true, "igmp": true, "igrp": true, "pim": true, "vrrp": true, "carp": true,
	"atalk": true, "aarp": true, "decnet": true, "lat": true, "sca": true, "moprc": true,
	"mopdl": true, "ip6": true, "icmp6": true, "ah": true, "esp": true, "iso": true,
	"esis": true, "isis": true, "l1": true, "l2": true, "iih": true, "lsp": true, "snp": true,
	"psnp": true, "csnp": true, "clnp": true, "stp": true, "llc": true, "ipx": true, "netbeui": true, "radio": true,
}

// unsupportedKW are keywords of constructs wirelab does not evaluate, with why.
var unsupportedKW = map[string]string{
	"inbound":     "inbound/outbound not supported when reading captures (tcpdump refuses them on savefiles too)",
	"outbound":    "inbound/outbound not supported when reading captures (tcpdump refuses them on savefiles too)",
	"ifindex":     "ifindex is not supported when reading captures (tcpdump refuses it on savefiles too)",
	"mpls":        "MPLS tests are not supported in capture filters",
	"pppoed":      "PPPoE tests are not supported in capture filters",
	"pppoes":      "PPPoE tests are not supported in capture filters",
	"geneve":      "Geneve tests are not supported in capture filters",
	"byte":        "the old 'byte' syntax is not supported; write ip[N] instead",
	"type":        "802.11 tests are not supported in capture filters",
	"subtype":     "802.11 tests are not supported in capture filters",
	"dir":         "802.11 tests are not supported in capture filters",
	"ifname":      "pf tests are not supported in capture filters",
	"rset":        "pf tests are not supported in capture filters",
	"rnr":         "pf tests are not supported in capture filters",
	"srnr":        "pf tests are not supported in capture filters",
	"reason":      "pf tests are not supported in capture filters",
	"action":      "pf tests are not supported in capture filters",
	"lane":        "ATM tests are not supported in capture filters",
	"metac":       "ATM tests are not supported in capture filters",
	"bcc":         "ATM tests are not supported in capture filters",
	"oam":         "ATM tests are not supported in capture filters",
	"oamf4":       "ATM tests are not supported in capture filters",
	"oamf4ec":     "ATM tests are not supported in capture filters",
	"oamf4sc":     "ATM tests are not supported in capture filters",
	"sc":          "ATM tests are not supported in capture filters",
	"ilmic":       "ATM tests are not supported in capture filters",
	"vpi":         "ATM tests are not supported in capture filters",
	"vci":         "ATM tests are not supported in capture filters",
	"connectmsg":  "ATM tests are not supported in capture filters",
	"metaconnect": "ATM tests are not supported in capture filters",
	"fisu":        "SS7 tests are not supported in capture filters",
	"lssu":        "SS7 tests are not supported in capture filters",
	"msu":         "SS7 tests are not supported in capture filters",
	"hfisu":       "SS7 tests are not supported in capture filters",
	"hlssu":       "SS7 tests are not supported in capture filters",
	"hmsu":        "SS7 tests are not supported in capture filters",
	"sio":         "SS7 tests are not supported in capture filters",
	"opc":         "SS7 tests are not supported in capture filters",
	"dpc":         "SS7 tests are not supported in capture filters",
	"sls":         "SS7 tests are not supported in capture filters",
	"hsio":        "SS7 tests are not supported in capture filters",
	"hopc":        "SS7 tests are not supported in capture filters",
	"hdpc":        "SS7 tests are not supported in capture filters",
	"hsls":        "SS7 tests are not supported in capture filters",
}

func isRelop(t ptoken) bool {
	return t.kind == pOp && (t.text == ">" || t.text == ">=" || t.text == "=" || t.text == "<=" || t.text == "<" || t.text == "!=")
}

func isArithOp(t ptoken) bool {
	if t.kind != pOp {
		return false
	}
	switch t.text {
	case "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>":
		return true
	}
	return false
}

// matching returns the index of the token closing the parenthesis at i.
func (p *cparser) matching(i int) int {
	d := 0
	for k := i; k < len(p.toks); k++ {
		t := p.toks[k]
		if p.isOp(t, "(") {
			d++
		} else if p.isOp(t, ")") {
			d--
			if d == 0 {
				return k
			}
		}
	}
	return -1
}

// startsTerm decides, after and/or, whether a term (a primitive with its own
// qualifiers) or a bare value (inheriting the qualifiers before it) follows, as
// libpcap's grammar does.
func (p *cparser) startsTerm() bool {
	k := p.i
	for p.isKW(p.toks[k], "!") {
		k++
	}
	t := p.toks[k]
	switch t.kind {
	case pKW:
		return t.text != "and" && t.text != "or" && t.text != "mask"
	case pNum:
		n := p.toks[k+1]
		return isRelop(n) || isArithOp(n)
	case pOp:
		if t.text == "(" {
			j := k + 1
			for p.isOp(p.toks[j], "(") || p.isKW(p.toks[j], "!") {
				j++
			}
			switch p.toks[j].kind {
			case pID, pHID, pHID6, pEID:
				return false
			case pNum:
				n := p.toks[j+1]
				return isRelop(n) || isArithOp(n)
			}
			return true
		}
		return true
	}
	return false
}

// parseExpr reads and/or chains; q is the qualifier set the context carries.
func (p *cparser) parseExpr(q cq) (gfn, cq) {
	n, q := p.parseTerm(q)
	for {
		t := p.peek()
		if !p.isKW(t, "and", "or") {
			return n, q
		}
		p.next()
		var m gfn
		if p.startsTerm() {
			m, q = p.parseTerm(q)
		} else {
			m, q = p.parseID(q)
		}
		a := n
		if t.text == "and" {
			n = func(g *gen) bnode { x := a(g); return band(x, m(g)) }
		} else {
			n = func(g *gen) bnode { x := a(g); return bor(x, m(g)) }
		}
	}
}

func (p *cparser) parseTerm(q cq) (gfn, cq) {
	t := p.peek()
	if p.isKW(t, "!") {
		p.next()
		p.enter(t)
		n, q2 := p.parseTerm(q)
		p.depth--
		return func(g *gen) bnode { return bnot(n(g)) }, q2
	}
	return p.parseRterm(q)
}

func (p *cparser) parseRterm(q cq) (gfn, cq) {
	t := p.peek()
	switch t.kind {
	case pOp:
		if t.text == "(" {
			end := p.matching(p.i)
			if end < 0 {
				fail(p.src, t.pos, "%q is not closed (expected %q)", "(", ")")
			}
			if n := p.toks[end+1]; isRelop(n) || isArithOp(n) {
				return p.parseRelation(), qerr
			}
			p.next()
			p.enter(t)
			n, _ := p.parseExpr(q)
			p.depth--
			if c := p.peek(); !p.isOp(c, ")") {
				p.syntax(c)
			}
			p.next()
			return n, q
		}
		if t.text == "-" {
			return p.parseRelation(), qerr
		}
	case pNum:
		return p.parseRelation(), qerr
	case pKW:
		if why, ok := unsupportedKW[t.text]; ok {
			fail(p.src, t.pos, "%s", why)
		}
		switch t.text {
		case "len":
			return p.parseRelation(), qerr
		case "less", "greater":
			p.next()
			n := p.next()
			if n.kind != pNum {
				fail(p.src, n.pos, "%q needs a length in bytes, such as %q", t.raw, t.raw+" 100")
			}
			v := n.num
			if t.text == "less" {
				return func(g *gen) bnode { return bnot(&prel{a: alen{}, b: aconst(v), j: jGt}) }, qerr
			}
			return func(g *gen) bnode { return &prel{a: alen{}, b: aconst(v), j: jGe} }, qerr
		case "vlan":
			p.next()
			if n := p.peek(); n.kind == pNum || p.isOp(n, "(") && p.numInParens() {
				v := p.parsePnum()
				return func(g *gen) bnode { return g.vlan(v, true, t.pos) }, qerr
			}
			return func(g *gen) bnode { return g.vlan(0, false, t.pos) }, qerr
		case "broadcast", "multicast":
			return p.parseOther("", t), qerr
		}
		var proto string
		if pnames[t.text] {
			proto = t.text
			n := p.peekAt(1)
			if p.isOp(n, "[") {
				return p.parseRelation(), qerr
			}
			if p.isKW(n, "broadcast", "multicast") {
				p.next()
				return p.parseOther(proto, n), qerr
			}
			switch n.kind {
			case pNum, pHID, pHID6, pEID, pID:
				fail(p.src, n.pos, "expected host, net, port or portrange after %q, found %s (%s)", t.raw, describeP(n), qualifierHint(t.raw, n))
			}
			if n.kind != pKW || !p.isHeadWord(n) {
				p.next()
				if proto == "radio" {
					fail(p.src, t.pos, "'radio' is not a valid protocol type")
				}
				return func(g *gen) bnode { return g.abbrev(proto, t.pos) }, qerr
			}
			p.next()
		}
		if h := p.peek(); p.isHeadWord(h) {
			hq := p.parseHead(proto)
			return p.parseID(hq)
		}
	case pID:
		if k := strings.IndexByte(t.text, '-'); k > 0 {
			if _, ok := pcapKeywords[t.text[:k]]; ok {
				fail(p.src, t.pos, "syntax error at %s: put spaces around - (%s - %s)", describeP(t), t.text[:k], t.text[k+1:])
			}
		}
		if s, ok := pcapAliases[t.text]; ok {
			fail(p.src, t.pos, "%q is not a capture-filter keyword (did you mean %q?)", t.raw, s)
		}
		fail(p.src, t.pos, "syntax error at %s: a primitive starts with a keyword, such as host, net, port, tcp or ip[0]", describeP(t))
	case pHID, pHID6, pEID:
		fail(p.src, t.pos, "syntax error at %s: write host %s (or ether host for an Ethernet address)", describeP(t), t.raw)
	}
	p.syntax(t)
	return nil, qerr
}

// pcapAliases are names from other tools people type into capture filters.
var pcapAliases = map[string]string{
	"ipv6": "ip6", "icmpv6": "icmp6", "eth": "ether", "ipv4": "ip", "tcp6": "ip6 and tcp", "udp6": "ip6 and udp",
}

func (p *cparser) isHeadWord(t ptoken) bool {
	return p.isKW(t, "src", "dst", "host", "net", "port", "portrange", "proto", "protochain", "gateway",
		"addr1", "addr2", "addr3", "addr4", "ra", "ta")
}

func (p *cparser) numInParens() bool {
	k := p.i
	for p.isOp(p.toks[k], "(") {
		k++
	}
	return p.toks[k].kind == pNum
}

// parseHead reads the direction and address-type qualifiers after an optional
// protocol.
func (p *cparser) parseHead(proto string) cq {
	q := cq{proto: proto}
	t := p.peek()
	hasDir := false
	switch {
	case p.isKW(t, "src", "dst"):
		p.next()
		hasDir = true
		q.dir = dSrc
		if t.text == "dst" {
			q.dir = dDst
		}
		if c := p.peek(); p.isKW(c, "and", "or") {
			o := p.peekAt(1)
			if p.isKW(o, "src", "dst") && o.text != t.text {
				p.next()
				p.next()
				q.dir = dOr
				if c.text == "and" {
					q.dir = dAnd
				}
			} else {
				p.syntax(o)
			}
		}
	case p.isKW(t, "addr1", "addr2", "addr3", "addr4", "ra", "ta"):
		fail(p.src, t.pos, "%q is an 802.11 address qualifier; 802.11 tests are not supported in capture filters", t.raw)
	}
	t = p.peek()
	switch {
	case p.isKW(t, "host"):
		q.addr = qHost
	case p.isKW(t, "net"):
		q.addr = qNet
	case p.isKW(t, "port"):
		q.addr = qPort
	case p.isKW(t, "portrange"):
		q.addr = qPortRange
	case !hasDir && p.isKW(t, "proto"):
		q.addr = qProto
	case !hasDir && p.isKW(t, "protochain"):
		q.addr = qProtochain
	case !hasDir && p.isKW(t, "gateway"):
		fail(p.src, t.pos, "'gateway' not supported (tcpdump built with IPv6 support refuses it too); test the gateway's Ethernet address and the IP hosts instead: ether host MAC and not host IP")
	default:
		if hasDir {
			return q
		}
		p.syntax(t)
	}
	p.next()
	return q
}

func (p *cparser) parseOther(proto string, t ptoken) gfn {
	p.next()
	if t.text == "broadcast" {
		return func(g *gen) bnode { return g.broadcast(proto, t.pos) }
	}
	return func(g *gen) bnode { return g.multicast(proto, t.pos) }
}

// parsePnum reads a number, possibly in parentheses.
func (p *cparser) parsePnum() uint32 {
	t := p.next()
	if p.isOp(t, "(") {
		v := p.parsePnum()
		if c := p.next(); !p.isOp(c, ")") {
			p.syntax(c)
		}
		return v
	}
	if t.kind != pNum {
		p.syntax(t)
	}
	return t.num
}

// parseID reads a value (an "id" of the grammar) under qualifiers q.
func (p *cparser) parseID(q cq) (gfn, cq) {
	t := p.peek()
	switch t.kind {
	case pKW:
		if t.text == "!" {
			p.next()
			p.enter(t)
			n, q2 := p.parseID(q)
			p.depth--
			return func(g *gen) bnode { return bnot(n(g)) }, q2
		}
	case pOp:
		if t.text == "(" {
			p.next()
			p.enter(t)
			n, q2 := p.parseID(q)
			for p.isKW(p.peek(), "and", "or") {
				op := p.next()
				m, q3 := p.parseID(q2)
				a := n
				q2 = q3
				if op.text == "and" {
					n = func(g *gen) bnode { x := a(g); return band(x, m(g)) }
				} else {
					n = func(g *gen) bnode { x := a(g); return bor(x, m(g)) }
				}
			}
			p.depth--
			if c := p.peek(); !p.isOp(c, ")") {
				p.syntax(c)
			}
			p.next()
			return n, q2
		}
	case pNum:
		p.next()
		v := t.num
		return p.ncode(q, t, v, 32, false), q
	case pHID:
		p.next()
		switch q.addr {
		case qPort, qPortRange, qProto, qProtochain:
			fail(p.src, t.pos, "'%s' modifier applied to ip host", addrName(q.addr))
		}
		v, bits, ok := atoin(t.text)
		if !ok {
			fail(p.src, t.pos, "invalid IPv4 address '%s'", t.text)
		}
		if c := p.peek(); p.isOp(c, "/") {
			p.next()
			n := p.next()
			if n.kind != pNum {
				p.syntax(n)
			}
			return p.mcode(q, t, v<<(32-bits), n.num, 0, false), q
		}
		if c := p.peek(); p.isKW(c, "mask") {
			p.next()
			m := p.next()
			if m.kind != pHID {
				p.syntax(m)
			}
			mv, mbits, ok := atoin(m.text)
			if !ok {
				fail(p.src, m.pos, "invalid IPv4 address '%s'", m.text)
			}
			return p.mcode(q, t, v<<(32-bits), 0, mv<<(32-mbits), true), q
		}
		return p.ncode(q, t, v, bits, true), q
	case pHID6:
		p.next()
		a, err := netip.ParseAddr(t.text)
		if err != nil || !a.Is6() {
			fail(p.src, t.pos, "bogus IPv6 address %s", t.text)
		}
		bits := uint32(128)
		if c := p.peek(); p.isOp(c, "/") {
			p.next()
			n := p.next()
			if n.kind != pNum {
				p.syntax(n)
			}
			bits = n.num
		}
		return p.mcode6(q, t, a, bits), q
	case pEID:
		p.next()
		b, ok := pcapMAC(t.text)
		if !ok {
			fail(p.src, t.pos, "bogus ethernet address %s", t.text)
		}
		if (q.addr != qHost && q.addr != qDefault) || q.proto != "link" {
			fail(p.src, t.pos, "ethernet address used in non-ether expression (write ether host %s)", t.text)
		}
		dir := q.dir
		return func(g *gen) bnode { return g.ehost(b, dir, t.pos) }, q
	case pID:
		p.next()
		return p.scode(q, t), q
	}
	if t.kind == pKW && (q.addr == qProto || q.addr == qProtochain) {
		fail(p.src, t.pos, "syntax error at %s: a protocol keyword after proto is written with a backslash, as in proto \\%s", describeP(t), t.raw)
	}
	p.syntax(t)
	return nil, q
}

// pcapMAC reads an Ethernet address as libpcap does: six octets of one or
// two hex digits separated by ':', '-' or '.', three groups of four digits
// separated by '.', or twelve digits.
func pcapMAC(s string) ([]byte, bool) {
	var hexs []string
	switch {
	case strings.Count(s, ".") == 2 && len(s) == 14:
		hexs = []string{s[0:2], s[2:4], s[5:7], s[7:9], s[10:12], s[12:14]}
	case len(s) == 12 && !strings.ContainsAny(s, ":-."):
		for i := 0; i < 12; i += 2 {
			hexs = append(hexs, s[i:i+2])
		}
	default:
		hexs = strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' || r == '.' })
	}
	if len(hexs) != 6 {
		return nil, false
	}
	b := make([]byte, 6)
	for i, h := range hexs {
		n, err := strconv.ParseUint(h, 16, 8)
		if err != nil || len(h) > 2 {
			return nil, false
		}
		b[i] = byte(n)
	}
	return b, true
}

func addrName(a int) string {
	return [...]string{"", "host", "net", "port", "portrange", "proto", "protochain", "gateway"}[a]
}

// atoin reads a dotted IPv4 address or prefix (10, 10.1, 10.1.2, 10.1.2.3),
// returning it right-aligned and its length in bits.
func atoin(s string) (uint32, uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, 0, false
	}
	var v uint32
	for _, x := range parts {
		n, err := strconv.ParseUint(x, 10, 32)
		if err != nil || n > 255 {
			return 0, 0, false
		}
		v = v<<8 | uint32(n)
	}
	return v, uint32(8 * len(parts)), true
}

func (p *cparser) noQual(q cq, t ptoken) {
	if q.addr < 0 {
		fail(p.src, t.pos, "syntax error at %s: a bare value needs a qualifier before it, such as host, net or port", describeP(t))
	}
}

// ncode is a number or dotted address under qualifiers (gen_ncode).
func (p *cparser) ncode(q cq, t ptoken, v uint32, bits uint32, dotted bool) gfn {
	p.noQual(q, t)
	pos := t.pos
	switch q.addr {
	case qDefault, qHost, qNet:
		if q.proto == "link" {
			fail(p.src, pos, "illegal link layer address (ether host needs an Ethernet address, such as aa:bb:cc:dd:ee:ff)")
		}
		mask := uint32(0xffffffff)
		if !dotted && q.addr == qNet {
			for v != 0 && v&0xff000000 == 0 {
				v <<= 8
				mask <<= 8
			}
		} else if bits < 32 {
			v <<= 32 - bits
			mask <<= 32 - bits
		}
		p.hostProto(q, t)
		return func(g *gen) bnode { return g.host(v, mask, q.proto, q.dir, pos) }
	case qPort, qPortRange:
		proto := p.portProto(q, t)
		if v > 65535 {
			fail(p.src, pos, "illegal port number %d > 65535", v)
		}
		return func(g *gen) bnode { return g.port(v, v, proto, q.dir, pos) }
	case qProto:
		return p.protoGen(q, t, v)
	case qProtochain:
		if q.dir != dDefault {
			fail(p.src, pos, "direction applied to 'protochain'")
		}
		return func(g *gen) bnode { return g.protochain(v, q.proto, pos) }
	}
	p.syntax(t)
	return nil
}

func (p *cparser) hostProto(q cq, t ptoken) {
	switch q.proto {
	case "", "ip", "arp", "rarp":
		return
	case "ip6":
		fail(p.src, t.pos, "'ip6' modifier applied to ip host")
	case "link":
		fail(p.src, t.pos, "link-layer modifier applied to %s", addrName(max(q.addr, qHost)))
	}
	fail(p.src, t.pos, "'%s' modifier applied to %s (write %s and %s %s)", q.proto, addrName(max(q.addr, qHost)), q.proto, addrName(max(q.addr, qHost)), t.raw)
}

func (p *cparser) portProto(q cq, t ptoken) uint32 {
	switch q.proto {
	case "":
		return 0
	case "tcp":
		return ipprotoTCP
	case "udp":
		return ipprotoUDP
	case "sctp":
		return ipprotoSCTP
	}
	fail(p.src, t.pos, "illegal qualifier of '%s' (write tcp, udp or sctp %s, or %s alone)", addrName(q.addr), addrName(q.addr), addrName(q.addr))
	return 0
}

func (p *cparser) protoGen(q cq, t ptoken, v uint32) gfn {
	pos := t.pos
	if q.dir != dDefault {
		fail(p.src, pos, "direction applied to 'proto'")
	}
	switch q.proto {
	case "":
		return func(g *gen) bnode { return g.proto(v, true, true, pos) }
	case "link":
		return func(g *gen) bnode { return g.linktype(v, pos) }
	case "ip":
		return func(g *gen) bnode { return g.proto(v, true, false, pos) }
	case "ip6":
		return func(g *gen) bnode { return g.proto(v, false, true, pos) }
	case "arp", "rarp", "lat", "sca", "moprc", "mopdl":
		fail(p.src, pos, "%s does not encapsulate another protocol", q.proto)
	}
	fail(p.src, pos, "'%s proto' is bogus", q.proto)
	return nil
}

// mcode is a network with a prefix length or a mask (gen_mcode).
func (p *cparser) mcode(q cq, t ptoken, n uint32, masklen uint32, m uint32, hasMask bool) gfn {
	p.noQual(q, t)
	if !hasMask {
		if masklen > 32 {
			fail(p.src, t.pos, "mask length must be <= 32")
		}
		if masklen == 0 {
			m = 0
		} else {
			m = 0xffffffff << (32 - masklen)
		}
		if n&^m != 0 {
			fail(p.src, t.pos, "non-network bits set in \"%s/%d\"", t.text, masklen)
		}
	} else if n&^m != 0 {
		fail(p.src, t.pos, "non-network bits set in \"%s mask ...\"", t.text)
	}
	if q.addr != qNet {
		fail(p.src, t.pos, "Mask syntax for networks only (write net %s)", t.text)
	}
	p.hostProto(q, t)
	pos := t.pos
	return func(g *gen) bnode { return g.host(n, m, q.proto, q.dir, pos) }
}

func (p *cparser) mcode6(q cq, t ptoken, a netip.Addr, bits uint32) gfn {
	p.noQual(q, t)
	if bits > 128 {
		fail(p.src, t.pos, "mask length must be <= 128")
	}
	addr := a.As16()
	var mask [16]byte
	for i := uint32(0); i < bits; i++ {
		mask[i/8] |= 0x80 >> (i % 8)
	}
	for i := range addr {
		if addr[i]&^mask[i] != 0 {
			fail(p.src, t.pos, "non-network bits set in \"%s/%d\"", t.text, bits)
		}
	}
	switch q.addr {
	case qDefault, qHost:
		if bits != 128 {
			fail(p.src, t.pos, "Mask syntax for networks only (write net %s/%d)", t.text, bits)
		}
	case qNet:
	default:
		fail(p.src, t.pos, "invalid qualifier against IPv6 address")
	}
	switch q.proto {
	case "", "ip6":
	case "link":
		fail(p.src, t.pos, "link-layer modifier applied to ip6 %s", addrName(max(q.addr, qHost)))
	default:
		fail(p.src, t.pos, "'%s' modifier applied to ip6 %s", q.proto, addrName(max(q.addr, qHost)))
	}
	pos := t.pos
	return func(g *gen) bnode { return g.host6(addr, mask, q.proto, q.dir, pos) }
}

// scode is a name under qualifiers (gen_scode): a port or protocol name, or a
// port range.
func (p *cparser) scode(q cq, t ptoken) gfn {
	p.noQual(q, t)
	pos := t.pos
	name := t.text
	switch q.addr {
	case qNet:
		fail(p.src, pos, "unknown network '%s' (network names are not resolved; write the network, such as 10.0.0.0/8)", name)
	case qDefault, qHost:
		if q.proto == "link" {
			fail(p.src, pos, "unknown ether host '%s' (write the Ethernet address, such as aa:bb:cc:dd:ee:ff)", name)
		}
		fail(p.src, pos, "unknown host '%s' (capture filters do not resolve host names; write the address)", name)
	case qPort:
		proto := p.portProto(q, t)
		port, ok := portByName(name)
		if !ok {
			fail(p.src, pos, "unknown port '%s'", name)
		}
		return func(g *gen) bnode { return g.port(port, port, proto, q.dir, pos) }
	case qPortRange:
		proto := p.portProto(q, t)
		a, b, ok := strings.Cut(name, "-")
		lo, ok1 := portByName(a)
		hi, ok2 := portByName(b)
		if !ok || !ok1 || !ok2 {
			fail(p.src, pos, "unknown port in range '%s' (write it as 1024-65535)", name)
		}
		return func(g *gen) bnode { return g.port(lo, hi, proto, q.dir, pos) }
	case qProto, qProtochain:
		var v uint32
		var ok bool
		switch q.proto {
		case "", "ip", "ip6":
			v, ok = ipProtos[name]
			if !ok {
				fail(p.src, pos, "unknown ip proto '%s'", name)
			}
		case "link":
			v, ok = etherProtos[name]
			if !ok {
				fail(p.src, pos, "unknown ether proto '%s'", name)
			}
		default:
			if q.addr == qProtochain {
				fail(p.src, pos, "bad protocol applied for 'protochain'")
			}
			return p.protoGen(q, t, 0)
		}
		if q.addr == qProtochain {
			return func(g *gen) bnode { return g.protochain(v, q.proto, pos) }
		}
		return p.protoGen(q, t, v)
	}
	p.syntax(t)
	return nil
}

func portByName(s string) (uint32, bool) {
	if s == "" {
		return 0, false
	}
	if n, ok := portNames[s]; ok {
		return n, true
	}
	if numLen(s) != len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 0, 32)
	if err != nil || n > 65535 {
		return 0, false
	}
	return uint32(n), true
}

// portNames are /etc/services names people use in capture filters.
var portNames = map[string]uint32{
	"ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53,
	"bootps": 67, "bootpc": 68, "tftp": 69, "gopher": 70, "finger": 79, "http": 80, "www": 80,
	"kerberos": 88, "pop3": 110, "sunrpc": 111, "auth": 113, "nntp": 119, "ntp": 123,
	"netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139, "imap": 143, "imap2": 143,
	"snmp": 161, "snmp-trap": 162, "bgp": 179, "irc": 194, "ldap": 389, "https": 443,
	"microsoft-ds": 445, "isakmp": 500, "syslog": 514, "rip": 520, "route": 520, "ipp": 631,
	"ldaps": 636, "rsync": 873, "imaps": 993, "pop3s": 995, "socks": 1080, "openvpn": 1194,
	"ms-sql-s": 1433, "radius": 1812, "nfs": 2049, "mysql": 3306, "rdp": 3389,
	"ms-wbt-server": 3389, "sip": 5060, "postgresql": 5432, "x11": 6000, "http-alt": 8080,
	"bgp4": 179, "isakmp-nat-t": 4500, "vxlan": 4789,
}

// ipProtos are /etc/protocols names.
var ipProtos = map[string]uint32{
	"ip": 0, "hopopt": 0, "icmp": 1, "igmp": 2, "ggp": 3, "ipencap": 4, "st": 5, "tcp": 6, "egp": 8,
	"igp": 9, "pup": 12, "udp": 17, "hmp": 20, "xns-idp": 22, "rdp": 27, "iso-tp4": 29, "dccp": 33,
	"xtp": 36, "ddp": 37, "idpr-cmtp": 38, "ipv6": 41, "ipv6-route": 43, "ipv6-frag": 44,
	"idrp": 45, "rsvp": 46, "gre": 47, "esp": 50, "ah": 51, "skip": 57, "ipv6-icmp": 58,
	"ipv6-nonxt": 59, "ipv6-opts": 60, "rspf": 73, "vmtp": 81, "eigrp": 88, "ospf": 89,
	"ax.25": 93, "ipip": 94, "etherip": 97, "encap": 98, "pim": 103, "ipcomp": 108, "vrrp": 112,
	"l2tp": 115, "isis": 124, "sctp": 132, "fc": 133, "mobility-header": 135, "udplite": 136,
	"mpls-in-ip": 137, "manet": 138, "hip": 139, "shim6": 140, "wesp": 141, "rohc": 142,
	"ethernet": 143,
}

// etherProtos are libpcap's Ethernet type and LLC SAP names (ether proto \arp).
var etherProtos = map[string]uint32{
	"ip": etIP, "ip6": etIPv6, "arp": etARP, "rarp": etRARP, "pup": 0x0200, "xns": 0x0600,
	"sprite": 0x0500, "mopdl": 0x6001, "moprc": 0x6002, "decnet": etDECnet, "lat": 0x6004,
	"sca": 0x6007, "lanbridge": 0x8038, "vexp": 0x805b, "vprod": 0x805c, "atalk": etATalk,
	"atalkarp": etAARP, "aarp": etAARP, "loopback": 0x9000, "decdts": 0x803e, "decdns": 0x803c,
	"iso": sapISONS, "stp": sap8021D, "ipx": sapIPX, "netbeui": sapNetBEUI,
}

// parseRelation reads arth relop arth (gen_relation).
func (p *cparser) parseRelation() gfn {
	a0 := p.parseArith()
	op := p.peek()
	if !isRelop(op) {
		if op.kind == pEOF {
			fail(p.src, op.pos, "syntax error: a value needs a comparison such as %q after it", "> 0")
		}
		p.syntax(op)
	}
	p.next()
	a1 := p.parseArith()
	var j uint8
	not := false
	switch op.text {
	case ">":
		j = jGt
	case ">=":
		j = jGe
	case "=":
		j = jEq
	case "<=":
		j, not = jGt, true
	case "<":
		j, not = jGe, true
	case "!=":
		j, not = jEq, true
	}
	return func(g *gen) bnode {
		x := a0(g)
		y := a1(g)
		return &prel{checks: band(x.b, y.b), a: x.v, b: y.v, j: j, not: not}
	}
}

// Operator precedence of the arithmetic operators; % and ^ have none in
// libpcap's grammar, so yacc shifts on them: they bind everything to their
// right.
func arithPrec(op string) int {
	switch op {
	case "|":
		return 1
	case "&":
		return 2
	case "<<", ">>":
		return 3
	case "+", "-":
		return 4
	case "*", "/":
		return 5
	case "neg":
		return 6
	}
	return 0
}

type aop struct {
	op  string
	pos int
}

// parseArith reads an arithmetic expression with a shift-reduce loop that
// makes the same choices as libpcap's yacc grammar.
func (p *cparser) parseArith() afn {
	var vals []afn
	var ops []aop
	reduce := func() {
		o := ops[len(ops)-1]
		ops = ops[:len(ops)-1]
		if o.op == "neg" {
			a := vals[len(vals)-1]
			vals[len(vals)-1] = func(g *gen) *arth { x := a(g); return &arth{v: &aneg{x.v}, b: x.b} }
			return
		}
		a, b := vals[len(vals)-2], vals[len(vals)-1]
		vals = vals[:len(vals)-2]
		opc := o.op[0]
		if o.op == ">>" {
			opc = '>'
		} else if o.op == "<<" {
			opc = '<'
		}
		vals = append(vals, func(g *gen) *arth {
			x := a(g)
			y := b(g)
			if c, ok := y.v.(aconst); ok {
				switch {
				case opc == '/' && c == 0:
					fail(g.src, o.pos, "division by zero")
				case opc == '%' && c == 0:
					fail(g.src, o.pos, "modulus by zero")
				case (opc == '<' || opc == '>') && c > 31:
					fail(g.src, o.pos, "shift by more than 31 bits")
				}
			}
			// libpcap keeps the left operand's protocol checks only.
			return &arth{v: &abin{op: opc, a: x.v, b: y.v}, b: x.b}
		})
	}
	operand := func() {
		for {
			t := p.peek()
			if p.isOp(t, "-") {
				p.next()
				ops = append(ops, aop{"neg", t.pos})
				continue
			}
			break
		}
		vals = append(vals, p.parseArithPrimary())
	}
	operand()
	for {
		t := p.peek()
		if !isArithOp(t) {
			break
		}
		for len(ops) > 0 {
			top := arithPrec(ops[len(ops)-1].op)
			look := arithPrec(t.text)
			if top == 0 || look == 0 || top < look {
				break
			}
			reduce()
		}
		p.next()
		ops = append(ops, aop{t.text, t.pos})
		operand()
	}
	for len(ops) > 0 {
		reduce()
	}
	return vals[0]
}

func (p *cparser) parseArithPrimary() afn {
	t := p.peek()
	switch {
	case t.kind == pNum:
		p.next()
		v := t.num
		return func(*gen) *arth { return &arth{v: aconst(v)} }
	case p.isKW(t, "len"):
		p.next()
		return func(*gen) *arth { return &arth{v: alen{}} }
	case p.isOp(t, "("):
		p.next()
		p.enter(t)
		a := p.parseArith()
		p.depth--
		if c := p.peek(); !p.isOp(c, ")") {
			p.syntax(c)
		}
		p.next()
		return a
	case t.kind == pKW && pnames[t.text]:
		p.next()
		br := p.next()
		if !p.isOp(br, "[") {
			p.syntax(br)
		}
		idx := p.parseArith()
		size := uint32(1)
		if c := p.peek(); p.isOp(c, ":") {
			p.next()
			n := p.next()
			if n.kind != pNum {
				p.syntax(n)
			}
			size = n.num
			if size != 1 && size != 2 && size != 4 {
				fail(p.src, n.pos, "data size must be 1, 2, or 4")
			}
		}
		if c := p.next(); !p.isOp(c, "]") {
			p.syntax(c)
		}
		proto := t.text
		return func(g *gen) *arth { return g.load(proto, idx(g), size, t.pos) }
	}
	if t.kind == pKW {
		if why, ok := unsupportedKW[t.text]; ok {
			fail(p.src, t.pos, "%s", why)
		}
	}
	p.syntax(t)
	return nil
}

// qualifierHint is the way out when a protocol is followed by something that
// is not a qualifier: a misspelt qualifier ("tcp prot 80") gets its correction,
// a bare value ("tcp 80", "tcp 10.0.0.1") the qualified form.
func qualifierHint(proto string, n ptoken) string {
	if n.kind == pID {
		if q, d := suggest.Closest(n.raw, []string{"host", "net", "port", "portrange"}); d <= 2 {
			return fmt.Sprintf("did you mean %q?", proto+" "+q)
		}
	}
	if n.kind == pNum {
		return fmt.Sprintf("write %q, or join the two with and", proto+" port "+n.raw)
	}
	return fmt.Sprintf("write %q, or join the two with and", proto+" host "+n.raw)
}
