package capture

import (
	"strconv"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// ICMP (IPv4). Echo replies are paired with their requests (stream.go).
var icmpProto = protocol{
	name: "icmp", title: "ICMP", desc: "Internet Control Message Protocol", example: "icmp", bit: pICMP, header: true,
	fields: []field{
		{name: "icmp.type", typ: filter.Uint, bits: 8, desc: "ICMP type: 8 echo request, 0 echo reply, 3 unreachable, 11 time exceeded", example: "icmp.type == 8",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.typ)) }},
		{name: "icmp.code", typ: filter.Uint, bits: 8, desc: "ICMP code", example: "icmp.code == 3",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.code)) }},
		{name: "icmp.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "ICMP checksum", example: "icmp.checksum != 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.checksum)) }},
		{name: "icmp.checksum.status", typ: filter.Uint, bits: 8, named: true, desc: "Checksum status: 1 good, 0 bad, 2 unverified (the message is cut short, or quoted in an error)", example: "icmp.checksum.status == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmpChecksum(false))) }},
		{name: "icmp.ident", typ: filter.Uint, bits: 16, desc: "ICMP echo identifier", example: "icmp.ident == 1", get: icmpEcho(false)},
		{name: "icmp.seq", typ: filter.Uint, bits: 16, desc: "ICMP echo sequence number", example: "icmp.seq == 1", get: icmpEcho(true)},
		{name: "icmp.resp_to", typ: filter.Uint, bits: 32, desc: "On an echo reply, the frame of its request", example: "icmp.resp_to", get: icmpRespTo},
		{name: "icmp.resptime", typ: filter.Float, double: true, desc: "On an echo reply, the milliseconds since its request", example: "icmp.resptime > 10", get: icmpRespTime},
		{name: "icmp.resp_in", typ: filter.Uint, bits: 32, desc: "On an echo request, the frame of its reply: never set, as in tshark -r (one pass: a request cannot know its reply); filter replies with icmp.resp_to", example: "icmp.resp_in", get: never},
		{name: "icmp.no_resp", typ: filter.None, desc: "An echo request no reply answers: never set, as in tshark -r (it takes a second pass)", example: "icmp.no_resp", get: never},
	},
	info:  func(p *Packet) (string, string) { return "ICMP", p.icmpInfo() },
	chain: func(p *Packet, b []byte) []byte { return p.chainQuote(appendProto(b, "icmp")) },
}

// icmpRespTo is an echo reply's request frame (ICMP and ICMPv6).
func icmpRespTo(p *Packet, dst []filter.Value) []filter.Value {
	if p.icmp.related > 0 {
		dst = u(dst, uint64(p.icmp.related))
	}
	return dst
}

// icmpRespTime is an echo reply's time since its request, in milliseconds as
// Wireshark computes them (seconds times 1000 plus nanoseconds over 10^6).
func icmpRespTime(p *Packet, dst []filter.Value) []filter.Value {
	if p.icmp.related > 0 {
		t := p.icmp.respTime
		ms := float64(t/time.Second)*1000 + float64(t%time.Second)/1e6
		dst = append(dst, filter.Value{F: ms})
	}
	return dst
}

// never is the getter of a field Wireshark only sets in a second pass over a
// capture: tshark -r, reading once as wirelab does, never shows it.
func never(p *Packet, dst []filter.Value) []filter.Value { return dst }

// icmpEcho is an echo's identifier or sequence number (ICMP and ICMPv6).
func icmpEcho(seq bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		switch {
		case !p.icmp.echo:
			return dst
		case seq:
			return u(dst, uint64(p.icmp.seq))
		}
		return u(dst, uint64(p.icmp.id))
	}
}

var icmpTypeNames = map[uint8]string{0: "Echo (ping) reply", 3: "Destination unreachable", 4: "Source quench (flow control)", 5: "Redirect", 8: "Echo (ping) request", 9: "Router advertisement", 10: "Router solicitation", 11: "Time-to-live exceeded", 12: "Parameter problem", 13: "Timestamp request", 14: "Timestamp reply"}

var icmpUnreachNames = [...]string{"Network unreachable", "Host unreachable", "Protocol unreachable", "Port unreachable", "Fragmentation needed", "Source route failed", "Destination network unknown", "Destination host unknown", "Source host isolated", "Network administratively prohibited", "Host administratively prohibited", "Network unreachable for TOS", "Host unreachable for TOS", "Communication administratively filtered", "Host precedence violation", "Precedence cutoff in effect"}

func (p *Packet) icmpInfo() string {
	c := &p.icmp
	name, ok := icmpTypeNames[c.typ]
	if !ok {
		name = "Unknown ICMP (obsolete or malformed?)"
	}
	// Wireshark pads the type name to 20 columns ("%-20s").
	if n := len(name); n < 20 {
		name += strings.Repeat(" ", 20-n)
	}
	switch {
	case c.typ == 3 && int(c.code) < len(icmpUnreachNames):
		name += " (" + icmpUnreachNames[c.code] + ")"
	case c.typ == 11 && c.code == 0:
		name += " (Time to live exceeded in transit)"
	}
	if c.echo && (c.typ == 0 || c.typ == 8) {
		name += " id=0x" + string(appendHex(nil, uint64(c.id), 4)) + ", seq=" + strconv.Itoa(int(c.seq)) + "/" + strconv.Itoa(int(c.seq>>8|c.seq<<8)) + ", ttl=" + strconv.Itoa(int(p.ip4.ttl))
		if c.typ == 0 && c.related > 0 {
			name += " (request in " + strconv.Itoa(c.related) + ")"
		}
	}
	return name
}

func (d *Decoder) fillICMP(p *Packet) {
	p.has |= pICMP
	x := &d.icmp4
	p.icmp.typ, p.icmp.code, p.icmp.checksum = x.TypeCode.Type(), x.TypeCode.Code(), x.Checksum
	p.icmp.msg = icmpMessage(x.Contents, x.Payload)
	ip := &d.ip4
	p.icmp.whole = len(ip.Payload) >= int(ip.Length)-4*int(ip.IHL) || p.Len <= len(p.Data)
	p.icmp.quoted = d.quoted
	switch p.icmp.typ {
	case 0, 8, 13, 14, 15, 16:
		p.icmp.echo, p.icmp.id, p.icmp.seq = true, x.Id, x.Seq
	}
	if len(x.Payload) > 0 && (p.icmp.typ == 0 || p.icmp.typ == 8) {
		p.has |= pData
		p.data = x.Payload
	}
	if icmpError(p.icmp.typ, false) {
		d.decodeQuote(p, x.Payload)
	}
}
