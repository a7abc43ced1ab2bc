package capture

import (
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// UDP: the header and udp.stream (stream.go). Payloads go to the application
// protocols of the table (dispatch).
var udpProto = protocol{
	name: "udp", title: "UDP", desc: "User Datagram Protocol", example: "udp", bit: pUDP,
	fields: []field{
		{name: "udp.srcport", typ: filter.Uint, bits: 16, desc: "UDP source port", example: "udp.srcport == 53",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.sport)) }},
		{name: "udp.dstport", typ: filter.Uint, bits: 16, desc: "UDP destination port", example: "udp.dstport == 53",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.dport)) }},
		{name: "udp.port", typ: filter.Uint, bits: 16, desc: "UDP source or destination port", example: "udp.port == 53",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return u(u(dst, uint64(p.udp.sport)), uint64(p.udp.dport))
			}},
		{name: "udp.length", typ: filter.Uint, bits: 16, desc: "UDP length (header and payload), in bytes", example: "udp.length > 512",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.length)) }},
		{name: "udp.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "UDP checksum", example: "udp.checksum == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.checksum)) }},
		{name: "udp.stream", typ: filter.Uint, bits: 32, desc: "UDP conversation index, from 0 in order of first appearance", example: "udp.stream == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.stream)) }},
		{name: "udp.payload", typ: filter.Bytes, desc: "UDP payload bytes", example: "udp.payload[0:2] == 12:34",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if len(p.udp.payload) > 0 {
					return append(dst, filter.Value{B: p.udp.payload})
				}
				return dst
			}},
	},
	info: func(p *Packet) (string, string) {
		return "UDP", strconv.Itoa(int(p.udp.sport)) + " → " + strconv.Itoa(int(p.udp.dport)) + " Len=" + strconv.Itoa(max(0, int(p.udp.length)-8))
	},
}

func (d *Decoder) fillUDP(p *Packet) {
	p.has |= pUDP
	x := &d.udp
	p.udp = udpInfo{sport: uint16(x.SrcPort), dport: uint16(x.DstPort), length: x.Length, checksum: x.Checksum, payload: x.Payload}
}
