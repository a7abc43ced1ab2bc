package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// CHAP (PPP protocol 0xc223, RFC 1994), the Challenge Handshake
// Authentication Protocol, as Wireshark's chap dissector shows it: code,
// identifier and length; a Challenge's or Response's value (after its size
// byte) and name (the rest of the length), a Success's or Failure's
// message. A value size past the length stops the dissection there; a
// value or name running past the frame ends it ("[Malformed Packet]").
// Info is the code's name and the values: "Challenge (NAME='server',
// VALUE=0x0001...)", "Success (MESSAGE='Welcome')".
var chapProto = protocol{
	name: "chap", title: "CHAP", desc: "PPP Challenge Handshake Authentication Protocol", example: "chap",
	// Wireshark adds the protocol once it reads the code.
	shown: func(p *Packet) bool { return len(p.ppp.cp) > 0 },
	info: func(p *Packet) (string, string) {
		c := p.ppp.cp
		if len(c) == 0 {
			return "PPP", "[Malformed Packet]"
		}
		info := "Unknown"
		if int(c[0]) < len(chapCodeNames) && c[0] > 0 {
			info = chapCodeNames[c[0]]
		}
		if len(c) < 4 {
			return "PPP CHAP", info + p.cutMark()
		}
		m := chapParse(c)
		switch {
		case m.cut:
			info += p.cutMark()
		case m.value != nil:
			info += " (NAME='" + string(appendEscaped(nil, m.name)) + "', VALUE=0x" + chapHex(m.value) + ")"
		case m.msg != nil:
			info += " (MESSAGE='" + string(appendEscaped(nil, m.msg)) + "')"
		}
		return "PPP CHAP", info
	},
	fields: []field{
		{name: "chap.code", typ: filter.Uint, bits: 8, named: true, desc: "Code: 1 Challenge, 2 Response, 3 Success, 4 Failure", example: "chap.code == 1",
			get: chapHeader(1, func(c []byte) uint64 { return uint64(c[0]) })},
		{name: "chap.identifier", typ: filter.Uint, bits: 8, desc: "Identifier, which matches a response to its challenge", example: "chap.identifier == 1",
			get: chapHeader(2, func(c []byte) uint64 { return uint64(c[1]) })},
		{name: "chap.length", typ: filter.Uint, bits: 16, desc: "Length of the packet, code to end of its data", example: "chap.length > 4",
			get: chapHeader(4, func(c []byte) uint64 { return uint64(be16(c[2:])) })},
		{name: "chap.data", typ: filter.None, desc: "The data of a Challenge or Response (present when there is any)", example: "chap.data",
			get: chapGet(func(m *chapMsg, dst []filter.Value) []filter.Value {
				if m.data {
					dst = u(dst, 0)
				}
				return dst
			})},
		{name: "chap.value_size", typ: filter.Uint, bits: 8, desc: "Size of the value", example: "chap.value_size == 16",
			get: chapGet(func(m *chapMsg, dst []filter.Value) []filter.Value {
				if m.valueSize >= 0 {
					dst = u(dst, uint64(m.valueSize))
				}
				return dst
			})},
		{name: "chap.value", typ: filter.Bytes, desc: "Value: the challenge, or the response's hash of identifier, secret and challenge (MD5)", example: "chap.value",
			get: chapGet(func(m *chapMsg, dst []filter.Value) []filter.Value {
				if len(m.value) > 0 {
					dst = append(dst, filter.Value{B: m.value})
				}
				return dst
			})},
		{name: "chap.name", typ: filter.String, desc: "Name of the system sending the challenge or response", example: `chap.name == "client"`,
			get: chapGet(func(m *chapMsg, dst []filter.Value) []filter.Value {
				if len(m.name) > 0 {
					dst = append(dst, filter.Value{B: m.name})
				}
				return dst
			})},
		{name: "chap.message", typ: filter.String, desc: "Message of a Success or Failure", example: `chap.message contains "Welcome"`,
			get: chapGet(func(m *chapMsg, dst []filter.Value) []filter.Value {
				if len(m.msg) > 0 {
					dst = append(dst, filter.Value{B: m.msg})
				}
				return dst
			})},
	},
}

var chapCodeNames = [...]string{1: "Challenge", 2: "Response", 3: "Success", 4: "Failure"}

// chapMsg is a CHAP packet's data as Wireshark reads it.
type chapMsg struct {
	data      bool
	valueSize int // -1 absent
	value     []byte
	name, msg []byte
	cut       bool
}

// chapParse reads the data of the CHAP packet c (its header is there).
func chapParse(c []byte) chapMsg {
	m := chapMsg{valueSize: -1}
	n := int(be16(c[2:])) - 4
	b := c[4:]
	switch c[0] {
	case 1, 2:
		if n <= 0 {
			return m
		}
		m.data = true
		if len(b) < 1 {
			m.cut = true
			return m
		}
		m.valueSize = int(b[0])
		if m.valueSize > n {
			return m
		}
		b = b[1:]
		if m.valueSize > len(b) {
			m.cut = true
			return m
		}
		m.value, b = b[:m.valueSize], b[m.valueSize:]
		if name := n - m.valueSize - 1; name > 0 {
			if name > len(b) {
				m.cut = true
				return m
			}
			m.name = b[:name]
		}
		if m.name == nil {
			m.name = []byte{}
		}
	case 3, 4:
		if n <= 0 {
			m.msg = []byte{}
			return m
		}
		if n > len(b) {
			m.cut = true
			return m
		}
		m.msg = b[:n]
	default:
		m.cut = n > len(b)
	}
	return m
}

// chapCut reports whether the CHAP packet c is cut short (decodePPP).
func chapCut(c []byte) bool { return len(c) < 4 || chapParse(c).cut }

func chapHex(b []byte) string {
	const digits = "0123456789abcdef"
	s := make([]byte, 0, 2*len(b))
	for _, c := range b {
		s = append(s, digits[c>>4], digits[c&15])
	}
	return string(s)
}

// chapHeader reads the header field that ends at byte end (the code, the
// identifier, the length): Wireshark shows those the frame has.
func chapHeader(end int, v func(c []byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if c := p.ppp.cp; len(c) >= end && p.ppp.proto == 0xc223 {
			dst = u(dst, v(c))
		}
		return dst
	}
}

func chapGet(get func(m *chapMsg, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if c := p.ppp.cp; len(c) >= 4 && p.ppp.proto == 0xc223 {
			m := chapParse(c)
			dst = get(&m, dst)
		}
		return dst
	}
}
