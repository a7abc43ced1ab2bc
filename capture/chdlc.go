package capture

import (
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Cisco HDLC (LINKTYPE_C_HDLC, 104), as Wireshark's chdlc dissector shows
// it: the address (0x0f unicast, 0x8f multicast), the control byte and the
// protocol, an EtherType (Cisco's own 0x8035 for SLARP, 0x2000 for CDP).
// What it carries is a layer of the frame: IPv4, IPv6, MPLS, SLARP and CDP
// are decoded, other protocols are data (an OSI one, 0xfefe, which Wireshark
// decodes, shows as Cisco HDLC only). The header is the frame's first four
// bytes: the fields read it there.
var chdlcProto = protocol{
	name: "chdlc", title: "Cisco HDLC", desc: "Cisco HDLC, a serial line's framing (link type 104)", example: "chdlc",
	// A header cut short is in frame.protocols, but has no field: Wireshark
	// reads the protocol before it adds any.
	shown: func(p *Packet) bool { return len(p.Data) >= 4 },
	info: func(p *Packet) (string, string) {
		if b := p.Data; len(b) > 4 && p.has&pData != 0 {
			return "0x" + string(appendHex(nil, uint64(be16(b[2:])), 4)), "" // nothing decodes the protocol: Wireshark names its number
		}
		return "CHDLC", cutNote(p, len(p.Data) <= 4)
	},
	fields: []field{
		{name: "chdlc.address", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "Address: 0x0f unicast, 0x8f multicast", example: "chdlc.address == 0x8f",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return chdlcHeader(p, dst, 1) }},
		{name: "chdlc.control", typ: filter.Uint, bits: 8, hex: 2, desc: "Control (0)", example: "chdlc.control == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return chdlcHeader(p, dst, 2) }},
		{name: "chdlc.protocol", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Protocol of the payload (an EtherType, or Cisco's: 0x8035 SLARP, 0x2000 CDP, 0xfefe OSI)", example: "chdlc.protocol == 0x0800",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return chdlcHeader(p, dst, 4) }},
	},
}

// chdlcHeader is the header's address (upto 1), control (2) or protocol (4).
func chdlcHeader(p *Packet, dst []filter.Value, upto int) []filter.Value {
	b := p.Data
	if len(b) < 4 {
		return dst
	}
	switch upto {
	case 1:
		return u(dst, uint64(b[0]))
	case 2:
		return u(dst, uint64(b[1]))
	}
	return u(dst, uint64(be16(b[2:])))
}

// cutNote is Wireshark's note on a packet that ends early: cut by the
// capture's snapshot length, or shorter than it says; "" when cut is false.
func cutNote(p *Packet, cut bool) string {
	switch {
	case !cut:
		return ""
	case p.CapLen < p.Len:
		return "[Packet size limited during capture]"
	}
	return "[Malformed Packet]"
}

// decodeCHDLC decodes a Cisco HDLC frame.
func (d *Decoder) decodeCHDLC(p *Packet) {
	b := p.Data
	p.has |= chdlcProto.bit
	if len(b) <= 4 {
		p.Malformed = "Cisco HDLC frame cut short"
		return
	}
	payload := b[4:]
	switch be16(b[2:]) {
	case 0x0800:
		d.decodeFrom(p, payload, firstIPv4)
	case 0x86dd:
		d.decodeFrom(p, payload, firstIPv6)
	case 0x8847, 0x8848:
		d.decodeFrom(p, payload, firstMPLS)
	case 0x8035:
		p.has |= slarpProto.bit
		if len(payload) < slarpNeed(payload) {
			p.Malformed = "SLARP packet cut short"
		} else if be32(payload) > 2 && len(payload) > 4 { // a type Wireshark does not know: data follows
			p.has |= pData
			p.data = payload[4:]
		}
	case 0x2000:
		d.decodeCDP(p)
	case 0xfefe:
	default:
		p.has |= pData
		p.data = payload
	}
}

// SLARP, Cisco's serial line address resolution and keepalive inside Cisco
// HDLC (0x8035), as Wireshark's slarp dissector shows it: the packet type,
// then a request's or reply's address and netmask, or a line keepalive's
// sequence numbers and reliability.
var slarpProto = protocol{
	name: "slarp", title: "SLARP", desc: "Cisco SLARP: serial line address requests and keepalives", example: "slarp",
	shown: func(p *Packet) bool { return len(p.Data) >= 8 }, // Wireshark reads the type first
	info: func(p *Packet) (string, string) {
		b := p.Data[4:]
		if len(b) < 4 {
			return "SLARP", cutNote(p, true)
		}
		typ := be32(b)
		if typ > 2 {
			return "SLARP", "Unknown packet type 0x" + string(appendHexUpper(nil, uint32(typ), 8))
		}
		if len(b) < 12 { // Wireshark reads the Info column's values first
			return "SLARP", cutNote(p, true)
		}
		if typ == 2 {
			return "SLARP", "Line keepalive, outgoing sequence " + strconv.FormatUint(uint64(be32(b[4:])), 10) +
				", returned sequence " + strconv.FormatUint(uint64(be32(b[8:])), 10) + cutNote(p, len(b) < 14)
		}
		name := "Request"
		if typ == 1 {
			name = "Reply"
		}
		return "SLARP", name + ", from " + fmtIPv4(be32(b[4:])) + ", mask " + fmtIPv4(be32(b[8:]))
	},
	fields: []field{
		{name: "slarp.ptype", typ: filter.Uint, bits: 32, named: true, desc: "Packet type: 0 request, 1 reply, 2 line keepalive", example: "slarp.ptype == 2",
			get: slarpField(-1, 0, 4)},
		{name: "slarp.address", typ: filter.IPv4, desc: "Address of a request or reply", example: "slarp.address == 15.0.0.1",
			get: slarpField(0, 4, 8)},
		{name: "slarp.netmask", typ: filter.IPv4, desc: "Netmask of a request or reply", example: "slarp.netmask == 255.255.255.252",
			get: slarpField(0, 8, 12)},
		{name: "slarp.mysequence", typ: filter.Uint, bits: 32, desc: "A keepalive's outgoing sequence number", example: "slarp.mysequence > 100",
			get: slarpField(2, 4, 8)},
		{name: "slarp.yoursequence", typ: filter.Uint, bits: 32, desc: "A keepalive's returned sequence number", example: "slarp.yoursequence == 0",
			get: slarpField(2, 8, 12)},
		{name: "slarp.reliability", typ: filter.Uint, bits: 16, hex: 4, desc: "A keepalive's reliability (0xffff)", example: "slarp.reliability != 0xffff",
			get: slarpField(2, 12, 14)},
	},
}

// slarpNeed is the length of a SLARP packet of b's type.
func slarpNeed(b []byte) int {
	if len(b) >= 4 && be32(b) == 2 {
		return 14
	}
	if len(b) >= 4 && be32(b) > 2 {
		return 4
	}
	return 12
}

// slarpField is the bytes [from, to) of a SLARP packet of type typ (-1: any;
// 0 also 1), present when the packet holds them and the Info column's
// values (Wireshark reads those first).
func slarpField(typ, from, to int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		b := p.Data[4:]
		if len(b) < 4 {
			return dst
		}
		t := be32(b)
		switch {
		case typ == 0 && t > 1, typ == 2 && t != 2:
			return dst
		case t <= 2 && len(b) < 12, len(b) < to:
			return dst
		}
		if to-from == 2 {
			return u(dst, uint64(be16(b[from:])))
		}
		return u(dst, uint64(be32(b[from:])))
	}
}
