package capture

import (
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// VXLAN (UDP port 4789), as Wireshark's vxlan dissector shows it: the flags
// (with the group policy extension's bits, as Wireshark shows them on every
// header), the group policy ID and the VXLAN network identifier; the
// Ethernet frame it carries is decoded as the frame's (tunnel.go).
var vxlanProto = protocol{
	name: "vxlan", title: "VXLAN", desc: "Virtual eXtensible LAN (UDP 4789): Ethernet frames tunnelled over UDP; what it carries is decoded as the frame's", example: "vxlan",
	udpPorts: []uint16{4789},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		b := s.payload
		if s.tcp || len(b) < 8 {
			return rejected
		}
		p.tun.hdr = b[:8]
		p.carry(b[8:], firstEthernet)
		return taken
	},
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "vxlan")
		if q := p.inner(); q != nil {
			b = q.appendProtocols(b)
		}
		return b
	},
	fields: []field{
		{name: "vxlan.flags", typ: filter.Uint, bits: 16, hex: 4, desc: "Flags, as a number (0x0800: the VNI is valid)", example: "vxlan.flags == 0x0800", get: vxlanWord(0, 0xffff)},
		{name: "vxlan.flag_g", typ: filter.Bool, named: true, desc: "Group policy extension: a group policy ID is given", example: "vxlan.flag_g == 1", get: vxlanWord(0, 0x8000)},
		{name: "vxlan.flag_i", typ: filter.Bool, desc: "The VNI is valid", example: "vxlan.flag_i == 1", get: vxlanWord(0, 0x0800)},
		{name: "vxlan.flag_d", typ: filter.Bool, desc: "Group policy extension: don't learn", example: "vxlan.flag_d == 1", get: vxlanWord(0, 0x0040)},
		{name: "vxlan.flag_a", typ: filter.Bool, desc: "Group policy extension: the policy was applied", example: "vxlan.flag_a == 1", get: vxlanWord(0, 0x0008)},
		{name: "vxlan.flags_reserved", typ: filter.Uint, bits: 16, hex: 4, desc: "Reserved flags", example: "vxlan.flags_reserved != 0", get: vxlanWord(0, 0x77b7)},
		{name: "vxlan.gbp", typ: filter.Uint, bits: 16, desc: "Group policy ID", example: "vxlan.gbp == 0", get: vxlanWord(2, 0xffff)},
		{name: "vxlan.vni", typ: filter.Uint, bits: 24, desc: "VXLAN network identifier: which virtual LAN", example: "vxlan.vni == 100",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if h := p.tun.hdr; len(h) >= 8 {
					dst = u(dst, uint64(h[4])<<16|uint64(h[5])<<8|uint64(h[6]))
				}
				return dst
			}},
		{name: "vxlan.reserved8", typ: filter.Uint, bits: 8, desc: "Reserved (the header's last byte)", example: "vxlan.reserved8 == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if h := p.tun.hdr; len(h) >= 8 {
					dst = u(dst, uint64(h[7]))
				}
				return dst
			}},
	},
}

// vxlanWord is the masked 16-bit word of the VXLAN header at off, as a
// masked field is shown: the bits under the mask, shifted down (a one-bit
// mask is a flag).
func vxlanWord(off int, mask uint16) func(p *Packet, dst []filter.Value) []filter.Value {
	shift := 0
	for mask>>shift&1 == 0 {
		shift++
	}
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if h := p.tun.hdr; len(h) >= 8 {
			dst = u(dst, uint64(be16(h[off:])&mask>>shift))
		}
		return dst
	}
}
