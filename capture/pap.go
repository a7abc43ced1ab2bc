package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// PAP (PPP protocol 0xc023, RFC 1334), the Password Authentication
// Protocol, as Wireshark's pap dissector shows it: code, identifier and
// length; an Authenticate-Request's peer ID and password, an -Ack's or
// -Nak's message, each after its length byte; an unknown code's bytes.
// Wireshark reads the data to the end of the frame, whatever the length
// says; a value running past it ends the dissection ("[Malformed
// Packet]"). Info is the code's name and the values: "Authenticate-Request
// (Peer-ID='user', Password='secret')".
var papProto = protocol{
	name: "pap", title: "PAP", desc: "PPP Password Authentication Protocol", example: "pap",
	// Wireshark adds the protocol once it reads the code.
	shown: func(p *Packet) bool { return len(p.ppp.cp) > 0 },
	info: func(p *Packet) (string, string) {
		c := p.ppp.cp
		if len(c) == 0 {
			return "PPP", "[Malformed Packet]"
		}
		info := "Unknown"
		if int(c[0]) < len(papCodeNames) && c[0] > 0 {
			info = papCodeNames[c[0]]
		}
		if len(c) < 4 {
			return "PPP PAP", info + p.cutMark()
		}
		m := papParse(c)
		switch {
		case m.cut:
			info += p.cutMark()
		case c[0] == 1 && m.data:
			info += " (Peer-ID='" + string(appendEscaped(nil, m.peer)) + "', Password='" + string(appendEscaped(nil, m.pass)) + "')"
		case (c[0] == 2 || c[0] == 3) && m.data:
			info += " (Message='" + string(appendEscaped(nil, m.msg)) + "')"
		}
		return "PPP PAP", info
	},
	fields: []field{
		{name: "pap.code", typ: filter.Uint, bits: 8, named: true, desc: "Code: 1 Authenticate-Request, 2 Authenticate-Ack, 3 Authenticate-Nak", example: "pap.code == 1",
			get: papHeader(1, func(c []byte) uint64 { return uint64(c[0]) })},
		{name: "pap.identifier", typ: filter.Uint, bits: 8, desc: "Identifier, which matches a reply to its request", example: "pap.identifier == 1",
			get: papHeader(2, func(c []byte) uint64 { return uint64(c[1]) })},
		{name: "pap.length", typ: filter.Uint, bits: 16, desc: "Length of the packet, code to end of its data", example: "pap.length > 4",
			get: papHeader(4, func(c []byte) uint64 { return uint64(be16(c[2:])) })},
		{name: "pap.data", typ: filter.None, desc: "The data after the header (present when there is any)", example: "pap.data",
			get: papGet(func(m *papMsg, dst []filter.Value) []filter.Value {
				if m.data {
					dst = u(dst, 0)
				}
				return dst
			})},
		{name: "pap.peer_id.length", typ: filter.Uint, bits: 8, desc: "Length of the peer ID", example: "pap.peer_id.length > 0",
			get: papGet(func(m *papMsg, dst []filter.Value) []filter.Value { return papLen(m.peerLen, dst) })},
		{name: "pap.peer_id", typ: filter.String, desc: "Peer ID: the user name an Authenticate-Request gives", example: `pap.peer_id == "user"`,
			get: papGet(func(m *papMsg, dst []filter.Value) []filter.Value { return papStr(m.peerLen, m.peer, dst) })},
		{name: "pap.password.length", typ: filter.Uint, bits: 8, desc: "Length of the password", example: "pap.password.length > 0",
			get: papGet(func(m *papMsg, dst []filter.Value) []filter.Value { return papLen(m.passLen, dst) })},
		{name: "pap.password", typ: filter.String, desc: "Password, in clear text", example: `pap.password == "secret"`,
			get: papGet(func(m *papMsg, dst []filter.Value) []filter.Value { return papStr(m.passLen, m.pass, dst) })},
		{name: "pap.message.length", typ: filter.Uint, bits: 8, desc: "Length of the message", example: "pap.message.length > 0",
			get: papGet(func(m *papMsg, dst []filter.Value) []filter.Value { return papLen(m.msgLen, dst) })},
		{name: "pap.message", typ: filter.String, desc: "Message of an Authenticate-Ack or -Nak", example: `pap.message contains "ok"`,
			get: papGet(func(m *papMsg, dst []filter.Value) []filter.Value { return papStr(m.msgLen, m.msg, dst) })},
		{name: "pap.stuff", typ: filter.Bytes, desc: "The data of an unknown code", example: "pap.stuff",
			get: papGet(func(m *papMsg, dst []filter.Value) []filter.Value {
				if len(m.stuff) > 0 {
					dst = append(dst, filter.Value{B: m.stuff})
				}
				return dst
			})},
	},
}

var papCodeNames = [...]string{1: "Authenticate-Request", 2: "Authenticate-Ack", 3: "Authenticate-Nak"}

// papMsg is a PAP packet's data as Wireshark reads it: lengths are -1 when
// absent; a value is nil when its length is 0 or the value is cut.
type papMsg struct {
	data                     bool
	peerLen, passLen, msgLen int
	peer, pass, msg          []byte
	stuff                    []byte
	cut                      bool // a value runs past the frame
}

// papParse reads the data of the PAP packet c (its header is there).
func papParse(c []byte) papMsg {
	m := papMsg{peerLen: -1, passLen: -1, msgLen: -1}
	b := c[4:]
	// field reads a length byte and its value from b.
	field := func(n *int, v *[]byte) bool {
		if len(b) < 1 {
			m.cut = true
			return false
		}
		*n = int(b[0])
		b = b[1:]
		if *n > len(b) {
			m.cut = true
			return false
		}
		*v, b = b[:*n], b[*n:]
		return true
	}
	if m.data = len(b) > 0; !m.data {
		return m
	}
	switch c[0] {
	case 1:
		if field(&m.peerLen, &m.peer) {
			field(&m.passLen, &m.pass)
		}
	case 2, 3:
		field(&m.msgLen, &m.msg)
	default:
		m.stuff = b
	}
	return m
}

// papCut reports whether the PAP packet c is cut short (decodePPP).
func papCut(c []byte) bool { return len(c) < 4 || papParse(c).cut }

// papHeader reads the header field that ends at byte end (the code, the
// identifier, the length): Wireshark shows those the frame has.
func papHeader(end int, v func(c []byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if c := p.ppp.cp; len(c) >= end && p.ppp.proto == 0xc023 {
			dst = u(dst, v(c))
		}
		return dst
	}
}

func papGet(get func(m *papMsg, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if c := p.ppp.cp; len(c) >= 4 && p.ppp.proto == 0xc023 {
			m := papParse(c)
			dst = get(&m, dst)
		}
		return dst
	}
}

func papLen(n int, dst []filter.Value) []filter.Value {
	if n >= 0 {
		dst = u(dst, uint64(n))
	}
	return dst
}

func papStr(n int, v []byte, dst []filter.Value) []filter.Value {
	if n > 0 && v != nil {
		dst = append(dst, filter.Value{B: v})
	}
	return dst
}

// cutMark is Wireshark's note on a dissection that ran past the bytes
// there: cut by the capture's snapshot length, or shorter than it says.
func (p *Packet) cutMark() string {
	if p.CapLen < p.Len {
		return "[Packet size limited during capture]"
	}
	return "[Malformed Packet]"
}
