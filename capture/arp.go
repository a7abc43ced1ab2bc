package capture

import (
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// ARP. The address fields exist for Ethernet/IPv4 ARP only.
var arpProto = protocol{
	name: "arp", title: "ARP", desc: "Address Resolution Protocol", example: "arp", bit: pARP,
	fields: []field{
		{name: "arp.opcode", typ: filter.Uint, bits: 16, named: true, desc: "ARP operation: 1 request, 2 reply", example: "arp.opcode == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.arp.op)) }},
		{name: "arp.src.hw_mac", typ: filter.Ether, desc: "Sender MAC address", example: "arp.src.hw_mac == 02:00:00:00:00:01",
			get: arpValue(func(a *arpInfo) uint64 { return a.srcHW })},
		{name: "arp.src.proto_ipv4", typ: filter.IPv4, desc: "Sender IPv4 address", example: "arp.src.proto_ipv4 == 10.0.0.2",
			get: arpValue(func(a *arpInfo) uint64 { return uint64(a.srcIP) })},
		{name: "arp.dst.hw_mac", typ: filter.Ether, desc: "Target MAC address", example: "arp.dst.hw_mac == 00:00:00:00:00:00",
			get: arpValue(func(a *arpInfo) uint64 { return a.dstHW })},
		{name: "arp.dst.proto_ipv4", typ: filter.IPv4, desc: "Target IPv4 address", example: "arp.dst.proto_ipv4 == 10.0.0.1",
			get: arpValue(func(a *arpInfo) uint64 { return uint64(a.dstIP) })},
	},
	info: func(p *Packet) (string, string) { return "ARP", p.arpInfo() },
}

func arpValue(v func(*arpInfo) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if !p.arp.ipv4 {
			return dst
		}
		return u(dst, v(&p.arp))
	}
}

func (p *Packet) arpInfo() string {
	a := &p.arp
	if !a.ipv4 {
		return "ARP opcode " + strconv.Itoa(int(a.op))
	}
	switch a.op {
	case 1:
		if a.srcIP == a.dstIP {
			return "ARP Announcement for " + fmtIPv4(a.srcIP)
		}
		if a.srcIP == 0 {
			return "Who has " + fmtIPv4(a.dstIP) + "? (ARP Probe)"
		}
		return "Who has " + fmtIPv4(a.dstIP) + "? Tell " + fmtIPv4(a.srcIP)
	case 2:
		return fmtIPv4(a.srcIP) + " is at " + string(appendMAC(nil, a.srcHW))
	}
	return "Unknown ARP opcode 0x" + string(appendHex(nil, uint64(a.op), 4))
}

func (d *Decoder) fillARP(p *Packet) {
	p.has |= pARP
	a := &d.arp
	p.arp.op = a.Operation
	p.arp.hwLen, p.arp.protLen = a.HwAddressSize, a.ProtAddressSize
	if a.HwAddressSize == 6 && a.ProtAddressSize == 4 && len(a.SourceProtAddress) == 4 && len(a.DstProtAddress) == 4 {
		p.arp.ipv4 = true
		p.arp.srcHW = mac48(a.SourceHwAddress)
		p.arp.dstHW = mac48(a.DstHwAddress)
		p.arp.srcIP = be32(a.SourceProtAddress)
		p.arp.dstIP = be32(a.DstProtAddress)
	}
}
