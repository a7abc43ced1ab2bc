package capture

import (
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// MPLS, as Wireshark's mpls dissector shows it: the label stack, one
// occurrence of each field per stack entry (the label, the experimental bits,
// the bottom of stack flag and the TTL), read up to the entry whose bottom
// flag is set. What follows the bottom of the stack is chosen by its first
// nibble, as Wireshark 4.0 does: 4 IPv4, 6 IPv6 (no length check), 2, 3, 5 and
// 7 to 15 data. Label 13 (GAL) and the nibbles 0 and 1 (the pseudowire
// control word and associated channel, Wireshark's pwethheuristic and pwach,
// whose choice reads Wireshark's table of manufacturers) are shown as data
// here.
//
// On Ethernet (EtherType 0x8847 unicast, 0x8848 multicast, after VLAN tags
// too) and Linux cooked captures the label stack is a layer of the frame and
// the packet it labels is the frame's own IP layer: `ip`, `udp`, `icmp` match
// it as any other (decodeFrom calls fillMPLS). Over UDP (port 6635, RFC 7510)
// and GRE (protocol types 0x8847, 0x8848) the stack starts a tunnel's packet
// (tunnel.go: firstMPLS), decoded as the frame's:
// eth:ethertype:ip:udp:mpls:ip:icmp:data.
var mplsProto = protocol{
	name: "mpls", title: "MPLS", desc: "MultiProtocol Label Switching: a label stack before an IP packet (EtherType 0x8847, 0x8848; UDP 6635; in GRE)", example: "mpls",
	info: func(p *Packet) (string, string) {
		info := "MPLS Label Switched Packet"
		if p.mpls.cut {
			if p.CapLen < p.Len {
				info += "[Packet size limited during capture]"
			} else {
				info += "[Malformed Packet]"
			}
		}
		return "MPLS", info
	},
	fields: []field{
		{name: "mpls.label", typ: filter.Uint, bits: 32, named: true, desc: "MPLS label (0 IPv4 explicit null, 1 router alert, 2 IPv6 explicit null, 3 implicit null, 13 GAL)", example: "mpls.label == 16",
			get: mplsEntry(func(e uint32) uint64 { return uint64(e >> 12) })},
		{name: "mpls.exp", typ: filter.Uint, bits: 32, desc: "MPLS experimental bits (the traffic class)", example: "mpls.exp == 5",
			get: mplsEntry(func(e uint32) uint64 { return uint64(e >> 9 & 7) })},
		{name: "mpls.bottom", typ: filter.Uint, bits: 32, desc: "MPLS bottom of label stack flag: 1 on the last entry", example: "mpls.bottom == 1",
			get: mplsEntry(func(e uint32) uint64 { return uint64(e >> 8 & 1) })},
		{name: "mpls.ttl", typ: filter.Uint, bits: 32, desc: "MPLS time to live", example: "mpls.ttl < 64",
			get: mplsEntry(func(e uint32) uint64 { return uint64(e & 0xff) })},
	},
}

// mplsUDPProto is MPLS over UDP (port 6635): a tunnel whose packet starts
// with the label stack, and its place in frame.protocols, after UDP (the
// stack itself is mplsProto's, in the tunnel's packet). It has no presence
// bit of its own (it takes UDP's) and no fields.
var mplsUDPProto = protocol{
	name: "mpls", noField: true, bit: pUDP,
	udpPorts: []uint16{6635},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if s.tcp {
			return rejected
		}
		p.carry(s.payload, firstMPLS)
		return taken
	},
	chain: func(p *Packet, b []byte) []byte {
		if p.tun.first != firstMPLS || p.has&(greProto.bit|geneveProto.bit) != 0 { // their chains name what they carry
			return b
		}
		if q := p.inner(); q != nil {
			b = q.appendProtocols(b)
		}
		return b
	},
}

// firstMPLS is a tunnel's packet that starts with an MPLS label stack
// (decodeFrom reads it, then the layer after it): no gopacket layer.
const firstMPLS = numFirst + 1 // past firstPPP (ppp.go)

// mplsInfo is a packet's MPLS label stack.
type mplsInfo struct {
	stack []byte // the stack entries, 4 bytes each, the bottom one last (a cut one's bytes after the last whole entry)
	cut   bool   // the stack, or what follows it, ends early
}

func mplsEntry(v func(e uint32) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		for s := p.mpls.stack; len(s) >= 4; s = s[4:] {
			dst = u(dst, v(be32(s)))
		}
		return dst
	}
}

// mplsStack records the label stack at the start of b in p (setting its
// presence bit) and returns what follows the bottom of the stack, with the
// layer it starts by its first nibble (firstIPv4, firstIPv6; -1 for data).
func (p *Packet) mplsStack(b []byte) (payload []byte, first int) {
	p.has |= mplsProto.bit
	n := 0
	for {
		if len(b) < n+4 {
			p.mpls = mplsInfo{stack: b, cut: true}
			p.Malformed = "MPLS label stack cut short"
			return nil, -1
		}
		n += 4
		if b[n-2]&1 != 0 {
			break
		}
	}
	p.mpls.stack = b[:n]
	payload = b[n:]
	if len(payload) == 0 {
		p.mpls.cut = true
		p.Malformed = "MPLS payload missing"
		return nil, -1
	}
	switch payload[0] >> 4 {
	case 4:
		return payload, firstIPv4
	case 6:
		return payload, firstIPv6
	}
	return payload, -1
}

// mplsOnLink reports whether the link layer p decoded carries MPLS (its
// EtherType, or its last VLAN tag's, is 0x8847 or 0x8848).
func (p *Packet) mplsOnLink() bool {
	if p.has&(pEth|pSLL) == 0 || p.link.is8023 || p.has&(pIP|pIPv6|pARP) != 0 {
		return false
	}
	typ := p.link.typ
	if n := p.link.ntags; n > 0 {
		typ = p.link.tags[n-1].typ
	}
	return typ == 0x8847 || typ == 0x8848
}

// fillMPLS decodes the label stack at the start of b, a link layer's payload,
// and the IP packet after it as layers of p; it returns what no layer decoded.
func (d *Decoder) fillMPLS(p *Packet, b []byte) ([]byte, error) {
	payload, first := p.mplsStack(b)
	if first >= 0 {
		return d.fillLayers(p, payload, first)
	}
	if len(payload) > 0 {
		p.has |= pData
		p.data = payload
	}
	return nil, nil
}
