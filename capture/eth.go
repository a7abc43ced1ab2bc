package capture

import (
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Ethernet II, and 802.3 frames: a type field below 0x0600 is a length
// (eth.len) and an LLC header follows (llc.go).
var ethProto = protocol{
	name: "eth", title: "Ethernet", desc: "Ethernet", example: "eth", bit: pEth, header: true,
	fields: []field{
		{name: "eth.src", typ: filter.Ether, desc: "Ethernet source address", example: "eth.src == 02:00:00:00:00:01",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, p.link.src) }},
		{name: "eth.dst", typ: filter.Ether, desc: "Ethernet destination address", example: "eth.dst == ff:ff:ff:ff:ff:ff",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, p.link.dst) }},
		{name: "eth.addr", typ: filter.Ether, desc: "Ethernet source or destination address (destination first)", example: "eth.addr == 02:00:00:00:00:01",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(u(dst, p.link.dst), p.link.src) }},
		{name: "eth.dst.ig", typ: filter.Bool, named: true, desc: "The destination address's I/G bit: 1 a group (multicast or broadcast) address", example: "eth.dst.ig == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, p.link.dst>>40&1) }},
		{name: "eth.dst.lg", typ: filter.Bool, named: true, desc: "The destination address's L/G bit: 1 a locally administered address", example: "eth.dst.lg == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, p.link.dst>>41&1) }},
		{name: "eth.src.ig", typ: filter.Bool, named: true, desc: "The source address's I/G bit: 1 a group (multicast or broadcast) address", example: "eth.src.ig == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, p.link.src>>40&1) }},
		{name: "eth.src.lg", typ: filter.Bool, named: true, desc: "The source address's L/G bit: 1 a locally administered address", example: "eth.src.lg == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, p.link.src>>41&1) }},
		{name: "eth.ig", typ: filter.Bool, named: true, desc: "The I/G bit of either address (destination first)", example: "eth.ig == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return u(u(dst, p.link.dst>>40&1), p.link.src>>40&1)
			}},
		{name: "eth.lg", typ: filter.Bool, named: true, desc: "The L/G bit of either address (destination first)", example: "eth.lg == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return u(u(dst, p.link.dst>>41&1), p.link.src>>41&1)
			}},
		{name: "eth.type", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "EtherType (absent in an 802.3 frame)", example: "eth.type == 0x0806",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if !p.link.is8023 {
					dst = u(dst, uint64(p.link.typ))
				}
				return dst
			}},
		{name: "eth.len", typ: filter.Uint, bits: 16, desc: "Length of an 802.3 frame (its type field below 0x0600: LLC follows)", example: "eth.len < 1500",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.link.is8023 {
					dst = u(dst, uint64(p.link.typ))
				}
				return dst
			}},
		{name: "eth.padding", typ: filter.Bytes, desc: "Bytes after the payload that bring the frame to Ethernet's 60-byte minimum", example: "eth.padding",
			get: ethTailPart(func(t ethTail) []byte { return t.padding })},
		{name: "eth.trailer", typ: filter.Bytes, desc: "Bytes after the payload and any padding (and before a frame check sequence)", example: "eth.trailer",
			get: ethTailPart(func(t ethTail) []byte { return t.trailer })},
		{name: "eth.fcs", typ: filter.Uint, bits: 32, hex: 8, desc: "Frame check sequence: as Wireshark, the last four bytes of a trailer of four or more in a frame of 64 bytes or more (not under a VLAN tag)", example: "eth.fcs",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if t := p.ethTail(); t.fcs != nil {
					dst = u(dst, uint64(be32(t.fcs)))
				}
				return dst
			}},
		{name: "eth.fcs.status", typ: filter.Uint, bits: 8, named: true, desc: "FCS status: 2, unverified (as tshark by default)", example: "eth.fcs.status == 2",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if t := p.ethTail(); t.fcs != nil {
					dst = u(dst, 2)
				}
				return dst
			}},
	},
	info: linkColumns,
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "eth")
		if p.link.is8023 {
			return b
		}
		b = appendProto(b, "ethertype")
		for _, tg := range p.link.tags[:p.link.ntags] {
			if tg.tpid == 0x8100 {
				b = appendProto(b, "vlan")
			} else {
				b = appendProto(b, "ieee8021ad")
			}
			if tg.typ >= 0x0600 { // an 802.3 length after the tag: LLC follows
				b = appendProto(b, "ethertype")
			}
		}
		return b
	},
}

// linkColumns is what tshark shows for a frame nothing above the link layer decoded.
func linkColumns(p *Packet) (string, string) {
	return "0x" + string(appendHex(nil, uint64(p.link.typ), 4)), "Ethernet II"
}

func (d *Decoder) fillEthernet(p *Packet) []byte {
	p.has |= pEth
	p.link.src = mac48(d.eth.SrcMAC)
	p.link.dst = mac48(d.eth.DstMAC)
	p.link.typ = uint16(d.eth.EthernetType)
	if d.eth.EthernetType == layers.EthernetTypeLLC && len(d.eth.Contents) >= 14 { // an 802.3 length field, not an EtherType
		p.link.typ, p.link.is8023 = be16(d.eth.Contents[12:]), true
	}
	return d.eth.Payload
}

// ethTail is what follows an Ethernet frame's payload, split as Wireshark
// does: padding up to the 60-byte minimum, then a trailer, whose last four
// bytes are taken for an FCS when the frame is 64 bytes or more and the
// trailer four or more (not after a VLAN tag: Wireshark drops what follows
// the padding there).
type ethTail struct{ padding, trailer, fcs []byte }

// ethTail finds it when the payload's length is known: an 802.3 frame's
// length, IPv4's total length, IPv6's header and payload length, ARP's
// message, EAPOL's; nothing for other payloads, or in a tunnel's inner
// frame.
func (p *Packet) ethTail() (t ethTail) {
	if p.LinkType != layers.LinkTypeEthernet || p.inTunnel || p.has&pEth == 0 {
		return t
	}
	l := &p.link
	off, typ := 14+4*int(l.ntags), l.typ
	if l.ntags > 0 {
		typ = l.tags[l.ntags-1].typ
	}
	var used int
	switch {
	case l.is8023:
		used = int(l.typ)
	case l.ntags > 0 && typ < 0x0600:
		return t
	case typ == 0x0800 && p.has&pIP != 0:
		used = int(p.ip4.length)
	case typ == 0x86dd && p.has&pIPv6 != 0 && p.ip6.plen > 0:
		used = 40 + int(p.ip6.plen)
	case typ == 0x0806 && p.has&pARP != 0:
		used = 8 + 2*int(p.arp.hwLen) + 2*int(p.arp.protLen)
	case typ == 0x888e && off+4 <= len(p.Data):
		// EAPOL: its header and the body length it gives.
		used = 4 + int(be16(p.Data[off+2:]))
	default:
		// LLDP among them: tshark's trailer there starts three bytes
		// before the end of the End of LLDPDU TLV, which no reading of
		// the TLVs gives.
		return t
	}
	end := off + used
	if used <= 0 || end >= len(p.Data) {
		return t
	}
	rest, reported := p.Data[end:], p.Len-end
	if pad := 60 - (p.Len - reported); p.Len >= 60 && pad > 0 {
		t.padding = rest[:min(pad, len(rest))]
		rest, reported = rest[len(t.padding):], reported-pad
	}
	switch {
	case l.ntags > 0 || reported <= 0:
	case p.Len >= 64 && reported >= 4 && len(rest) == reported:
		t.trailer, t.fcs = rest[:len(rest)-4], rest[len(rest)-4:]
	default:
		t.trailer = rest
	}
	return t
}

func ethTailPart(v func(t ethTail) []byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := v(p.ethTail()); len(b) > 0 {
			dst = append(dst, filter.Value{B: b})
		}
		return dst
	}
}
