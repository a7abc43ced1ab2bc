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
