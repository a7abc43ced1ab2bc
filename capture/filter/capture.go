package filter

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// CompileCapture compiles a capture filter, the subset of pcap-filter(7) people
// type into tcpdump and Wireshark's capture dialog, into the same predicate form
// as a display filter, over reg's fields (eth, ip, ipv6, arp, tcp, udp, ...).
//
// Supported: host, net (CIDR, "net N mask M", or abbreviated like "net 10.1"),
// port, portrange, each with src, dst, "src or dst", "src and dst"; the protocols
// ether, ip, ip6, arp, tcp, udp, icmp, icmp6 alone and as qualifiers (tcp port 80,
// ip host 10.0.0.1, ether src aa:bb:cc:dd:ee:ff); less and greater; and, or, not,
// &&, ||, ! and parentheses. As in tcpdump, "and" and "or" have equal precedence
// and associate left to right, "not" binds tightest, and a bare value reuses the
// qualifiers before it: "port 80 or 443", "host a and not b".
//
// Anything else (byte offsets like tcp[13], vlan, gateway, host names, ...) is
// an *Error that names the construct. An empty filter matches every packet, as in
// tcpdump.
func CompileCapture(expr string, reg Registry) (f *Filter, err error) {
	defer catch(&err)
	if reg == nil {
		return nil, &Error{Filter: expr, Msg: "no field registry"}
	}
	checkLen(expr)
	p := &cparser{src: expr, reg: reg, f: &Filter{text: expr}}
	p.toks = lexCapture(expr)
	if p.peek().kind == tEOF {
		p.f.root = constNode(true)
		p.f.finish()
		return p.f, nil
	}
	p.f.root = p.parseExpr()
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			fail(expr, t.pos, "%q has no matching %q", ")", "(")
		}
		fail(expr, t.pos, "unexpected %s (join primitives with and, or)", describe(t))
	}
	p.f.finish()
	return p.f, nil
}

// lexCapture splits a capture filter into words, parentheses and the operators
// ! && ||; every other operator belongs to constructs the subset leaves out.
func lexCapture(src string) []token {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", i})
			i++
		case strings.HasPrefix(src[i:], "&&") || strings.HasPrefix(src[i:], "||"):
			toks = append(toks, token{tOp, src[i : i+2], i})
			i += 2
		case c == '!' && !strings.HasPrefix(src[i:], "!="):
			toks = append(toks, token{tOp, "!", i})
			i++
		case c == '[':
			what := "byte offsets"
			if n := len(toks); n > 0 && toks[n-1].kind == tWord {
				what = fmt.Sprintf("byte offsets such as %q", toks[n-1].text+"[...]")
			}
			fail(src, i, "%s are not supported in capture filters; use a display filter (-Y) for that test", what)
		case isWordByte(c) && c != '/':
			j := i
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			toks = append(toks, token{tWord, src[i:j], i})
			i = j
		default:
			j := i + 1
			for j < len(src) && strings.IndexByte("=<>!&|", src[j]) >= 0 && strings.IndexByte("=<>!&|", c) >= 0 {
				j++
			}
			if c == '\\' {
				fail(src, i, "escaped protocol names such as %q are not supported in capture filters", src[i:min(len(src), i+5)])
			}
			fail(src, i, "arithmetic and comparisons (%q) are not supported in capture filters; the subset is host, net, port, portrange, less, greater and protocol names", src[i:j])
		}
	}
	return append(toks, token{tEOF, "", len(src)})
}

type dir uint8

const (
	dirAny  dir = iota // none given, or "src or dst"
	dirSrc             // src
	dirDst             // dst
	dirBoth            // "src and dst"
)

// quals are the qualifiers of a primitive: protocol, direction, type.
type quals struct {
	proto string
	dir   dir
	typ   string
}

type cparser struct {
	cursor
	src   string
	reg   Registry
	f     *Filter
	depth int
	last  quals // qualifiers a bare value inherits, as tcpdump does
	have  bool  // last is set
}

func (p *cparser) parseExpr() node {
	n := p.parseUnary()
	for {
		switch {
		case p.is("and", "&&"):
			p.next()
			n = &andNode{n, p.parseUnary()}
		case p.is("or", "||"):
			p.next()
			n = &orNode{n, p.parseUnary()}
		default:
			return n
		}
	}
}

func (p *cparser) parseUnary() node {
	t := p.peek()
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		fail(p.src, t.pos, "the filter is nested too deeply (more than %d levels)", maxDepth)
	}
	if p.is("not", "!") {
		p.next()
		return &notNode{p.parseUnary()}
	}
	if t.kind == tLParen {
		p.next()
		n := p.parseExpr()
		if c := p.peek(); c.kind != tRParen {
			if c.kind == tEOF {
				fail(p.src, t.pos, "%q is not closed (expected %q)", "(", ")")
			}
			fail(p.src, c.pos, "expected %q, found %s", ")", describe(c))
		}
		p.next()
		return n
	}
	return p.parsePrimitive()
}

var captureProtos = map[string]string{
	"ether": "eth", "ip": "ip", "ip6": "ipv6", "arp": "arp",
	"tcp": "tcp", "udp": "udp", "icmp": "icmp", "icmp6": "icmpv6",
}

var captureTypes = map[string]bool{"host": true, "net": true, "port": true, "portrange": true}

// unsupported are pcap-filter words outside the subset, so the error can say the
// construct exists but is not supported (rather than "unknown").
var unsupported = map[string]string{
	"ipv6": "ip6", "icmpv6": "icmp6", "eth": "ether",
}

var unsupportedWords = strings.Fields(`gateway broadcast multicast vlan mpls pppoed pppoes geneve vxlan
	proto protochain len inbound outbound ifname on rnr rulenum reason rset srnr subrulenum action
	type subtype dir ra ta addr1 addr2 addr3 addr4 rarp sctp fddi tr wlan link ppp slip decnet atalk
	aarp iso esis isis clnp stp ipx netbeui lat moprc mopdl sca igmp igrp pim vrrp carp ah esp llc
	radio l1 l2 iih lsp snp csnp psnp mask`)

const supportedList = "host, net, port, portrange, less, greater, src, dst, ether, ip, ip6, arp, tcp, udp, icmp, icmp6, and, or, not"

func isUnsupported(w string) bool {
	for _, u := range unsupportedWords {
		if w == u {
			return true
		}
	}
	return false
}

func (p *cparser) rejectWord(t token) {
	if s, ok := unsupported[t.text]; ok {
		fail(p.src, t.pos, "%q is not a capture-filter keyword (did you mean %q?)", t.text, s)
	}
	if isUnsupported(t.text) {
		fail(p.src, t.pos, "%q is not supported in capture filters (supported: %s)", t.text, supportedList)
	}
}

func isKeyword(w string) bool {
	if _, ok := captureProtos[w]; ok {
		return true
	}
	switch w {
	case "and", "or", "not", "src", "dst", "less", "greater":
		return true
	}
	return captureTypes[w] || isUnsupported(w)
}

func (p *cparser) parsePrimitive() node {
	start := p.peek()
	if start.kind != tWord {
		if start.kind == tEOF {
			fail(p.src, start.pos, "expected a primitive such as %q, found the end of the filter", "port 80")
		}
		fail(p.src, start.pos, "expected a primitive such as %q, found %s", "port 80", describe(start))
	}
	if start.text == "less" || start.text == "greater" {
		p.next()
		n := p.next()
		v, err := strconv.ParseUint(n.text, 0, 32)
		if n.kind != tWord || err != nil {
			fail(p.src, n.pos, "%q needs a length in bytes, such as %q", start.text, start.text+" 100")
		}
		op, sym := opLe, "<="
		if start.text == "greater" {
			op, sym = opGe, ">="
		}
		p.have = false
		return p.cmp("frame.len", &litPred{t: Uint, op: op, lit: Value{N: v}}, sym, strconv.FormatUint(v, 10))
	}
	var q quals
	explicit := false
	if pr, ok := captureProtos[start.text]; ok {
		_ = pr
		q.proto = start.text
		explicit = true
		p.next()
	} else {
		p.rejectWord(start)
	}
	if t := p.peek(); t.kind == tWord && (t.text == "src" || t.text == "dst") {
		p.next()
		q.dir = dirSrc
		if t.text == "dst" {
			q.dir = dirDst
		}
		if c, o := p.peek(), p.peekAt(1); (c.text == "or" || c.text == "and" || c.text == "||" || c.text == "&&") && o.kind == tWord && (o.text == "src" || o.text == "dst") && o.text != t.text {
			p.next()
			p.next()
			q.dir = dirAny
			if c.text == "and" || c.text == "&&" {
				q.dir = dirBoth
			}
		}
		explicit = true
	}
	if t := p.peek(); t.kind == tWord && captureTypes[t.text] {
		p.next()
		q.typ = t.text
		explicit = true
	} else if t.kind == tWord {
		p.rejectWord(t)
	}
	if explicit && q.typ == "" && q.dir == dirAny && !p.peekIsID() {
		// A protocol alone: tcp, arp, ip6.
		p.have = false
		switch q.proto {
		case "tcp":
			return p.l4(6, true, true)
		case "udp":
			return p.l4(17, true, true)
		case "icmp":
			return p.l4(1, true, false)
		case "icmp6":
			return p.l4(58, false, true)
		case "arp":
			return p.arpOuter()
		}
		return &presentNode{p.operand(captureProtos[q.proto])}
	}
	if explicit && q.typ == "" && q.dir == dirAny {
		fail(p.src, p.peek().pos, "expected host, net, port or portrange after %q, found %s", q.proto, describe(p.peek()))
	}
	if !explicit {
		if !p.peekIsID() {
			fail(p.src, start.pos, "expected a primitive such as %q, found %s", "port 80", describe(start))
		}
		if p.have {
			q = p.last
		} else {
			q.typ = "host"
		}
	}
	if q.typ == "" {
		q.typ = "host"
	}
	id := p.peek()
	if !p.peekIsID() {
		fail(p.src, id.pos, "expected a value after %q, found %s", p.toks[p.i-1].text, describe(id))
	}
	p.next()
	p.last, p.have = q, true
	switch q.typ {
	case "host":
		return p.host(q, id)
	case "net":
		return p.net(q, id)
	default:
		return p.port(q, id)
	}
}

func (p *cparser) peekIsID() bool {
	t := p.peek()
	return t.kind == tWord && !isKeyword(t.text)
}

func (p *cparser) operand(name string) *operand {
	fld, ok := p.reg.Lookup(name)
	if !ok {
		fail(p.src, 0, "the field registry has no %q, which capture filters need", name)
	}
	return p.f.newOperand(fld, fld.Name)
}

// cmp tests the first occurrence of a field (field#1). tcpdump looks at the
// outermost headers only: the IPv4 header quoted inside an ICMP error, or the
// packet inside a tunnel, is not what "host" or "port" test.
func (p *cparser) cmp(name string, pr pred, sym, text string) node {
	o := p.operand(name)
	o.layer = 1
	o.text += "#1"
	return &cmpNode{o: o, q: qAny, p: pr, op: sym, text: text}
}

// l4 tests that the outermost IPv4 (v4) or IPv6 (v6) header carries protocol
// num, as tcpdump's "tcp", "udp", "icmp" and "icmp6" do.
func (p *cparser) l4(num uint64, v4, v6 bool) node {
	pr := &litPred{t: Uint, op: opEq, lit: Value{N: num}}
	text := strconv.FormatUint(num, 10)
	var n node
	if v4 {
		n = p.cmp("ip.proto", pr, "==", text)
	}
	if v6 {
		m := p.cmp("ipv6.nxt", pr, "==", text)
		if n == nil {
			return m
		}
		n = &orNode{n, m}
	}
	return n
}

// arpOuter is an ARP packet that is not inside a tunnel (tcpdump's "arp" tests
// the outermost link-layer type; an ARP message never carries IP itself).
func (p *cparser) arpOuter() node {
	return &andNode{&presentNode{p.operand("arp")}, &andNode{&notNode{&presentNode{p.operand("ip")}}, &notNode{&presentNode{p.operand("ipv6")}}}}
}

// dirTest builds the test for a direction over a source and a destination field.
func (p *cparser) dirTest(d dir, src, dst string, pr pred, sym, text string) node {
	switch d {
	case dirSrc:
		return p.cmp(src, pr, sym, text)
	case dirDst:
		return p.cmp(dst, pr, sym, text)
	case dirBoth:
		return &andNode{p.cmp(src, pr, sym, text), p.cmp(dst, pr, sym, text)}
	}
	return &orNode{p.cmp(src, pr, sym, text), p.cmp(dst, pr, sym, text)}
}

func (p *cparser) badProto(q quals, id token) {
	fail(p.src, id.pos, "%q cannot qualify %q; write %q", q.proto, q.typ, q.proto+" and "+q.typ+" "+id.text)
}

func (p *cparser) host(q quals, id token) node {
	if q.proto == "ether" {
		m, ok := parseMAC(id.text)
		if !ok {
			fail(p.src, id.pos, "%q is not a valid Ethernet address (write it as aa:bb:cc:dd:ee:ff)", id.text)
		}
		v := Value{N: m}
		return p.dirTest(q.dir, "eth.src", "eth.dst", &litPred{t: Ether, op: opEq, lit: v}, "==", formatValue(Ether, v))
	}
	a, err := netip.ParseAddr(id.text)
	if err != nil || a.Zone() != "" {
		if _, ok := parseMAC(id.text); ok {
			fail(p.src, id.pos, "%q is an Ethernet address; write %q", id.text, "ether host "+id.text)
		}
		if q.proto == "" && !strings.ContainsAny(id.text[:1], "0123456789:") {
			fail(p.src, id.pos, "%q is not an address or a supported keyword; capture filters here do not resolve host names (supported: %s)", id.text, supportedList)
		}
		fail(p.src, id.pos, "%q is not a valid IP address", id.text)
	}
	return p.addrTest(q, id, a.Is4(), &litPred{t: IPv4, op: opEq, lit: Value{N: v4NumSafe(a)}}, ipv6Pred(a), a.String())
}

func v4NumSafe(a netip.Addr) uint64 {
	if a.Is4() {
		return v4Num(a)
	}
	return 0
}

func ipv6Pred(a netip.Addr) pred {
	if !a.Is6() {
		return nil
	}
	b := a.As16()
	return &litPred{t: IPv6, op: opEq, lit: Value{B: b[:]}}
}

// addrTest tests an IPv4 (v4 true) or IPv6 address or network against the
// address fields the protocol qualifier allows: ip and arp for IPv4, ipv6 for
// IPv6, as tcpdump does.
func (p *cparser) addrTest(q quals, id token, v4 bool, p4, p6 pred, text string) node {
	switch q.proto {
	case "", "ip", "arp", "ip6":
	default:
		p.badProto(q, id)
	}
	if !v4 {
		if q.proto == "ip" || q.proto == "arp" {
			fail(p.src, id.pos, "%q is an IPv6 address; %q needs an IPv4 one", id.text, q.proto+" "+q.typ)
		}
		return p.dirTest(q.dir, "ipv6.src", "ipv6.dst", p6, "==", text)
	}
	if q.proto == "ip6" {
		fail(p.src, id.pos, "%q is an IPv4 address; %q needs an IPv6 one", id.text, "ip6 "+q.typ)
	}
	ip := func() node { return p.dirTest(q.dir, "ip.src", "ip.dst", p4, "==", text) }
	arp := func() node {
		return &andNode{p.arpOuter(), p.dirTest(q.dir, "arp.src.proto_ipv4", "arp.dst.proto_ipv4", p4, "==", text)}
	}
	switch q.proto {
	case "ip":
		return ip()
	case "arp":
		return arp()
	}
	return &orNode{ip(), arp()}
}

func (p *cparser) net(q quals, id token) node {
	if q.proto == "ether" {
		p.badProto(q, id)
	}
	s := id.text
	if t := p.peek(); t.kind == tWord && t.text == "mask" {
		p.next()
		m := p.next()
		a, err1 := netip.ParseAddr(s)
		ma, err2 := netip.ParseAddr(m.text)
		if err1 != nil || !a.Is4() {
			fail(p.src, id.pos, "%q is not a valid IPv4 network", s)
		}
		if m.kind != tWord || err2 != nil || !ma.Is4() {
			fail(p.src, m.pos, "%q is not a valid IPv4 mask (write it as 255.255.255.0)", m.text)
		}
		np := &v4NetPred{net: v4Num(a), mask: v4Num(ma)}
		if np.net&^np.mask != 0 {
			fail(p.src, id.pos, "non-network bits set in %q", s+" mask "+m.text)
		}
		return p.addrTest(q, id, true, np, nil, v4NetText(np))
	}
	var pfx netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		pfx, err = netip.ParsePrefix(s)
		if err != nil || pfx.Addr().Zone() != "" {
			fail(p.src, id.pos, "%q is not a valid network (write it as 10.0.0.0/8)", s)
		}
	} else if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		bitsN := 128
		if a.Is4() {
			bitsN = 32
		}
		pfx = netip.PrefixFrom(a, bitsN)
	} else {
		// Abbreviated IPv4 network: net 10, net 172.16, net 192.168.1.
		parts := strings.Split(s, ".")
		if len(parts) > 3 {
			fail(p.src, id.pos, "%q is not a valid network", s)
		}
		var b [4]byte
		for i, x := range parts {
			n, err := strconv.ParseUint(x, 10, 8)
			if err != nil {
				fail(p.src, id.pos, "%q is not a valid network (write it as 10.0.0.0/8)", s)
			}
			b[i] = byte(n)
		}
		pfx = netip.PrefixFrom(netip.AddrFrom4(b), 8*len(parts))
	}
	if pfx.Masked() != pfx {
		fail(p.src, id.pos, "non-network bits set in %q", s)
	}
	if pfx.Addr().Is4() {
		np := v4Prefix(pfx)
		return p.addrTest(q, id, true, np, nil, pfx.String())
	}
	return p.addrTest(q, id, false, nil, &v6NetPred{net: pfx.Addr().As16(), bits: pfx.Bits()}, pfx.String())
}

var portNames = map[string]uint64{
	"ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53,
	"bootps": 67, "bootpc": 68, "tftp": 69, "http": 80, "www": 80, "pop3": 110,
	"ntp": 123, "imap": 143, "snmp": 161, "ldap": 389, "https": 443, "imaps": 993,
	"pop3s": 995, "mysql": 3306, "http-alt": 8080,
}

func (p *cparser) portNum(s string, pos int) uint64 {
	if n, ok := portNames[s]; ok {
		return n
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		fail(p.src, pos, "%q is not a valid port (a number from 0 to 65535)", s)
	}
	return n
}

func (p *cparser) port(q quals, id token) node {
	var pr pred
	var sym, text string
	if q.typ == "portrange" {
		k := strings.IndexByte(id.text, '-')
		if k <= 0 {
			fail(p.src, id.pos, "%q is not a port range (write it as 1024-65535)", id.text)
		}
		lo, hi := p.portNum(id.text[:k], id.pos), p.portNum(id.text[k+1:], id.pos+k+1)
		if lo > hi {
			lo, hi = hi, lo
		}
		pr = &rangePred{t: Uint, lo: Value{N: lo}, hi: Value{N: hi}}
		sym, text = "in", fmt.Sprintf("{%d..%d}", lo, hi)
	} else {
		n := p.portNum(id.text, id.pos)
		pr = &litPred{t: Uint, op: opEq, lit: Value{N: n}}
		sym, text = "==", strconv.FormatUint(n, 10)
	}
	tcp := func(v4, v6 bool) node {
		return &andNode{p.l4(6, v4, v6), p.dirTest(q.dir, "tcp.srcport", "tcp.dstport", pr, sym, text)}
	}
	udp := func(v4, v6 bool) node {
		return &andNode{p.l4(17, v4, v6), p.dirTest(q.dir, "udp.srcport", "udp.dstport", pr, sym, text)}
	}
	switch q.proto {
	case "tcp":
		return tcp(true, true)
	case "udp":
		return udp(true, true)
	case "":
		return &orNode{tcp(true, true), udp(true, true)}
	}
	p.badProto(q, id)
	return nil
}
