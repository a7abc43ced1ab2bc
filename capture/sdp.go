package capture

import (
	"bytes"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// SDP, the session description a SIP message carries (Content-Type
// application/sdp): its lines (v=, o=, s=, c=, t=, m=, a=) and the parts a
// VoIP lab filters on, as Wireshark's sdp dissector names them. The media
// formats' names (sdp.media.format) and the attributes' values are not
// decoded.
var sdpProto = protocol{
	name: "sdp", title: "SDP", desc: "Session Description Protocol (the body of a SIP INVITE or its answer)", example: "sdp",
	// The lines (sdp.owner) are ENC_ASCII, their parts (sdp.owner.username)
	// and the session name ENC_UTF_8, as tshark 4.0 shows them.
	strEnc: encASCII,
	fields: []field{
		{name: "sdp.version", typ: filter.String, desc: "Protocol version (v=)", example: `sdp.version == "0"`, get: sdpLine('v', -1)},
		{name: "sdp.owner", typ: filter.String, desc: "Owner/creator and session identifier (o=)", example: `sdp.owner contains "alice"`, get: sdpLine('o', -1)},
		{name: "sdp.owner.username", typ: filter.String, enc: encUTF8, desc: "The owner's user name", example: `sdp.owner.username == "alice"`, get: sdpLine('o', 0)},
		{name: "sdp.owner.sessionid", typ: filter.String, enc: encUTF8, desc: "The session's ID", example: `sdp.owner.sessionid`, get: sdpLine('o', 1)},
		{name: "sdp.owner.version", typ: filter.String, enc: encUTF8, desc: "The session's version", example: `sdp.owner.version`, get: sdpLine('o', 2)},
		{name: "sdp.owner.network_type", typ: filter.String, enc: encUTF8, desc: "The owner's network type (IN)", example: `sdp.owner.network_type == "IN"`, get: sdpLine('o', 3)},
		{name: "sdp.owner.address_type", typ: filter.String, enc: encUTF8, desc: "The owner's address type (IP4, IP6)", example: `sdp.owner.address_type == "IP4"`, get: sdpLine('o', 4)},
		{name: "sdp.owner.address", typ: filter.String, enc: encUTF8, desc: "The owner's address", example: `sdp.owner.address == "10.0.0.10"`, get: sdpLine('o', 5)},
		{name: "sdp.session_name", typ: filter.String, enc: encUTF8, desc: "Session name (s=)", example: `sdp.session_name contains "call"`, get: sdpLine('s', -1)},
		{name: "sdp.connection_info", typ: filter.String, desc: "Connection information (c=): where the media go", example: `sdp.connection_info contains "10.0.0"`, get: sdpLine('c', -1)},
		{name: "sdp.connection_info.network_type", typ: filter.String, enc: encUTF8, desc: "The connection's network type (IN)", example: `sdp.connection_info.network_type == "IN"`, get: sdpLine('c', 0)},
		{name: "sdp.connection_info.address_type", typ: filter.String, enc: encUTF8, desc: "The connection's address type (IP4, IP6)", example: `sdp.connection_info.address_type == "IP4"`, get: sdpLine('c', 1)},
		{name: "sdp.connection_info.address", typ: filter.String, enc: encUTF8, desc: "The connection's address: the RTP media's host", example: `sdp.connection_info.address == "10.0.0.10"`, get: sdpLine('c', 2)},
		{name: "sdp.time", typ: filter.String, desc: "Time the session is active (t=)", example: `sdp.time == "0 0"`, get: sdpLine('t', -1)},
		{name: "sdp.time.start", typ: filter.String, enc: encUTF8, desc: "The session's start time", example: `sdp.time.start == "0"`, get: sdpLine('t', 0)},
		{name: "sdp.time.stop", typ: filter.String, enc: encUTF8, desc: "The session's stop time", example: `sdp.time.stop == "0"`, get: sdpLine('t', 1)},
		{name: "sdp.media", typ: filter.String, desc: "Media description (m=), one occurrence each", example: `sdp.media contains "audio"`, get: sdpLine('m', -1)},
		{name: "sdp.media.media", typ: filter.String, enc: encUTF8, desc: "A media description's type: audio, video ...", example: `sdp.media.media == "audio"`, get: sdpLine('m', 0)},
		{name: "sdp.media.port", typ: filter.Uint, bits: 16, desc: "A media description's port: where the RTP stream goes", example: "sdp.media.port == 49170",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				for _, v := range sdpLine('m', 1)(p, nil) {
					port, _, _ := bytes.Cut(v.B, []byte("/"))
					if n, ok := parseDec(port); ok && n <= 0xffff {
						dst = u(dst, n)
					}
				}
				return dst
			}},
		{name: "sdp.media.proto", typ: filter.String, enc: encUTF8, desc: "A media description's transport: RTP/AVP ...", example: `sdp.media.proto == "RTP/AVP"`, get: sdpLine('m', 2)},
		{name: "sdp.media_attr", typ: filter.String, desc: "A media attribute (a= after an m= line)", example: `sdp.media_attr contains "rtpmap"`, get: sdpAttr(false)},
		{name: "sdp.media_attribute.field", typ: filter.String, enc: encUTF8, desc: "A media attribute's name", example: `sdp.media_attribute.field == "rtpmap"`, get: sdpAttr(true)},
		{name: "sdp.session_attr", typ: filter.String, desc: "A session attribute (a= before any m= line)", example: `sdp.session_attr contains "sendrecv"`, get: sdpSessionAttr},
	},
}

// sdpLines calls f with each line of the SIP body's description: its type
// letter, its value and whether a media description (m=) came before it.
func sdpLines(p *Packet, f func(typ byte, val []byte, inMedia bool)) {
	if p.sip == nil {
		return
	}
	inMedia := false
	for rest := p.sip.body; len(rest) > 0; {
		var l []byte
		l, rest = nextLine(rest, false)
		if len(l) < 2 || l[1] != '=' {
			continue
		}
		if l[0] == 'm' {
			inMedia = true
		}
		f(l[0], l[2:], inMedia)
	}
}

// sdpLine is every line of a type (part -1), or the part-th space-separated
// word of each.
func sdpLine(typ byte, part int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		sdpLines(p, func(t byte, val []byte, _ bool) {
			if t != typ {
				return
			}
			if part < 0 {
				dst = append(dst, filter.Value{B: val})
				return
			}
			if w := bytes.Fields(val); part < len(w) {
				dst = append(dst, filter.Value{B: w[part]})
			}
		})
		return dst
	}
}

// sdpAttr is each media attribute, or its name (before the colon).
func sdpAttr(name bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		sdpLines(p, func(t byte, val []byte, inMedia bool) {
			if t != 'a' || !inMedia {
				return
			}
			if name {
				val, _, _ = bytes.Cut(val, []byte(":"))
			}
			dst = append(dst, filter.Value{B: val})
		})
		return dst
	}
}

func sdpSessionAttr(p *Packet, dst []filter.Value) []filter.Value {
	sdpLines(p, func(t byte, val []byte, inMedia bool) {
		if t == 'a' && !inMedia {
			dst = append(dst, filter.Value{B: val})
		}
	})
	return dst
}
