package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// Ethernet II (and 802.3 frames, whose length field eth.type shows).
var ethProto = protocol{
	name: "eth", title: "Ethernet", desc: "Ethernet", example: "eth", bit: pEth,
	fields: []field{
		{name: "eth.src", typ: filter.Ether, desc: "Ethernet source address", example: "eth.src == 02:00:00:00:00:01",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, p.link.src) }},
		{name: "eth.dst", typ: filter.Ether, desc: "Ethernet destination address", example: "eth.dst == ff:ff:ff:ff:ff:ff",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, p.link.dst) }},
		{name: "eth.addr", typ: filter.Ether, desc: "Ethernet source or destination address (destination first)", example: "eth.addr == 02:00:00:00:00:01",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(u(dst, p.link.dst), p.link.src) }},
		{name: "eth.type", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "EtherType", example: "eth.type == 0x0806",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.link.typ)) }},
	},
	info: linkColumns,
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(appendProto(b, "eth"), "ethertype")
		for _, tg := range p.link.tags[:p.link.ntags] {
			if tg.tpid == 0x8100 {
				b = appendProto(b, "vlan")
			} else {
				b = appendProto(b, "ieee8021ad")
			}
			b = appendProto(b, "ethertype")
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
	if d.eth.Length != 0 { // 802.3 length field, not an EtherType
		p.link.typ = d.eth.Length
	}
	return d.eth.Payload
}
