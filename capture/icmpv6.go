package capture

import (
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// ICMPv6: echo, neighbor discovery targets and the error messages' types.
var icmpv6Proto = protocol{
	name: "icmpv6", title: "ICMPv6", desc: "Internet Control Message Protocol for IPv6", example: "icmpv6", bit: pICMPv6, header: true,
	fields: []field{
		{name: "icmpv6.type", typ: filter.Uint, bits: 8, named: true, desc: "ICMPv6 type: 128 echo request, 129 echo reply, 135 neighbor solicitation, 136 advertisement", example: "icmpv6.type == 128",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.typ)) }},
		{name: "icmpv6.code", typ: filter.Uint, bits: 8, desc: "ICMPv6 code", example: "icmpv6.code == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.code)) }},
		{name: "icmpv6.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "ICMPv6 checksum", example: "icmpv6.checksum != 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.checksum)) }},
		{name: "icmpv6.echo.identifier", typ: filter.Uint, bits: 16, hex: 4, desc: "ICMPv6 echo identifier", example: "icmpv6.echo.identifier == 1", get: icmpEcho(false)},
		{name: "icmpv6.echo.sequence_number", typ: filter.Uint, bits: 16, desc: "ICMPv6 echo sequence number", example: "icmpv6.echo.sequence_number == 1", get: icmpEcho(true)},
		{name: "icmpv6.resp_to", typ: filter.Uint, bits: 32, desc: "On an echo reply, the frame of its request", example: "icmpv6.resp_to", get: icmpRespTo},
		{name: "icmpv6.resptime", typ: filter.Float, double: true, desc: "On an echo reply, the milliseconds since its request", example: "icmpv6.resptime > 10", get: icmpRespTime},
		{name: "icmpv6.resp_in", typ: filter.Uint, bits: 32, desc: "On an echo request, the frame of its reply: never set, as in tshark -r (one pass); filter replies with icmpv6.resp_to", example: "icmpv6.resp_in", get: never},
		{name: "icmpv6.no_resp", typ: filter.None, desc: "An echo request no reply answers: never set, as in tshark -r (it takes a second pass)", example: "icmpv6.no_resp", get: never},
	},
	info:  func(p *Packet) (string, string) { return "ICMPv6", p.icmp6Info() },
	chain: func(p *Packet, b []byte) []byte { return p.chainQuote(appendProto(b, "icmpv6")) },
}

var icmp6TypeNames = map[uint8]string{1: "Destination Unreachable", 2: "Packet Too Big", 3: "Time Exceeded", 4: "Parameter Problem", 128: "Echo (ping) request", 129: "Echo (ping) reply", 133: "Router Solicitation", 134: "Router Advertisement", 135: "Neighbor Solicitation", 136: "Neighbor Advertisement", 137: "Redirect", 143: "Multicast Listener Report Message v2"}

// icmp6UnreachNames are Wireshark's names of the destination unreachable codes.
var icmp6UnreachNames = [...]string{"no route to destination", "Administratively prohibited", "Beyond scope of source address", "Address unreachable", "Port unreachable", "Source address failed ingress/egress policy", "Reject route to destination", "Error in Source Routing Header"}

func (p *Packet) icmp6Info() string {
	c := &p.icmp
	name, ok := icmp6TypeNames[c.typ]
	if !ok {
		name = "Unknown ICMPv6 type (" + strconv.Itoa(int(c.typ)) + ")"
	}
	switch c.typ {
	case 1:
		if int(c.code) < len(icmp6UnreachNames) {
			name += " (" + icmp6UnreachNames[c.code] + ")"
		}
	case 3:
		if c.code < 2 {
			name += " (" + [...]string{"hop limit exceeded in transit", "fragment reassembly time exceeded"}[c.code] + ")"
		}
	case 4:
		if c.code < 3 {
			name += " (" + [...]string{"erroneous header field encountered", "unrecognized Next Header type encountered", "unrecognized IPv6 option encountered"}[c.code] + ")"
		}
	case 128, 129:
		if c.echo {
			name += " id=0x" + string(appendHex(nil, uint64(c.id), 4)) + ", seq=" + strconv.Itoa(int(c.seq)) + ", hop limit=" + strconv.Itoa(int(p.ip6.hlim))
			if c.typ == 129 && c.related > 0 {
				name += " (request in " + strconv.Itoa(c.related) + ")"
			}
		}
	case 135:
		name += " for " + fmtIPv6(c.target[:])
	case 136:
		name += " " + fmtIPv6(c.target[:])
	}
	return name
}

func (d *Decoder) fillICMPv6(p *Packet) {
	p.has |= pICMPv6
	x := &d.icmp6
	p.icmp.typ, p.icmp.code, p.icmp.checksum = x.TypeCode.Type(), x.TypeCode.Code(), x.Checksum
	pl := x.Payload
	switch p.icmp.typ {
	case 128, 129:
		if len(pl) >= 4 {
			p.icmp.echo, p.icmp.id, p.icmp.seq = true, be16(pl), be16(pl[2:])
			if len(pl) > 4 {
				p.has |= pData
				p.data = pl[4:]
			}
		}
	case 135, 136:
		if len(pl) >= 20 {
			copy(p.icmp.target[:], pl[4:20])
		}
	}
	if icmpError(p.icmp.typ, true) && len(pl) > 4 {
		d.decodeQuote(p, pl[4:])
	}
}
