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
// control word and associated channel, Wireshark's pwethheuristic and pwach)
// are shown as data here.
//
// On Ethernet (EtherType 0x8847 unicast, 0x8848 multicast, after VLAN tags
// too) and Linux cooked captures the label stack is a layer of the frame and
// the packet it labels is the frame's own IP layer: `ip`, `udp`, `icmp` match
// it as any other (decodeFrom calls fillMPLS). Over UDP (port 6635, RFC 7510)
// the labelled packet is a tunnel's, decoded as the frame's (tunnel.go):
// eth:ethertype:ip:udp:mpls:ip:icmp:data.
var mplsProto = protocol{
	name: "mpls", title: "MPLS", desc: "MultiProtocol Label Switching: a label stack before an IP packet (EtherType 0x8847, 0x8848; UDP 6635)", example: "mpls",
	info: mplsColumns,
	chain: func(p *Packet, b []byte) []byte {
		if p.mpls.udp {
			return b // named after UDP (mplsUDPProto)
		}
		return appendProto(b, "mpls")
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

// mplsUDPProto is MPLS over UDP: its port, and its place in the layer order,
// after UDP in frame.protocols and in the choice of the Info column (the label
// stack itself is mplsProto's). It has no presence bit of its own (it takes
// UDP's) and no fields.
var mplsUDPProto = protocol{
	name: "mpls", noField: true, bit: pUDP,
	udpPorts: []uint16{6635},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if s.tcp || p.mpls.stack != nil { // one label stack a packet
			return rejected
		}
		p.mpls.udp = true
		payload, first := p.mplsStack(s.payload)
		switch {
		case first >= 0:
			p.carry(payload, first)
		case len(payload) > 0:
			p.has |= pData
			p.data = payload
		}
		return taken
	},
	info: func(p *Packet) (string, string) {
		if p.has&mplsProto.bit != 0 && p.mpls.udp {
			return mplsColumns(p)
		}
		return udpProto.info(p)
	},
	chain: func(p *Packet, b []byte) []byte {
		if p.has&mplsProto.bit == 0 || !p.mpls.udp {
			return b
		}
		b = appendProto(b, "mpls")
		if q := p.inner(); q != nil {
			b = q.appendProtocols(b)
		}
		return b
	},
}

// mplsInfo is a packet's MPLS label stack.
type mplsInfo struct {
	stack []byte // the stack entries, 4 bytes each, the bottom one last (a cut one's bytes after the last whole entry)
	cut   bool   // the stack, or what follows it, ends early
	udp   bool   // carried over UDP (a tunnel), not on the link layer
}

// mplsColumns are the Protocol and Info columns of an MPLS packet whose
// payload nothing decoded.
func mplsColumns(p *Packet) (string, string) {
	info := "MPLS Label Switched Packet"
	if p.mpls.cut {
		if p.CapLen < p.Len {
			info += "[Packet size limited during capture]"
		} else {
			info += "[Malformed Packet]"
		}
	}
	return "MPLS", info
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
			p.mpls = mplsInfo{stack: b, cut: true, udp: p.mpls.udp}
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
