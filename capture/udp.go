package capture

import (
	"strconv"
	"time"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// UDP: the header and udp.stream (stream.go). Payloads go to the application
// protocols of the table (dispatch).
var udpProto = protocol{
	name: "udp", title: "UDP", desc: "User Datagram Protocol", example: "udp", bit: pUDP, header: true,
	fields: []field{
		{name: "udp.srcport", typ: filter.Uint, bits: 16, desc: "UDP source port", example: "udp.srcport == 53",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.sport)) }},
		{name: "udp.dstport", typ: filter.Uint, bits: 16, desc: "UDP destination port", example: "udp.dstport == 53",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.dport)) }},
		{name: "udp.port", typ: filter.Uint, bits: 16, desc: "UDP source or destination port", example: "udp.port == 53",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return u(u(dst, uint64(p.udp.sport)), uint64(p.udp.dport))
			}},
		{name: "udp.time_delta", typ: filter.Float, desc: "Seconds since the conversation's previous datagram (none in an ICMP error's quote)", example: "udp.time_delta > 1",
			get: udpTime(func(x *udpInfo) time.Duration { return x.delta })},
		{name: "udp.time_relative", typ: filter.Float, desc: "Seconds since the conversation's first datagram (none in an ICMP error's quote)", example: "udp.time_relative > 1",
			get: udpTime(func(x *udpInfo) time.Duration { return x.rel })},
		{name: "udp.length", typ: filter.Uint, bits: 16, desc: "UDP length (header and payload), in bytes", example: "udp.length > 512",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.length)) }},
		{name: "udp.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "UDP checksum", example: "udp.checksum == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udp.checksum)) }},
		{name: "udp.checksum.status", typ: filter.Uint, bits: 8, named: true, desc: "Checksum status, as Wireshark leaves it by default: 2 unverified, 3 not present (0 over IPv4), 4 illegal (0 over IPv6, where it is required)", example: "udp.checksum.status == 4",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.udpChecksumStatus())) }},
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
		bad := ""
		if ip, ok := p.udpIPPayload(); ok && int(p.udp.length) > ip {
			bad = " [BAD UDP LENGTH " + strconv.Itoa(int(p.udp.length)) + " > IP PAYLOAD LENGTH]"
		}
		info := strconv.Itoa(int(p.udp.sport)) + " → " + strconv.Itoa(int(p.udp.dport)) + bad + " Len=" + strconv.Itoa(max(0, int(p.udp.length)-8))
		if p.udpChecksumStatus() == 4 {
			info += " [ILLEGAL CHECKSUM (0)]"
		}
		return "UDP", info
	},
}

// udpChecksumStatus is udp.checksum.status as tshark sets it without
// verifying checksums: 2 unverified, 3 none (a zero checksum over IPv4), 4 a
// zero checksum over IPv6, which requires one.
func (p *Packet) udpChecksumStatus() uint8 {
	switch {
	case p.udp.checksum != 0:
		return 2
	case p.has&pIPv6 != 0 && p.has&pIP == 0:
		return 4
	}
	return 3
}

// udpIPPayload is the length of the IP payload the UDP header starts, as
// the IP header gives it; ok is false when unknown (fragments, tunnels,
// IPv6 extension headers, a zero IPv4 total length).
func (p *Packet) udpIPPayload() (n int, ok bool) {
	switch {
	case p.frag != nil:
		return len(p.frag.data), true
	case p.has&pIPFrag != 0:
	case p.has&pIP != 0 && p.has&pIPv6 == 0 && p.ip4.proto == 17 && p.ip4.length != 0:
		return int(p.ip4.length) - int(p.ip4.hdrLen), true
	case p.has&pIPv6 != 0 && p.has&pIP == 0 && p.ip6.nxt == 17 && p.next == 0 && p.ip6.plen != 0:
		return int(p.ip6.plen), true
	}
	return 0, false
}

// udpReported is the length Wireshark gives the UDP payload: the UDP
// length's, or the IP payload's when the UDP length is bad (longer), and no
// more than the frame's length on the wire leaves (a header an ICMP error
// quotes has only the bytes quoted). It is never less than the captured
// payload.
func (p *Packet) udpReported() int {
	pl := p.udp.payload
	n := int(p.udp.length) - 8
	if ip, ok := p.udpIPPayload(); ok && int(p.udp.length) > ip {
		n = ip - 8
	}
	if off := cap(p.Data) - cap(pl); len(pl) > 0 && off >= 0 && off < len(p.Data) && &p.Data[off] == &pl[0] && p.Len-off < n {
		n = p.Len - off
	}
	if p.udp.length == 0 || n < len(pl) {
		n = len(pl)
	}
	return n
}

func (d *Decoder) fillUDP(p *Packet) {
	p.has |= pUDP
	x := &d.udp
	p.udp = udpInfo{sport: uint16(x.SrcPort), dport: uint16(x.DstPort), length: x.Length, checksum: x.Checksum, payload: x.Payload}
}

func udpTime(v func(x *udpInfo) time.Duration) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if !p.udp.quoted {
			dst = seconds(dst, int64(v(&p.udp)))
		}
		return dst
	}
}
