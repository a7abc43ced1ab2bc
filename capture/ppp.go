package capture

import (
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// PPP (RFC 1661), as Wireshark's ppp dissector shows it: on the PPP link
// types (LINKTYPE_PPP, 9, and LINKTYPE_PPP_HDLC, 50: PPP in HDLC-like
// framing, RFC 1662) and inside GRE (PPTP's, 0x880b: a tunnel, tunnel.go)
// the address and control bytes when the frame starts with 0xff, then the
// protocol (one byte when its low bit is set: protocol field compression);
// inside PPPoE (pppoe.go) and on LINKTYPE_PPP_ETHER (51) the protocol
// only. IPv4 (0x0021) and IPv6 (0x0057) are decoded as the frame's network
// layer, so ip, udp, dns ... filters match them as on Ethernet; LCP
// (lcp.go), IPCP (ipcp.go), IPv6CP (ipv6cp.go), PAP (pap.go) and CHAP
// (chap.go) have protocols of their own. The control protocols Wireshark
// knows but wirelab does not list (CCP, MPLSCP, CDPCP, OSINLCP) show their
// code, identifier and length (ppp.code ...), their names in
// frame.protocols and the Protocol and Info columns, no options; other
// protocols are data ("PPP Unknown (0x7e08)"). Not decoded: Multilink,
// MPLS, VJ compression (data), and the Cisco HDLC that Wireshark finds in
// a PPP link type's frame starting 0x0f or 0x8f (an unknown protocol here).
var pppProto = protocol{
	name: "ppp", title: "PPP", desc: "Point-to-Point Protocol", example: "ppp",
	fields: []field{
		{name: "ppp.address", typ: filter.Uint, bits: 8, hex: 2, desc: "Address (0xff, all stations), in HDLC-like framing", example: "ppp.address == 0xff",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.ppp.acf > 0 {
					dst = u(dst, uint64(p.ppp.hdr[0]))
				}
				return dst
			}},
		{name: "ppp.control", typ: filter.Uint, bits: 8, hex: 2, desc: "Control (0x03, an unnumbered information frame), in HDLC-like framing", example: "ppp.control == 0x03",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.ppp.acf > 1 {
					dst = u(dst, uint64(p.ppp.hdr[1]))
				}
				return dst
			}},
		{name: "ppp.protocol", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Protocol: 0x0021 IPv4, 0x0057 IPv6, 0xc021 LCP, 0x8021 IPCP, 0x8057 IPv6CP, 0xc023 PAP, 0xc223 CHAP", example: "ppp.protocol == 0xc021",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.ppp.hasProto {
					dst = u(dst, uint64(p.ppp.proto))
				}
				return dst
			}},
		{name: "ppp.code", typ: filter.Uint, bits: 8, desc: "Code of an LCP, IPCP, IPv6CP or CCP packet: 1 Configure-Request, 2 -Ack, 3 -Nak, 4 -Reject, 5 Terminate-Request, 6 -Ack, 7 Code-Reject, 8 Protocol-Reject, 9 Echo-Request, 10 Echo-Reply", example: "ppp.code == 1",
			get: pppCP(func(p *Packet, c []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(c[0])) })},
		{name: "ppp.identifier", typ: filter.Uint, bits: 8, desc: "Identifier, which matches a reply to its request", example: "ppp.identifier == 1",
			get: pppCP(func(p *Packet, c []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(c[1])) })},
		{name: "ppp.length", typ: filter.Uint, bits: 16, desc: "Length of the packet, code to end of its data", example: "ppp.length > 4",
			get: pppCP(func(p *Packet, c []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(be16(c[2:]))) })},
		{name: "ppp.data", typ: filter.Bytes, desc: "Data of a Terminate-Request or -Ack, the packet a Code-Reject rejects, and an unknown code's", example: "ppp.data",
			get: pppCP(func(p *Packet, c []byte, dst []filter.Value) []filter.Value {
				if b := cpData(c); len(b) > 0 && (c[0] >= 5 && c[0] <= 7 || !cpKnownCode(p.ppp.proto, c[0])) {
					dst = append(dst, filter.Value{B: b})
				}
				return dst
			})},
	},
	info: func(p *Packet) (string, string) {
		if p.ppp.cut && len(p.ppp.hdr) == 0 && len(p.ppp.pppoe) > 0 {
			// An empty PPPoE payload: PPP throws before its columns.
			return "PPPoES", "Session Data" + p.cutMark()
		}
		if p.ppp.cut {
			return "PPP", "[Malformed Packet]"
		}
		if _, ok := pppOtherCPs[p.ppp.proto]; ok {
			return p.cpColumns()
		}
		name := pppProtocolNames[p.ppp.proto]
		if name == "" {
			name = "Unknown"
		}
		return "0x" + string(appendHex(nil, uint64(p.ppp.proto), 4)), "PPP " + name + " (0x" + string(appendHex(nil, uint64(p.ppp.proto), 4)) + ")"
	},
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "ppp")
		if cp, ok := pppOtherCPs[p.ppp.proto]; ok && p.ppp.hasProto {
			b = appendProto(b, cp.name)
		}
		if cp, ok := pppOtherCPs[p.ppp.rejProto]; ok && p.ppp.rej != nil {
			b = appendProto(b, cp.name)
		}
		return b
	},
}

// firstPPP is the first layer of PPP a tunnel carries (tunInfo.first; GRE's
// 0x880b, PPTP): PPP in HDLC-like framing. It is no gopacket parser's.
const firstPPP = numFirst

// pppInfo is a frame's PPP and PPPoE headers.
type pppInfo struct {
	// pppoe is the PPPoE header and its payload, as captured (pppoe.go).
	pppoe []byte
	// hdr is the PPP header: address and control (acf bytes of them, in
	// HDLC-like framing), then the protocol, one or two bytes.
	hdr      []byte
	acf      uint8
	proto    uint16
	hasProto bool
	cut      bool // the header ends early
	// cp is the control or authentication protocol's packet (LCP's, PAP's
	// ...), from its code to the end of its length (or of the frame).
	cp []byte
	// cpCut: the packet is shorter than its length says, or its data is
	// (Wireshark's [Malformed Packet]).
	cpCut bool
	// rej is the packet an LCP Protocol-Reject rejects, when it is a
	// control protocol's wirelab knows (IPCP, IPv6CP, CCP ...): Wireshark
	// decodes it too (its header: further ppp.code ... occurrences).
	rej      []byte
	rejProto uint16
}

// pppOtherCP is a PPP control protocol wirelab shows by its header only.
type pppOtherCP struct{ name, column string }

var pppOtherCPs = map[uint16]pppOtherCP{
	0x80fd: {"ccp", "CCP"}, 0x8281: {"mplscp", "MPLSCP"}, 0x8207: {"cdpcp", "CDPCP"}, 0x8023: {"osinlcp", "OSINLCP"},
}

// pppProtocolNames are Wireshark's names of PPP protocols it may show as
// data ("PPP Unknown (0x7e08)" for the others).
var pppProtocolNames = map[uint16]string{
	0x0001: "Padding Protocol", 0x0023: "OSI", 0x0025: "Xerox NS IDP", 0x0027: "DECnet Phase IV", 0x0029: "Appletalk",
	0x002b: "Netware IPX/SPX", 0x002d: "VJ compressed TCP", 0x002f: "VJ uncompressed TCP", 0x0031: "Bridging PDU",
	0x003d: "Multilink", 0x00fd: "compressed packet", 0x0281: "MPLS Unicast", 0x0283: "MPLS Multicast",
}

// decodePPP decodes a PPP frame b: in HDLC-like framing (hdlc: the PPP link
// types) its address and control bytes come first when it starts with 0xff.
func (d *Decoder) decodePPP(p *Packet, b []byte, hdlc bool) {
	p.has |= pppProto.bit
	n := 0
	if hdlc && len(b) > 0 && b[0] == 0xff {
		n = 2
		if len(b) < 2 {
			n = 1
		}
		p.ppp.acf = uint8(n)
	}
	switch {
	case len(b) > n && b[n]&1 == 1:
		p.ppp.proto, p.ppp.hasProto = uint16(b[n]), true
		n++
	case len(b) >= n+2:
		p.ppp.proto, p.ppp.hasProto = be16(b[n:]), true
		n += 2
	default:
		p.ppp.hdr, p.ppp.cut = b, true
		p.Malformed = "PPP header cut short"
		return
	}
	p.ppp.hdr = b[:n]
	rest := b[n:]
	switch p.ppp.proto {
	case 0x0021:
		d.decodeFrom(p, rest, firstIPv4)
		return
	case 0x0057:
		d.decodeFrom(p, rest, firstIPv6)
		return
	case 0x0281, 0x0283: // MPLS unicast, multicast: the label stack, then IP (mpls.go)
		d.decodeFrom(p, rest, firstMPLS)
		return
	case 0xc021:
		p.has |= lcpProto.bit
	case 0x8021:
		p.has |= ipcpProto.bit
	case 0x8057:
		p.has |= ipv6cpProto.bit
	case 0xc023:
		p.has |= papProto.bit
		p.ppp.cp = rest
		if p.ppp.cpCut = papCut(rest); p.ppp.cpCut {
			p.Malformed = "PAP packet cut short"
		}
		return
	case 0xc223:
		p.has |= chapProto.bit
		p.ppp.cp = rest
		if p.ppp.cpCut = chapCut(rest); p.ppp.cpCut {
			p.Malformed = "CHAP packet cut short"
		}
		return
	default:
		if _, ok := pppOtherCPs[p.ppp.proto]; !ok {
			if len(rest) > 0 {
				p.has |= pData
				p.data = rest
			}
			return
		}
	}
	// A control protocol: code, identifier, length, data.
	p.ppp.cp = rest
	switch {
	case len(rest) < 4:
		p.ppp.cpCut = true
	case int(be16(rest[2:])) <= len(rest):
		p.ppp.cp = rest[:max(int(be16(rest[2:])), 4)]
	case rest[0] >= 1 && rest[0] <= 4:
		// Options: the walk may stop (an invalid option) before the end
		// of what was captured.
		p.ppp.cpCut = cpOptions(rest, pppOptionLens[p.ppp.proto], func([]byte) {})
	default:
		p.ppp.cpCut = true
	}
	if p.ppp.cpCut {
		p.Malformed = "PPP control protocol packet cut short"
		return
	}
	// A Protocol-Reject of another control protocol: its packet.
	if c := p.ppp.cp; p.ppp.proto == 0xc021 && len(c) >= 10 && c[0] == 8 {
		rej := be16(c[4:])
		_, other := pppOtherCPs[rej]
		switch {
		case rej == 0x8021:
			p.has |= ipcpProto.bit
		case rej == 0x8057:
			p.has |= ipv6cpProto.bit
		case !other:
			return
		}
		p.ppp.rej, p.ppp.rejProto = c[6:], rej
		if l := int(be16(c[8:])); l >= 4 && l < len(p.ppp.rej) {
			p.ppp.rej = p.ppp.rej[:l]
		}
	}
}

// cpShown tells whether a control protocol's own field is there: Wireshark
// adds it once the header (code, identifier, length) is read.
func cpShown(p *Packet) bool { return len(p.ppp.cp) >= 4 }

// pppOptionLens are the option lengths of each control protocol's options.
var pppOptionLens = map[uint16]map[byte]cpOptionLen{0xc021: lcpOptionLens, 0x8021: ipcpOptionLens, 0x8057: ipv6cpOptionLens}

// pppCP reads a field of the control protocol packet: its header is there.
func pppCP(get func(p *Packet, c []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if c := p.ppp.cp; len(c) >= 4 && p.has&(papProto.bit|chapProto.bit) == 0 && (p.ppp.proto == 0xc021 || cpKnownCode(p.ppp.proto, c[0])) {
			dst = get(p, c, dst)
		}
		if c := p.ppp.rej; len(c) >= 4 && cpKnownCode(p.ppp.rejProto, c[0]) {
			dst = get(p, c, dst)
		}
		return dst
	}
}

// cpData is a control protocol packet's data: after its header, to the end
// of its length.
func cpData(c []byte) []byte {
	if len(c) < 4 {
		return nil
	}
	return c[4:]
}

// cpCodeNames are the codes of LCP (all of them) and of the other control
// protocols (1 to 7; CCP's 14 and 15 too).
var cpCodeNames = [...]string{1: "Configuration Request", 2: "Configuration Ack", 3: "Configuration Nak", 4: "Configuration Reject",
	5: "Termination Request", 6: "Termination Ack", 7: "Code Reject", 8: "Protocol Reject", 9: "Echo Request", 10: "Echo Reply",
	11: "Discard Request", 12: "Identification", 13: "Time Remaining", 14: "Reset Request", 15: "Reset Ack"}

// cpKnownCode reports whether code is one the control protocol proto has.
func cpKnownCode(proto uint16, code byte) bool {
	switch {
	case code >= 1 && code <= 7:
		return true
	case proto == 0xc021:
		return code >= 8 && code <= 13
	case proto == 0x80fd:
		return code == 14 || code == 15
	}
	return false
}

// cpColumns is the Protocol and Info columns of a control protocol packet:
// its code's name ("PPP" alone when its header is cut short). A rejected
// packet inside an LCP Protocol-Reject leaves them to LCP.
func (p *Packet) cpColumns() (string, string) {
	column := "PPP LCP"
	switch p.ppp.proto {
	case 0x8021:
		column = "PPP IPCP"
	case 0x8057:
		column = "PPP IPV6CP"
	default:
		if cp, ok := pppOtherCPs[p.ppp.proto]; ok {
			column = "PPP " + cp.column
		}
	}
	c := p.ppp.cp
	if len(c) < 4 {
		return "PPP", "[Malformed Packet]"
	}
	info := "Unknown"
	if cpKnownCode(p.ppp.proto, c[0]) {
		info = cpCodeNames[c[0]]
	}
	if p.ppp.cpCut || !cpKnownCode(p.ppp.proto, c[0]) && p.ppp.proto != 0xc021 {
		info += "[Malformed Packet]"
	}
	return column, info
}

// cpOptionLen is an option's length as Wireshark requires it: exactly n
// bytes, or at least n when min.
type cpOptionLen struct {
	n   int
	min bool
}

// cpOptions walks the options of a configuration packet c (its length
// may run past what was captured) as Wireshark's option walk does: an
// option shorter than 2 bytes, or longer than what its length leaves, ends
// the walk; one whose length its type does not allow (lens) is skipped, as
// are types lens does not list. visit sees the others, each whole (type,
// length, value). short reports that the walk ran past the bytes captured.
func cpOptions(c []byte, lens map[byte]cpOptionLen, visit func(o []byte)) (short bool) {
	if len(c) < 4 || c[0] < 1 || c[0] > 4 {
		return false
	}
	end := int(be16(c[2:])) - 4
	b := c[4:]
	for off := 0; off < end; {
		if off+1 >= end {
			return false // the length byte is past the end of the options
		}
		if off+1 >= len(b) {
			return true
		}
		l := int(b[off+1])
		if l < 2 || off+l > end {
			return false
		}
		if want, ok := lens[b[off]]; ok && (l == want.n || want.min && l > want.n) {
			if off+l > len(b) {
				return true
			}
			visit(b[off : off+l])
		}
		off += l
	}
	return false
}

// cpOptionGet reads the options of the packet's control protocol (proto)
// and appends what val returns for those of type typ (-1: every type).
func cpOptionGet(proto uint16, lens map[byte]cpOptionLen, typ int, val func(o []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.ppp.proto != proto {
			return dst
		}
		cpOptions(p.ppp.cp, lens, func(o []byte) {
			if typ < 0 || int(o[0]) == typ {
				dst = val(o, dst)
			}
		})
		return dst
	}
}

// cpOptionU is an option's value at off, n bytes, as a number.
func cpOptionU(off, n int) func(o []byte, dst []filter.Value) []filter.Value {
	return func(o []byte, dst []filter.Value) []filter.Value {
		if len(o) < off+n {
			return dst
		}
		var v uint64
		for _, c := range o[off : off+n] {
			v = v<<8 | uint64(c)
		}
		return u(dst, v)
	}
}
