package capture

import (
	"github.com/gopacket/gopacket/layers"
	"strconv"
	"strings"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// IPv4. A tunnelled (inner) IP header keeps the outer header's fields.
var ipProto = protocol{
	name: "ip", title: "IPv4", desc: "Internet Protocol version 4", example: "ip", bit: pIP, header: true,
	fields: append([]field{
		// Wireshark's IPv6 dissector sets ip.version too.
		{name: "ip.version", typ: filter.Uint, bits: 8, desc: "IP version (4)", example: "ip.version == 4", has: pIP | pIPv6,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.has&pIP == 0 {
					return u(dst, 6)
				}
				return u(dst, 4)
			}},
		{name: "ip.hdr_len", typ: filter.Uint, bits: 8, desc: "IPv4 header length, in bytes", example: "ip.hdr_len > 20",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.hdrLen)) }},
		{name: "ip.dsfield", typ: filter.Uint, bits: 8, hex: 2, desc: "Differentiated services field (DSCP and ECN)", example: "ip.dsfield != 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.tos)) }},
		{name: "ip.dsfield.dscp", typ: filter.Uint, bits: 8, named: true, desc: "Differentiated services codepoint (the upper 6 bits: 46 expedited forwarding)", example: "ip.dsfield.dscp == 46",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.tos>>2)) }},
		{name: "ip.dsfield.ecn", typ: filter.Uint, bits: 8, named: true, desc: "Explicit congestion notification (the lower 2 bits: 3 congestion experienced)", example: "ip.dsfield.ecn == 3",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.tos&3)) }},
		{name: "ip.len", typ: filter.Uint, bits: 16, desc: "IPv4 total length, in bytes", example: "ip.len > 1400",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.length)) }},
		{name: "ip.id", typ: filter.Uint, bits: 16, hex: 4, desc: "IPv4 identification", example: "ip.id == 0x5ef8",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.id)) }},
		{name: "ip.flags", typ: filter.Uint, bits: 8, hex: 2, desc: "IPv4 flags (reserved, DF, MF) as a number", example: "ip.flags & 0x02",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.flags)) }},
		{name: "ip.flags.df", typ: filter.Bool, named: true, desc: "IPv4 don't fragment flag", example: "ip.flags.df == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.flags>>1&1)) }},
		{name: "ip.flags.mf", typ: filter.Bool, named: true, desc: "IPv4 more fragments flag", example: "ip.flags.mf == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.flags&1)) }},
		{name: "ip.frag_offset", typ: filter.Uint, bits: 16, desc: "IPv4 fragment offset, in 8-byte units as the header has it (Wireshark's detail view shows it in bytes: 185 is \"Fragment Offset: 1480\")", example: "ip.frag_offset > 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.frag)) }},
		{name: "ip.ttl", typ: filter.Uint, bits: 8, desc: "IPv4 time to live", example: "ip.ttl < 64",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.ttl)) }},
		{name: "ip.proto", typ: filter.Uint, bits: 8, named: true, desc: "IPv4 protocol: 1 ICMP, 6 TCP, 17 UDP", example: "ip.proto == 6",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.proto)) }},
		{name: "ip.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "IPv4 header checksum", example: "ip.checksum == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.checksum)) }},
		{name: "ip.checksum.status", typ: filter.Uint, bits: 8, named: true, desc: "Header checksum status: 2, unverified, as Wireshark leaves it by default", example: "ip.checksum.status == 2",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, 2) }},
		{name: "ip.src", typ: filter.IPv4, desc: "IPv4 source address", example: "ip.src == 10.0.0.0/8",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.src)) }},
		{name: "ip.dst", typ: filter.IPv4, desc: "IPv4 destination address", example: "ip.dst == 10.0.0.80",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip4.dst)) }},
		{name: "ip.addr", typ: filter.IPv4, desc: "IPv4 source or destination address", example: "ip.addr == 127.0.0.1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return u(u(dst, uint64(p.ip4.src)), uint64(p.ip4.dst))
			}},
	}, reasmFields("ip", "ip.reassembled_in")...),
	info: func(p *Packet) (string, string) {
		if p.has&pIPFrag != 0 {
			id := strconv.FormatUint(uint64(p.ip4.id), 16)
			return "IPv4", "Fragmented IP protocol (proto=" + ipProtoNames[p.ip4.proto] + " " + strconv.Itoa(int(p.ip4.proto)) + ", off=" + strconv.Itoa(int(p.ip4.frag)*8) + ", ID=" + strings.Repeat("0", max(0, 4-len(id))) + id + ")"
		}
		return "IPv4", ""
	},
}

func (d *Decoder) fillIPv4(p *Packet) []byte {
	if p.has&(pIP|pIPv6) != 0 {
		// Tunnelled IP: keep the outer header's fields.
		return d.ip4.Payload
	}
	p.has |= pIP
	ip := &d.ip4
	p.ip4 = ip4Info{src: be32(ip.SrcIP), dst: be32(ip.DstIP), hdrLen: ip.IHL * 4, tos: ip.TOS, length: ip.Length,
		id: ip.Id, flags: uint8(ip.Flags), frag: ip.FragOffset, ttl: ip.TTL, proto: uint8(ip.Protocol), checksum: ip.Checksum}
	if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
		p.has |= pIPFrag
	}
	return ip.Payload
}
