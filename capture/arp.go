package capture

import (
	"bytes"
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// ARP. The address fields exist for Ethernet/IPv4 ARP only.
var arpProto = protocol{
	name: "arp", title: "ARP", desc: "Address Resolution Protocol", example: "arp", bit: pARP, header: true,
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
		{name: "arp.isgratuitous", typ: filter.Bool, named: true, desc: "A gratuitous ARP: a request or reply whose sender and target protocol addresses are the same (present only then)", example: "arp.isgratuitous",
			get: arpMark(func(a *arpInfo) bool { return a.gratuitous })},
		{name: "arp.isprobe", typ: filter.Bool, named: true, desc: "An ARP probe: a request from 0.0.0.0 to the zero MAC address (present only then)", example: "arp.isprobe",
			get: arpMark(func(a *arpInfo) bool { return a.probe })},
		{name: "arp.isannouncement", typ: filter.Bool, named: true, desc: "An ARP announcement: a gratuitous request to the zero MAC address (present only then)", example: "arp.isannouncement",
			get: arpMark(func(a *arpInfo) bool { return a.announcement })},
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

// arpMark is a flag Wireshark adds, as true, only when it holds.
func arpMark(holds func(*arpInfo) bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if holds(&p.arp) {
			dst = u(dst, 1)
		}
		return dst
	}
}

func (p *Packet) arpInfo() string {
	a := &p.arp
	if !a.ipv4 {
		return "ARP opcode " + strconv.Itoa(int(a.op))
	}
	switch a.op {
	case 1:
		switch {
		case a.announcement:
			return "ARP Announcement for " + fmtIPv4(a.srcIP)
		case a.gratuitous:
			return "Gratuitous ARP for " + fmtIPv4(a.srcIP) + " (Request)"
		case a.probe:
			return "Who has " + fmtIPv4(a.dstIP) + "? (ARP Probe)"
		}
		return "Who has " + fmtIPv4(a.dstIP) + "? Tell " + fmtIPv4(a.srcIP)
	case 2:
		if a.gratuitous {
			return "Gratuitous ARP for " + fmtIPv4(a.srcIP) + " (Reply)"
		}
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
	spa, tpa := a.SourceProtAddress, a.DstProtAddress
	zeroTHA := a.HwAddressSize == 6 && len(a.DstHwAddress) == 6 && mac48(a.DstHwAddress) == 0
	p.arp.gratuitous = (a.Operation == 1 || a.Operation == 2) && len(spa) > 0 && bytes.Equal(spa, tpa)
	p.arp.announcement = a.Operation == 1 && p.arp.gratuitous && zeroTHA
	p.arp.probe = a.Operation == 1 && zeroTHA && len(spa) == 4 && be32(spa) == 0
}
