package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// PPPoE (RFC 2516), PPP over Ethernet, as Wireshark's pppoed and pppoes
// dissectors show it. Both stages share the header (pppoe.version, type,
// code, session ID and payload length; Wireshark's pppoe protocol, which
// no frame shows by itself). Discovery (EtherType 0x8863): PADI, PADO,
// PADR, PADS and PADT and their tags (service name, AC name, host-uniq,
// AC cookie, vendor ID, relay session ID, PPP-Max-Payload, the errors).
// Session (EtherType 0x8864, and LINKTYPE_PPP_ETHER): PPP (ppp.go), its
// protocol field alone, as much of it as the payload length covers. Info
// is the code's name ("Active Discovery Initiation (PADI)"), the AC name
// after it; a session frame shows what PPP carries.
var pppoedProto = protocol{
	name: "pppoed", title: "PPPoED", desc: "PPP-over-Ethernet Discovery", example: "pppoed",
	etherTypes: []uint16{0x8863},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		p.ppp.pppoe = s.payload
		if p.pppoedCut() {
			p.Malformed = "PPPoE discovery cut short"
		}
		return taken
	},
	info: func(p *Packet) (string, string) { return "PPPoED", p.pppoeInfo(true) },
	fields: []field{
		{name: "pppoe.version", typ: filter.Uint, bits: 8, desc: "Version (the high nibble): 1", example: "pppoe.version == 1",
			get: pppoeHeader(func(h []byte) uint64 { return uint64(h[0] >> 4) })},
		{name: "pppoe.type", typ: filter.Uint, bits: 8, desc: "Type (the low nibble): 1", example: "pppoe.type == 1",
			get: pppoeHeader(func(h []byte) uint64 { return uint64(h[0] & 15) })},
		{name: "pppoe.code", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "Code: 0x09 PADI, 0x07 PADO, 0x19 PADR, 0x65 PADS, 0xa7 PADT, 0x00 session data", example: "pppoe.code == 0x09",
			get: pppoeHeader(func(h []byte) uint64 { return uint64(h[1]) })},
		{name: "pppoe.session_id", typ: filter.Uint, bits: 16, hex: 4, desc: "Session ID: 0 until the PADS assigns one", example: "pppoe.session_id == 0x0017",
			get: pppoeHeader(func(h []byte) uint64 { return uint64(be16(h[2:])) })},
		{name: "pppoe.payload_length", typ: filter.Uint, bits: 16, desc: "Length of the payload (the tags, or the PPP frame)", example: "pppoe.payload_length > 0",
			get: pppoeHeader(func(h []byte) uint64 { return uint64(be16(h[4:])) })},
		{name: "pppoed.tags", typ: filter.None, desc: "The tags of a discovery frame (present when it has a payload)", example: "pppoed.tags",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if h := p.ppp.pppoe; len(h) >= 6 && be16(h[4:]) > 0 {
					dst = u(dst, 0)
				}
				return dst
			}},
		{name: "pppoed.tags.service_name", typ: filter.String, desc: "Service name (tag 0x0101; empty: any service)", example: `pppoed.tags.service_name == "isp"`,
			get: pppoedTag(0x0101, pppoeBytes)},
		{name: "pppoed.tags.ac_name", typ: filter.String, desc: "Access concentrator name (tag 0x0102)", example: `pppoed.tags.ac_name == "BRAS-1"`,
			get: pppoedTag(0x0102, pppoeBytes)},
		{name: "pppoed.tags.host_uniq", typ: filter.Bytes, desc: "Host-Uniq (tag 0x0103): the host's value, echoed to match replies", example: "pppoed.tags.host_uniq == de:ad:be:ef",
			get: pppoedTag(0x0103, pppoeBytes)},
		{name: "pppoed.tags.ac_cookie", typ: filter.Bytes, desc: "AC cookie (tag 0x0104)", example: "pppoed.tags.ac_cookie",
			get: pppoedTag(0x0104, pppoeBytes)},
		{name: "pppoed.tags.vendor_id", typ: filter.Uint, bits: 32, desc: "Vendor ID of a vendor-specific tag (0x0105): 3561 the Broadband Forum", example: "pppoed.tags.vendor_id == 3561",
			get: pppoedTag(0x0105, func(v []byte, dst []filter.Value) []filter.Value {
				if len(v) >= 4 {
					dst = u(dst, uint64(be32(v)))
				}
				return dst
			})},
		{name: "pppoed.tags.relay_session_id", typ: filter.Bytes, desc: "Relay session ID (tag 0x0110)", example: "pppoed.tags.relay_session_id",
			get: pppoedTag(0x0110, pppoeBytes)},
		{name: "pppoed.tags.max_payload", typ: filter.Bytes, desc: "PPP-Max-Payload (tag 0x0120, RFC 4638)", example: "pppoed.tags.max_payload == 05:dc",
			get: pppoedTag(0x0120, pppoeBytes)},
		{name: "pppoed.tags.service_name_error", typ: filter.String, desc: "Service-Name-Error (tag 0x0201)", example: "pppoed.tags.service_name_error",
			get: pppoedTag(0x0201, pppoeBytes)},
		{name: "pppoed.tags.ac_system_error", typ: filter.String, desc: "AC-System-Error (tag 0x0202)", example: "pppoed.tags.ac_system_error",
			get: pppoedTag(0x0202, pppoeBytes)},
		{name: "pppoed.tags.generic_error", typ: filter.String, desc: "Generic-Error (tag 0x0203)", example: "pppoed.tags.generic_error",
			get: pppoedTag(0x0203, pppoeBytes)},
	},
}

// pppoesProto is PPPoE's session stage: the header (whose fields are
// pppoed's pppoe.*), then PPP.
var pppoesProto = protocol{
	name: "pppoes", title: "PPPoES", desc: "PPP-over-Ethernet Session", example: "pppoes",
	etherTypes: []uint16{0x8864},
	shares:     "pppoe",
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		d.decodePPPoES(p, s.payload)
		return taken
	},
	info: func(p *Packet) (string, string) { return "PPPoES", p.pppoeInfo(false) },
}

// decodePPPoES decodes a PPPoE session frame b: its header, then the PPP
// frame its payload length covers (the caller sets pppoes's bit).
func (d *Decoder) decodePPPoES(p *Packet, b []byte) {
	p.ppp.pppoe = b
	if len(b) < 6 {
		p.Malformed = "PPPoE header cut short"
		return
	}
	payload := b[6:]
	if n := int(be16(b[4:])); n < len(payload) {
		payload = payload[:n]
	}
	d.decodePPP(p, payload, false)
}

// pppoeHeader reads the PPPoE header (pppoed's or pppoes's).
func pppoeHeader(v func(h []byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if h := p.ppp.pppoe; len(h) >= 6 {
			dst = u(dst, v(h))
		}
		return dst
	}
}

// pppoedTags walks the tags of a discovery frame, as far as its payload
// length and the bytes captured go; it reports whether a tag runs past
// the bytes captured.
func (p *Packet) pppoedTags(visit func(typ uint16, v []byte)) (cut bool) {
	h := p.ppp.pppoe
	if len(h) < 6 {
		return true
	}
	end := int(be16(h[4:]))
	b := h[6:]
	if end < len(b) {
		b = b[:end] // padding, or a trailer, follows
	}
	for off := 0; off+4 <= end; {
		if off+4 > len(b) {
			return true
		}
		typ, n := be16(b[off:]), int(be16(b[off+2:]))
		v := b[off+4:]
		switch {
		case off+4+n <= len(b):
			v = v[:n]
		case len(b) < end:
			return true // past the bytes captured
		}
		visit(typ, v)
		off += 4 + n
	}
	return false
}

func (p *Packet) pppoedCut() bool { return p.pppoedTags(func(uint16, []byte) {}) }

func pppoedTag(typ uint16, val func(v []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		p.pppoedTags(func(t uint16, v []byte) {
			if t == typ {
				dst = val(v, dst)
			}
		})
		return dst
	}
}

func pppoeBytes(v []byte, dst []filter.Value) []filter.Value { return append(dst, filter.Value{B: v}) }

var pppoeCodeNames = map[byte]string{
	0x00: "Session Data", 0x07: "Active Discovery Offer (PADO)", 0x09: "Active Discovery Initiation (PADI)",
	0x19: "Active Discovery Request (PADR)", 0x65: "Active Discovery Session-confirmation (PADS)", 0xa7: "Active Discovery Terminate (PADT)",
	0x0a: "Active Discovery Session-Grant (PADG)", 0x0b: "Active Discovery Session-Credit Resp.(PADC)", 0x0c: "Active Discovery Quality (PADQ)",
	0xd3: "Active Discovery Message (PADM)", 0xd4: "Active Discovery Network (PADN)",
}

// pppoeInfo is the Info column of a PPPoE frame: the code's name, for a
// discovery frame the AC name.
func (p *Packet) pppoeInfo(discovery bool) string {
	h := p.ppp.pppoe
	if len(h) < 2 {
		return p.cutMark()
	}
	name, ok := pppoeCodeNames[h[1]]
	if !ok {
		name = "Unknown"
	}
	if len(h) < 6 {
		return name + p.cutMark()
	}
	if discovery {
		cut := p.pppoedTags(func(t uint16, v []byte) {
			if t == 0x0102 {
				name += " AC-Name='" + string(appendEscaped(nil, v)) + "'"
			}
		})
		if cut {
			name += p.cutMark()
		}
	}
	return name
}
