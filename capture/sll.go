package capture

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Linux cooked capture, v1 (DLT_LINUX_SLL) and v2 (DLT_LINUX_SLL2).
var sllProto = protocol{
	name: "sll", title: "Linux cooked capture", desc: "Linux cooked capture (v1 or v2)", example: "sll", bit: pSLL, header: true,
	fields: []field{
		{name: "sll.pkttype", typ: filter.Uint, bits: 16, named: true, desc: "Packet type: 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us", example: "sll.pkttype == 4",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.link.sllPktType)) }},
		{name: "sll.etype", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "Protocol (EtherType) of a Linux cooked capture", example: "sll.etype == 0x0800",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.link.typ)) }},
	},
	info: linkColumns,
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "sll")
		if p.link.sllHWType == arphrdIPGRE {
			// Wireshark reads the protocol of a GRE device's frames
			// through GRE's table: no EtherType layer.
			return b
		}
		return appendProto(b, "ethertype")
	},
}

// arphrdIPGRE is Linux's hardware type of a GRE tunnel device (ip_gre).
const arphrdIPGRE = 778

func (d *Decoder) fillSLL(p *Packet, lt gopacket.LayerType) []byte {
	p.has |= pSLL
	if lt == layers.LayerTypeLinuxSLL2 {
		p.link.sllPktType, p.link.sllHWType = uint16(d.sll2.PacketType), uint16(d.sll2.ARPHardwareType)
		p.link.typ = uint16(d.sll2.ProtocolType)
		p.link.src = mac48(d.sll2.Addr)
		return d.sll2.Payload
	}
	p.link.sllPktType, p.link.sllHWType = uint16(d.sll.PacketType), d.sll.AddrType
	p.link.typ = uint16(d.sll.EthernetType)
	p.link.src = mac48(d.sll.Addr)
	return d.sll.Payload
}
