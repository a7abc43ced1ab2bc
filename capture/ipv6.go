package capture

import (
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// IPv6 and its extension headers (named in frame.protocols).
var ipv6Proto = protocol{
	name: "ipv6", title: "IPv6", desc: "Internet Protocol version 6", example: "ipv6", bit: pIPv6, header: true,
	fields: append([]field{
		{name: "ipv6.tclass", typ: filter.Uint, bits: 32, hex: 8, desc: "IPv6 traffic class", example: "ipv6.tclass != 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip6.tclass)) }},
		{name: "ipv6.flow", typ: filter.Uint, bits: 24, hex: 6, desc: "IPv6 flow label", example: "ipv6.flow == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip6.flow)) }},
		{name: "ipv6.plen", typ: filter.Uint, bits: 16, desc: "IPv6 payload length, in bytes", example: "ipv6.plen > 1000",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip6.plen)) }},
		{name: "ipv6.nxt", typ: filter.Uint, bits: 8, named: true, desc: "IPv6 next header (of the fixed header): 0 hop-by-hop, 6 TCP, 17 UDP, 58 ICMPv6", example: "ipv6.nxt == 58",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip6.nxt)) }},
		{name: "ipv6.hlim", typ: filter.Uint, bits: 8, desc: "IPv6 hop limit", example: "ipv6.hlim == 255",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.ip6.hlim)) }},
		{name: "ipv6.src", typ: filter.IPv6, desc: "IPv6 source address", example: "ipv6.src == fe80::/10",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return append(dst, filter.Value{B: p.ip6.src[:]}) }},
		{name: "ipv6.dst", typ: filter.IPv6, desc: "IPv6 destination address", example: "ipv6.dst == ::1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return append(dst, filter.Value{B: p.ip6.dst[:]}) }},
		{name: "ipv6.addr", typ: filter.IPv6, desc: "IPv6 source or destination address", example: "ipv6.addr == 2001:db8::1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return append(dst, filter.Value{B: p.ip6.src[:]}, filter.Value{B: p.ip6.dst[:]})
			}},
		{name: "ipv6.hopopts", typ: filter.None, desc: "The packet has a hop-by-hop options header", example: "ipv6.hopopts", get: ipv6Ext(0)},
		{name: "ipv6.routing", typ: filter.None, desc: "The packet has a routing header", example: "ipv6.routing", get: ipv6Ext(43)},
		{name: "ipv6.fraghdr", typ: filter.None, desc: "The packet has a fragment header", example: "ipv6.fraghdr", get: ipv6Ext(44)},
		{name: "ipv6.fraghdr.nxt", typ: filter.Uint, bits: 8, named: true, desc: "The fragment header's next header: what the datagram carries (17 UDP)", example: "ipv6.fraghdr.nxt == 17", has: pIPFrag,
			get: ip6FragField(func(f ip6Frag) uint64 { return uint64(f.nxt) })},
		{name: "ipv6.fraghdr.offset", typ: filter.Uint, bits: 16, desc: "The fragment's offset, in 8-byte units (Wireshark's detail view shows bytes)", example: "ipv6.fraghdr.offset > 0", has: pIPFrag,
			get: ip6FragField(func(f ip6Frag) uint64 { return uint64(f.off) })},
		{name: "ipv6.fraghdr.more", typ: filter.Bool, named: true, desc: "More fragments follow", example: "ipv6.fraghdr.more == 1", has: pIPFrag,
			get: ip6FragField(func(f ip6Frag) uint64 {
				if f.more {
					return 1
				}
				return 0
			})},
		{name: "ipv6.fraghdr.ident", typ: filter.Uint, bits: 32, hex: 8, desc: "The datagram's identification", example: "ipv6.fraghdr.ident == 0x12345678", has: pIPFrag,
			get: ip6FragField(func(f ip6Frag) uint64 { return uint64(f.id) })},
		{name: "ipv6.dstopts", typ: filter.None, desc: "The packet has a destination options header", example: "ipv6.dstopts", get: ipv6Ext(60)},
	}, reasmFields("ipv6", "ipv6.reassembled.in")...),
	info: func(p *Packet) (string, string) {
		if p.has&pIPFrag != 0 && p.frag == nil {
			f := p.ip6.frag
			more := "n"
			if f.more {
				more = "y"
			}
			return "IPv6", "IPv6 fragment (off=" + strconv.Itoa(int(f.off)*8) + " more=" + more + " ident=0x" + string(appendHex(nil, uint64(f.id), 8)) + " nxt=" + strconv.Itoa(int(f.nxt)) + ")"
		}
		return "IPv6", ""
	},
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "ipv6")
		for _, e := range p.ext[:p.next] {
			switch e {
			case 0:
				b = appendProto(b, "ipv6.hopopts")
			case 43:
				b = appendProto(b, "ipv6.routing")
			case 44:
				b = appendProto(b, "ipv6.fraghdr")
			case 60:
				b = appendProto(b, "ipv6.dstopts")
			}
		}
		return b
	},
}

// ipv6Ext is the presence of an extension header (one occurrence each).
func ipv6Ext(t uint8) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		for _, e := range p.ext[:p.next] {
			if e == t {
				dst = u(dst, 0)
			}
		}
		return dst
	}
}

func (d *Decoder) fillIPv6(p *Packet) []byte {
	d.routeDst = nil
	if p.has&(pIP|pIPv6) != 0 {
		return d.ip6.Payload
	}
	p.has |= pIPv6
	ip := &d.ip6
	p.ip6 = ip6Info{tclass: ip.TrafficClass, flow: ip.FlowLabel, plen: ip.Length, nxt: uint8(ip.NextHeader), hlim: ip.HopLimit}
	copy(p.ip6.src[:], ip.SrcIP)
	copy(p.ip6.dst[:], ip.DstIP)
	if ip.HopByHop != nil { // gopacket decodes hop-by-hop options with the fixed header
		p.ext[0], p.next = 0, 1
	}
	return ip.Payload
}

// fillIPv6Ext records an extension header's type, in order.
func (d *Decoder) fillIPv6Ext(p *Packet, lt gopacket.LayerType) []byte {
	if int(p.next) < len(p.ext) {
		var t uint8
		switch lt {
		case layers.LayerTypeIPv6Routing:
			t = 43
			d.routeDst = routeFinal(d.ext.Contents)
		case layers.LayerTypeIPv6Fragment:
			t = 44
			p.has |= pIPFrag
			if c := d.ext.Contents; len(c) >= 8 {
				p.ip6.frag = ip6Frag{nxt: c[0], off: be16(c[2:]) >> 3, more: c[3]&1 != 0, id: be32(c[4:])}
			}
		case layers.LayerTypeIPv6Destination:
			t = 60
		}
		p.ext[p.next] = t
		p.next++
	}
	return d.ext.Payload
}

// routeFinal returns the final destination a routing header names while
// segments are left (the last address of a type 0 or 2 header, the first of
// a segment routing header's list), which the pseudo-header of an upper
// layer's checksum has; nil when the IPv6 destination is the final one.
func routeFinal(c []byte) []byte {
	if len(c) < 8 || c[3] == 0 {
		return nil
	}
	switch c[2] {
	case 0, 2:
		if n := int(c[1]) / 2; n > 0 && 8+16*n <= len(c) {
			return c[8+16*(n-1) : 8+16*n]
		}
	case 4:
		if len(c) >= 24 {
			return c[8:24]
		}
	}
	return nil
}

// ip6FragField reads a field of a packet's fragment header (IPv6's: an IPv4
// fragment has none).
func ip6FragField(get func(ip6Frag) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.has&pIPv6 == 0 || p.next == 0 {
			return dst
		}
		for _, e := range p.ext[:p.next] {
			if e == 44 {
				return u(dst, get(p.ip6.frag))
			}
		}
		return dst
	}
}
