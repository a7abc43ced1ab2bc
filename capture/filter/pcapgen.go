package filter

// A capture filter is evaluated as tcpdump evaluates it: on the frame's bytes,
// with the offsets libpcap's code generator uses for the link type, so that
// "ip" on an 802.1Q-tagged frame is false until "vlan" moves the offsets, "tcp"
// looks at the outer IPv4 or IPv6 header only, and a load past the captured
// bytes rejects the packet (a BPF program returns 0 there), whatever the rest
// of the filter says. The code below mirrors libpcap 1.10's gencode.c, which
// tcpdump 4.99 uses; it is evaluated directly instead of compiled to BPF
// instructions (see bench/README.md for the measured cost).

// pframe is the frame a capture filter sees: the captured bytes and the length
// on the wire (BPF's "len").
type pframe struct {
	data    []byte
	wirelen uint32
	bad     bool // a load fell outside the captured bytes: the packet is rejected
}

func (x *pframe) load(off uint32, size uint32) uint32 {
	end := uint64(off) + uint64(size)
	if end > uint64(len(x.data)) {
		x.bad = true
		return 0
	}
	d := x.data[off:end]
	switch size {
	case 1:
		return uint32(d[0])
	case 2:
		return uint32(d[0])<<8 | uint32(d[1])
	}
	return uint32(d[0])<<24 | uint32(d[1])<<16 | uint32(d[2])<<8 | uint32(d[3])
}

// bnode is a test: a BPF block.
type bnode interface {
	test(x *pframe) bool
}

// anode is an arithmetic value: BPF's accumulator after a statement list.
type anode interface {
	val(x *pframe) uint32
}

type pand struct{ a, b bnode }
type por struct{ a, b bnode }
type pnot struct{ a bnode }
type pconst bool

func (n *pand) test(x *pframe) bool { return n.a.test(x) && !x.bad && n.b.test(x) }
func (n *por) test(x *pframe) bool  { return n.a.test(x) && !x.bad || !x.bad && n.b.test(x) }
func (n *pnot) test(x *pframe) bool { return !n.a.test(x) }
func (n pconst) test(*pframe) bool  { return bool(n) }

func band(a, b bnode) bnode {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return &pand{a, b}
}

func bor(a, b bnode) bnode { return &por{a, b} }

func bnot(a bnode) bnode { return &pnot{a} }

// jump kinds, as BPF's conditional jumps.
const (
	jEq uint8 = iota
	jGt
	jGe
	jSet
)

func jump(j uint8, a, k uint32) bool {
	switch j {
	case jEq:
		return a == k
	case jGt:
		return a > k
	case jGe:
		return a >= k
	}
	return a&k != 0
}

// pcmp loads size bytes at a constant offset, masks them and compares.
type pcmp struct {
	off, size uint32
	mask      uint32 // noMask for none
	j         uint8
	k         uint32
}

const noMask = 0xffffffff

func (n *pcmp) test(x *pframe) bool {
	return jump(n.j, x.load(n.off, n.size)&n.mask, n.k)
}

// ptcmp loads at an offset past the IPv4 header: off + 4*(P[ihl]&0xf) (BPF's
// ldx 4*([k]&0xf) addressing).
type ptcmp struct {
	ihl uint32 // offset of the IPv4 header's first byte
	pcmp
}

func (n *ptcmp) test(x *pframe) bool {
	h := x.load(n.ihl, 1)
	if x.bad {
		return false
	}
	return jump(n.j, x.load(n.off+(h&0xf)*4, n.size)&n.mask, n.k)
}

// pbytes compares bytes at a constant offset (an Ethernet address).
type pbytes struct {
	off uint32
	b   []byte
}

func (n *pbytes) test(x *pframe) bool {
	end := uint64(n.off) + uint64(len(n.b))
	if end > uint64(len(x.data)) {
		x.bad = true
		return false
	}
	return string(x.data[n.off:end]) == string(n.b)
}

// prel is a relation between two arithmetic values, after the protocol checks
// the values' loads imply.
type prel struct {
	checks bnode // may be nil
	a, b   anode
	j      uint8
	not    bool
}

func (n *prel) test(x *pframe) bool {
	if n.checks != nil && (!n.checks.test(x) || x.bad) {
		return false
	}
	a := n.a.val(x)
	b := n.b.val(x)
	if x.bad {
		return false
	}
	return jump(n.j, a, b) != n.not
}

type aconst uint32
type alen struct{}

func (n aconst) val(*pframe) uint32  { return uint32(n) }
func (alen) val(x *pframe) uint32    { return x.wirelen }
func (n *aneg) val(x *pframe) uint32 { return -n.a.val(x) }

type aneg struct{ a anode }

// aload loads size bytes at index + off; with ihl set, also past the IPv4
// header at ihl (tcp[], udp[], icmp[]).
type aload struct {
	index anode
	off   uint32
	size  uint32
	ihl   uint32
	tran  bool
}

func (n *aload) val(x *pframe) uint32 {
	i := n.index.val(x)
	if n.tran {
		h := x.load(n.ihl, 1)
		i += (h & 0xf) * 4
	}
	if x.bad {
		return 0
	}
	return x.load(i+n.off, n.size)
}

type abin struct {
	op   byte // + - * / % & | ^ < (shift left) > (shift right)
	a, b anode
}

func (n *abin) val(x *pframe) uint32 {
	a, b := n.a.val(x), n.b.val(x)
	switch n.op {
	case '+':
		return a + b
	case '-':
		return a - b
	case '*':
		return a * b
	case '/':
		if b == 0 {
			x.bad = true
			return 0
		}
		return a / b
	case '%':
		if b == 0 {
			x.bad = true
			return 0
		}
		return a % b
	case '&':
		return a & b
	case '|':
		return a | b
	case '^':
		return a ^ b
	case '<':
		if b >= 32 {
			return 0
		}
		return a << b
	}
	if b >= 32 {
		return 0
	}
	return a >> b
}

// prog is a capture filter compiled for one link type: root, or the reason the
// filter cannot be used on that link type (tcpdump refuses it too).
type prog struct {
	root bnode
	err  *Error
}

func (p *prog) match(x *pframe, data []byte, wirelen int) bool {
	if p == nil || p.root == nil {
		return false
	}
	*x = pframe{data: data, wirelen: uint32(wirelen)}
	ok := p.root.test(x) && !x.bad
	x.data = nil
	return ok
}

// Link types (LINKTYPE_ values, as pcap and pcapng files record them) whose
// headers capture filters understand.
const (
	ltNull     = 0
	ltEthernet = 1
	ltPPP      = 9
	ltPPPHDLC  = 50
	ltRaw      = 101
	ltCHDLC    = 104
	ltLoop     = 108
	ltSLL      = 113
	ltIPv4     = 228
	ltIPv6     = 229
	ltSLL2     = 276
)

// pcapLinkTypes lists them, in the order of Filter.progs.
var pcapLinkTypes = []int{ltEthernet, ltSLL, ltSLL2, ltNull, ltLoop, ltRaw, ltIPv4, ltIPv6, ltPPP, ltCHDLC}

func linkIndex(lt int) int {
	switch lt {
	case ltEthernet:
		return 0
	case ltSLL:
		return 1
	case ltSLL2:
		return 2
	case ltNull:
		return 3
	case ltLoop:
		return 4
	case ltRaw, 12, 14:
		return 5
	case ltIPv4:
		return 6
	case ltIPv6:
		return 7
	case ltPPP, ltPPPHDLC:
		return 8
	case ltCHDLC:
		return 9
	}
	return -1
}

const offNotSet = ^uint32(0)

// gen generates the tests of one capture filter for one link type; like
// libpcap's compiler state, vlan moves the offsets for what follows.
type gen struct {
	src      string
	lt       int
	linkType uint32 // offset of the link-layer type field, or offNotSet
	linkPl   uint32 // offset of the link-layer payload
	nl       uint32 // offset of the network layer in the payload (Ethernet II: 0)
	nosnap   uint32 // the same for 802.2 LLC without SNAP
	vlans    int
}

func newGen(src string, lt int) *gen {
	g := &gen{src: src, lt: lt}
	switch lt {
	case ltEthernet:
		g.linkType, g.linkPl, g.nosnap = 12, 14, 3
	case ltSLL:
		g.linkType, g.linkPl = 14, 16
	case ltSLL2:
		g.linkType, g.linkPl = 0, 20
	case ltNull, ltLoop:
		g.linkType, g.linkPl = 0, 4
	case ltRaw, ltIPv4, ltIPv6:
		g.linkType, g.linkPl = offNotSet, 0
	case ltPPP, ltCHDLC:
		g.linkType, g.linkPl = 2, 4
	}
	return g
}

func (g *gen) linkName() string {
	switch g.lt {
	case ltEthernet:
		return "Ethernet"
	case ltSLL:
		return "Linux cooked v1"
	case ltSLL2:
		return "Linux cooked v2"
	case ltNull:
		return "BSD loopback"
	case ltLoop:
		return "OpenBSD loopback"
	case ltRaw:
		return "Raw IP"
	case ltIPv4:
		return "Raw IPv4"
	case ltIPv6:
		return "Raw IPv6"
	case ltPPP:
		return "PPP"
	case ltCHDLC:
		return "Cisco HDLC"
	}
	return "this link type"
}

// Offsets relative to which a test loads, as libpcap's e_offrel.
const (
	orPacket = iota
	orLinkHdr
	orLinkType
	orLLC    // start of the link-layer payload
	orLinkPl // start of the network layer
	orLinkPlNoSnap
	orTranIPv4
	orTranIPv6
)

func (g *gen) abs(rel int, off uint32) uint32 {
	switch rel {
	case orLinkType:
		return g.linkType + off
	case orLLC:
		return g.linkPl + off
	case orLinkPl:
		return g.linkPl + g.nl + off
	case orLinkPlNoSnap:
		return g.linkPl + g.nosnap + off
	case orTranIPv6:
		return g.linkPl + g.nl + 40 + off
	}
	return off
}

func (g *gen) cmp(rel int, off, size uint32, j uint8, k, mask uint32) bnode {
	c := pcmp{off: g.abs(rel, off), size: size, mask: mask, j: j, k: k}
	if rel == orTranIPv4 {
		return &ptcmp{ihl: g.linkPl + g.nl, pcmp: pcmp{off: g.linkPl + g.nl + off, size: size, mask: mask, j: j, k: k}}
	}
	return &c
}

func (g *gen) eq(rel int, off, size, k uint32) bnode { return g.cmp(rel, off, size, jEq, k, noMask) }

// Ethernet types and LLC SAPs libpcap tests by name.
const (
	etherMTU     = 1500
	etIP         = 0x0800
	etARP        = 0x0806
	etRARP       = 0x8035
	etIPv6       = 0x86dd
	etATalk      = 0x809b
	etAARP       = 0x80f3
	etIPX        = 0x8137
	et8021Q      = 0x8100
	et8021AD     = 0x88a8
	et8021QinQ   = 0x9100
	etDECnet     = 0x6003
	etNS         = 0x0600
	sapISONS     = 0xfe
	sapIP        = 0x06
	sapNetBEUI   = 0xf0
	sapIPX       = 0xe0
	sap8021D     = 0x42
	sapSNAP      = 0xaa
	sllP8022     = 0x0004
	sllP8023     = 0x0001
	protoFrag6   = 44
	ipprotoTCP   = 6
	ipprotoUDP   = 17
	ipprotoSCTP  = 132
	ipprotoICMP  = 1
	ipprotoICMP6 = 58
)

func (g *gen) snap(org, ptype uint32) bnode {
	// DSAP, SSAP = SNAP, control 3, then the organisation code and the type.
	b := []byte{sapSNAP, sapSNAP, 0x03, byte(org >> 16), byte(org >> 8), byte(org), byte(ptype >> 8), byte(ptype)}
	return &pbytes{off: g.abs(orLLC, 0), b: b}
}

// linktype tests the link-layer protocol: an Ethernet type above 1500 or an
// LLC SAP (gen_linktype).
func (g *gen) linktype(p uint32, pos int) bnode {
	switch g.lt {
	case ltEthernet:
		is8023 := bnot(g.cmp(orLinkType, 0, 2, jGt, etherMTU, noMask))
		switch p {
		case sapISONS, sapIP, sapNetBEUI:
			return band(is8023, g.eq(orLLC, 0, 2, p<<8|p))
		case sapIPX:
			b := bor(g.eq(orLLC, 0, 1, sapIPX), g.eq(orLLC, 0, 2, 0xffff))
			b = bor(b, g.snap(0, etIPX))
			b = band(is8023, b)
			return bor(g.eq(orLinkType, 0, 2, etIPX), b)
		case etATalk, etAARP:
			var s bnode
			if p == etATalk {
				s = g.snap(0x080007, etATalk)
			} else {
				s = g.snap(0, etAARP)
			}
			return bor(g.eq(orLinkType, 0, 2, p), band(is8023, s))
		}
		if p <= etherMTU {
			return band(is8023, g.eq(orLinkType, 2, 1, p))
		}
		return g.eq(orLinkType, 0, 2, p)
	case ltSLL:
		is8022 := g.eq(orLinkType, 0, 2, sllP8022)
		switch p {
		case sapISONS, sapIP, sapNetBEUI:
			return band(is8022, g.eq(orLLC, 0, 2, p<<8|p))
		case sapIPX:
			b := band(is8022, bor(g.eq(orLLC, 0, 1, sapIPX), g.snap(0, etIPX)))
			b = bor(g.eq(orLinkType, 0, 2, sllP8023), b)
			return bor(g.eq(orLinkType, 0, 2, etIPX), b)
		case etATalk, etAARP:
			var s bnode
			if p == etATalk {
				s = g.snap(0x080007, etATalk)
			} else {
				s = g.snap(0, etAARP)
			}
			return bor(g.eq(orLinkType, 0, 2, p), band(is8022, s))
		}
		if p <= etherMTU {
			return band(is8022, g.eq(orLLC, 0, 1, p))
		}
		return g.eq(orLinkType, 0, 2, p)
	case ltCHDLC:
		if p == sapISONS {
			p = p<<8 | sapISONS
		}
		return g.eq(orLinkType, 0, 2, p)
	case ltRaw:
		switch p {
		case etIP:
			return g.cmp(orLinkHdr, 0, 1, jEq, 0x40, 0xf0)
		case etIPv6:
			return g.cmp(orLinkHdr, 0, 1, jEq, 0x60, 0xf0)
		}
		return pconst(false)
	case ltIPv4:
		return pconst(p == etIP)
	case ltIPv6:
		return pconst(p == etIPv6)
	case ltPPP:
		return g.eq(orLinkType, 0, 2, pppType(p))
	case ltNull, ltLoop:
		af := func(v uint32) bnode {
			if g.lt == ltLoop {
				return g.eq(orLinkHdr, 0, 4, v)
			}
			// DLT_NULL holds the AF_ value in the capturing host's byte
			// order; accept either.
			return bor(g.eq(orLinkHdr, 0, 4, v), g.eq(orLinkHdr, 0, 4, swap32(v)))
		}
		switch p {
		case etIP:
			return af(2)
		case etIPv6:
			return bor(bor(af(24), af(28)), af(30))
		}
		return pconst(false)
	case ltSLL2:
		return g.eq(orLinkType, 0, 2, p)
	}
	fail(g.src, pos, "%s link-layer type filtering not implemented", g.linkName())
	return nil
}

func swap32(v uint32) uint32 { return v>>24 | v>>8&0xff00 | v<<8&0xff0000 | v<<24 }

func pppType(p uint32) uint32 {
	switch p {
	case etIP:
		return 0x0021
	case etIPv6:
		return 0x0057
	case etDECnet:
		return 0x0027
	case etATalk:
		return 0x0029
	case etNS:
		return 0x0025
	case sapISONS:
		return 0x0023
	case sap8021D:
		return 0x0031
	case sapIPX:
		return 0x002b
	}
	return p
}

// ipfrag is true unless the IPv4 packet is a fragment other than the first.
func (g *gen) ipfrag() bnode {
	return bnot(g.cmp(orLinkPl, 6, 2, jSet, 0x1fff, noMask))
}

// proto tests the protocol an IPv4 (v4) and/or IPv6 header carries (gen_proto
// for Q_IP, Q_IPV6, Q_DEFAULT).
func (g *gen) proto(v uint32, v4, v6 bool, pos int) bnode {
	var b4, b6 bnode
	if v4 {
		b4 = band(g.linktype(etIP, pos), g.eq(orLinkPl, 9, 1, v))
	}
	if v6 {
		frag := band(g.eq(orLinkPl, 6, 1, protoFrag6), g.eq(orLinkPl, 40, 1, v))
		b6 = band(g.linktype(etIPv6, pos), bor(g.eq(orLinkPl, 6, 1, v), frag))
	}
	switch {
	case b4 == nil:
		return b6
	case b6 == nil:
		return b4
	}
	return bor(b4, b6)
}

// Address qualifiers.
const (
	qDefault = iota
	qHost
	qNet
	qPort
	qPortRange
	qProto
	qProtochain
	qGateway
)

// Direction qualifiers.
const (
	dDefault = iota
	dSrc
	dDst
	dOr
	dAnd
	dAddr1
	dAddr2
	dAddr3
	dAddr4
	dRA
	dTA
)

func (g *gen) dirs(dir int, pos int, one func(src bool) bnode) bnode {
	switch dir {
	case dSrc:
		return one(true)
	case dDst:
		return one(false)
	case dAnd:
		return band(one(true), one(false))
	case dDefault, dOr:
		return bor(one(true), one(false))
	}
	fail(g.src, pos, "%q and the other 802.11 address qualifiers are not valid here", dirName(dir))
	return nil
}

func dirName(d int) string {
	return [...]string{"", "src", "dst", "src or dst", "src and dst", "addr1", "addr2", "addr3", "addr4", "ra", "ta"}[d]
}

func (g *gen) hostop(addr, mask uint32, dir int, ll uint32, srcOff, dstOff uint32, pos int) bnode {
	return g.dirs(dir, pos, func(src bool) bnode {
		off := dstOff
		if src {
			off = srcOff
		}
		return band(g.linktype(ll, pos), g.cmp(orLinkPl, off, 4, jEq, addr&mask, mask))
	})
}

// host tests an IPv4 address or network with the protocol qualifier proto
// ("", "ip", "arp", "rarp").
func (g *gen) host(addr, mask uint32, proto string, dir int, pos int) bnode {
	switch proto {
	case "":
		b := g.host(addr, mask, "ip", dir, pos)
		b = bor(b, g.host(addr, mask, "arp", dir, pos))
		return bor(b, g.host(addr, mask, "rarp", dir, pos))
	case "ip":
		return g.hostop(addr, mask, dir, etIP, 12, 16, pos)
	case "arp":
		return g.hostop(addr, mask, dir, etARP, 14, 24, pos)
	case "rarp":
		return g.hostop(addr, mask, dir, etRARP, 14, 24, pos)
	}
	fail(g.src, pos, "%q modifier applied to host", proto)
	return nil
}

func (g *gen) host6(addr, mask [16]byte, proto string, dir int, pos int) bnode {
	if proto != "" && proto != "ip6" {
		fail(g.src, pos, "%q modifier applied to ip6 host", proto)
	}
	return g.dirs(dir, pos, func(src bool) bnode {
		off := uint32(24)
		if src {
			off = 8
		}
		var b bnode
		for w := 3; w >= 0; w-- {
			a := be32b(addr[4*w:])
			m := be32b(mask[4*w:])
			c := g.cmp(orLinkPl, off+uint32(4*w), 4, jEq, a&m, m)
			if b == nil {
				b = c
			} else {
				b = band(c, b)
			}
		}
		return band(g.linktype(etIPv6, pos), b)
	})
}

func be32b(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func (g *gen) ehost(mac []byte, dir int, pos int) bnode {
	if g.lt != ltEthernet {
		fail(g.src, pos, "ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel (not on %s)", g.linkName())
	}
	return g.dirs(dir, pos, func(src bool) bnode {
		off := uint32(0)
		if src {
			off = 6
		}
		return &pbytes{off: off, b: mac}
	})
}

// portop tests one transport protocol's port(s) over IPv4 (gen_portop).
func (g *gen) portop(lo, hi uint32, proto uint32, dir int, pos int) bnode {
	b0 := band(g.eq(orLinkPl, 9, 1, proto), g.ipfrag())
	atom := func(off uint32) bnode {
		if lo == hi {
			return g.cmp(orTranIPv4, off, 2, jEq, lo, noMask)
		}
		return band(g.cmp(orTranIPv4, off, 2, jGe, lo, noMask), bnot(g.cmp(orTranIPv4, off, 2, jGt, hi, noMask)))
	}
	return band(b0, g.dirs(dir, pos, func(src bool) bnode {
		if src {
			return atom(0)
		}
		return atom(2)
	}))
}

func (g *gen) portop6(lo, hi uint32, proto uint32, dir int, pos int) bnode {
	b0 := g.eq(orLinkPl, 6, 1, proto)
	atom := func(off uint32) bnode {
		if lo == hi {
			return g.cmp(orTranIPv6, off, 2, jEq, lo, noMask)
		}
		return band(g.cmp(orTranIPv6, off, 2, jGe, lo, noMask), bnot(g.cmp(orTranIPv6, off, 2, jGt, hi, noMask)))
	}
	return band(b0, g.dirs(dir, pos, func(src bool) bnode {
		if src {
			return atom(0)
		}
		return atom(2)
	}))
}

// port tests a port or port range over IPv4 and IPv6 for proto (0: TCP, UDP or
// SCTP).
func (g *gen) port(lo, hi uint32, proto uint32, dir int, pos int) bnode {
	if lo > hi {
		lo, hi = hi, lo
	}
	protos := []uint32{proto}
	if proto == 0 {
		protos = []uint32{ipprotoTCP, ipprotoUDP, ipprotoSCTP}
	}
	var b4, b6 bnode
	for _, p := range protos {
		t := g.portop(lo, hi, p, dir, pos)
		if b4 == nil {
			b4 = t
		} else {
			b4 = bor(b4, t)
		}
		t6 := g.portop6(lo, hi, p, dir, pos)
		if b6 == nil {
			b6 = t6
		} else {
			b6 = bor(b6, t6)
		}
	}
	v4 := band(g.linktype(etIP, pos), b4)
	v6 := band(g.linktype(etIPv6, pos), b6)
	return bor(v6, v4)
}

// abbrev is a protocol name used alone: tcp, ip, arp (gen_proto_abbrev).
func (g *gen) abbrev(name string, pos int) bnode {
	switch name {
	case "sctp":
		return g.proto(ipprotoSCTP, true, true, pos)
	case "tcp":
		return g.proto(ipprotoTCP, true, true, pos)
	case "udp":
		return g.proto(ipprotoUDP, true, true, pos)
	case "icmp":
		return g.proto(ipprotoICMP, true, false, pos)
	case "igmp":
		return g.proto(2, true, false, pos)
	case "igrp":
		return g.proto(9, true, false, pos)
	case "pim":
		return g.proto(103, true, true, pos)
	case "vrrp", "carp":
		return g.proto(112, true, false, pos)
	case "ip":
		return g.linktype(etIP, pos)
	case "arp":
		return g.linktype(etARP, pos)
	case "rarp":
		return g.linktype(etRARP, pos)
	case "atalk":
		return g.linktype(etATalk, pos)
	case "aarp":
		return g.linktype(etAARP, pos)
	case "decnet":
		return g.linktype(etDECnet, pos)
	case "sca":
		return g.linktype(0x6007, pos)
	case "lat":
		return g.linktype(0x6004, pos)
	case "mopdl":
		return g.linktype(0x6001, pos)
	case "moprc":
		return g.linktype(0x6002, pos)
	case "ip6":
		return g.linktype(etIPv6, pos)
	case "icmp6":
		return g.proto(ipprotoICMP6, false, true, pos)
	case "ah":
		return g.proto(51, true, true, pos)
	case "esp":
		return g.proto(50, true, true, pos)
	case "iso":
		return g.linktype(sapISONS, pos)
	case "stp":
		return g.linktype(sap8021D, pos)
	case "llc":
		// An 802.3 frame (a length, not a type) that is not raw NetWare
		// (0xffff where LLC would be); tcpdump tests LLC on Ethernet only.
		if g.lt != ltEthernet {
			fail(g.src, pos, "llc is not supported for this link type (tcpdump tests it on Ethernet only)")
		}
		is8023 := bnot(g.cmp(orLinkType, 0, 2, jGt, etherMTU, noMask))
		return band(is8023, bnot(g.eq(orLLC, 0, 2, 0xffff)))
	case "ipx":
		return g.linktype(sapIPX, pos)
	case "netbeui":
		return g.linktype(sapNetBEUI, pos)
	case "link":
		fail(g.src, pos, "link layer applied in wrong context (ether alone tests nothing: write ether host, ether proto, ether broadcast or ether[0])")
	}
	fail(g.src, pos, "%q is not supported in capture filters here", name)
	return nil
}

// load is proto[index:size] (gen_load): the value and the checks it implies.
func (g *gen) load(proto string, index *arth, size uint32, pos int) *arth {
	switch size {
	case 1, 2, 4:
	default:
		fail(g.src, pos, "data size must be 1, 2, or 4")
	}
	a := &arth{b: index.b}
	switch proto {
	case "link":
		a.v = &aload{index: index.v, size: size}
	case "ip", "arp", "rarp", "atalk", "decnet", "sca", "lat", "moprc", "mopdl", "ip6":
		a.v = &aload{index: index.v, off: g.linkPl + g.nl, size: size}
		a.b = band(index.b, g.abbrev(proto, pos))
	case "sctp", "tcp", "udp", "icmp", "igmp", "igrp", "pim", "vrrp", "carp":
		a.v = &aload{index: index.v, off: g.linkPl + g.nl, size: size, ihl: g.linkPl + g.nl, tran: true}
		b := band(g.abbrev(proto, pos), g.ipfrag())
		b = band(index.b, b)
		a.b = band(g.abbrev("ip", pos), b)
	case "icmp6":
		b := band(index.b, g.abbrev("ip6", pos))
		a.b = band(b, g.eq(orLinkPl, 6, 1, ipprotoICMP6))
		a.v = &aload{index: index.v, off: g.linkPl + g.nl + 40, size: size}
	case "radio":
		fail(g.src, pos, "radio information not present in capture")
	default:
		fail(g.src, pos, "unsupported index operation")
	}
	return a
}

// arth is an arithmetic expression: its value and the protocol checks its
// loads need (libpcap's struct arth).
type arth struct {
	v anode
	b bnode
}

func (g *gen) vlan(id uint32, has bool, pos int) bnode {
	if g.lt != ltEthernet {
		fail(g.src, pos, "no VLAN support for %s", g.linkName())
	}
	b := bor(bor(g.linktype(et8021Q, pos), g.linktype(et8021AD, pos)), g.linktype(et8021QinQ, pos))
	if has {
		if id > 0x0fff {
			fail(g.src, pos, "VLAN tag %d greater than maximum %d", id, 0x0fff)
		}
		b = band(b, g.cmp(orLinkPl, 0, 2, jEq, id, 0x0fff))
	}
	g.linkPl += 4
	g.linkType += 4
	g.vlans++
	return b
}

func (g *gen) broadcast(proto string, pos int) bnode {
	switch proto {
	case "", "link":
		if g.lt != ltEthernet {
			fail(g.src, pos, "not a broadcast link")
		}
		return g.ehost([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, dDst, pos)
	case "ip":
		// tcpdump reading a file has no netmask (0): the limited broadcast
		// address and 0.0.0.0.
		b0 := g.linktype(etIP, pos)
		b1 := g.eq(orLinkPl, 16, 4, 0)
		b2 := g.eq(orLinkPl, 16, 4, 0xffffffff)
		return band(b0, bor(b1, b2))
	}
	fail(g.src, pos, "only link-layer/IP broadcast filters supported")
	return nil
}

func (g *gen) multicast(proto string, pos int) bnode {
	switch proto {
	case "", "link":
		if g.lt != ltEthernet {
			fail(g.src, pos, "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
		}
		return g.cmp(orLinkHdr, 0, 1, jSet, 1, noMask)
	case "ip":
		return band(g.linktype(etIP, pos), g.cmp(orLinkPl, 16, 1, jGe, 224, noMask))
	case "ip6":
		return band(g.linktype(etIPv6, pos), g.eq(orLinkPl, 24, 1, 255))
	}
	fail(g.src, pos, "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
	return nil
}

// protochain follows IPv6 extension headers (and AH) to the protocol v, as
// libpcap's protochain loop does.
type pchain struct {
	v4, v6 bnode // "this is IPv4/IPv6" tests, or nil
	nl     uint32
	v      uint32
}

func (n *pchain) test(x *pframe) bool {
	if n.v4 != nil && n.v4.test(x) && !x.bad {
		p := x.load(n.nl+9, 1)
		off := n.nl + (x.load(n.nl, 1)&0xf)*4
		for i := 0; i < 64 && !x.bad; i++ {
			if p == n.v {
				return true
			}
			if p != 51 { // AH
				return false
			}
			p = x.load(off, 1)
			off += (x.load(off+1, 1) + 2) * 4
		}
		return false
	}
	if x.bad {
		return false
	}
	if n.v6 != nil && n.v6.test(x) && !x.bad {
		p := x.load(n.nl+6, 1)
		off := n.nl + 40
		for i := 0; i < 64 && !x.bad; i++ {
			if p == n.v {
				return true
			}
			switch p {
			case 0, 43, 60: // hop-by-hop, routing, destination options
				nx := x.load(off, 1)
				off += (x.load(off+1, 1) + 1) * 8
				p = nx
			case 44: // fragment
				p = x.load(off, 1)
				off += 8
			case 51: // AH
				nx := x.load(off, 1)
				off += (x.load(off+1, 1) + 2) * 4
				p = nx
			default:
				return false
			}
		}
	}
	return false
}

func (g *gen) protochain(v uint32, proto string, pos int) bnode {
	n := &pchain{nl: g.linkPl + g.nl, v: v}
	switch proto {
	case "":
		n.v4, n.v6 = g.linktype(etIP, pos), g.linktype(etIPv6, pos)
	case "ip":
		n.v4 = g.linktype(etIP, pos)
	case "ip6":
		n.v6 = g.linktype(etIPv6, pos)
	default:
		fail(g.src, pos, "bad protocol applied for 'protochain'")
	}
	return n
}
