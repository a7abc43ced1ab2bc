package capture

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/words"
)

// SIP (UDP and TCP port 5060, and any port whose first line is a SIP request
// or status line), as Wireshark's sip dissector shows it: the start line,
// the headers a VoIP lab filters on (long and compact names), the URIs of
// the request, From, To and Contact taken apart, and over UDP the pairing
// Wireshark does: a response names its request (sip.response-request, its
// time in whole milliseconds), an ACK its INVITE, and a request or final
// response sent again is a resend. One message a segment: a message split
// over TCP segments is not reassembled. An application/sdp body is SDP
// (sdpProto).

// sipMsg is a SIP message, its parts slices of the payload.
type sipMsg struct {
	line        []byte // the start line, without its line end
	method, uri []byte // a request's
	code        uint64 // a response's
	reason      []byte
	rest        []byte // everything after the start line (sip.msg_hdr)
	hdrs        []sipHeader
	body        []byte
	cseq        uint64
	cseqMethod  []byte
	hasCSeq     bool
	callID      []byte
	contacts    int  // Contact URIs (a REGISTER's bindings)
	expires0    bool // Expires: 0
	ctype       []byte
	// Over UDP, what the transaction tracking found (0: nothing).
	resendOf  int
	request   int    // a response's request, an ACK's INVITE
	respTime  uint32 // milliseconds since it
	isRelease bool   // a response to BYE: sip.release-time
}

// sipHeader is one header line: its long name (canonical case) and value.
type sipHeader struct {
	name  string
	value []byte
}

// sipCompact maps the compact header names (RFC 3261 and extensions) to the
// long ones.
var sipCompact = map[byte]string{'a': "Accept-Contact", 'b': "Referred-By", 'c': "Content-Type", 'd': "Request-Disposition",
	'e': "Content-Encoding", 'f': "From", 'i': "Call-ID", 'j': "Reject-Contact", 'k': "Supported", 'l': "Content-Length",
	'm': "Contact", 'n': "Identity-Info", 'o': "Event", 'r': "Refer-To", 's': "Subject", 't': "To", 'u': "Allow-Events",
	'v': "Via", 'x': "Session-Expires", 'y': "Identity"}

// sipHeaderNames are the headers with a field of their own, by lower-case
// name: the field names Wireshark gives them.
var sipHeaderNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"Accept", "Allow", "Authorization", "Call-ID", "Contact", "Content-Length", "Content-Type", "CSeq",
		"Expires", "From", "Max-Forwards", "Proxy-Authenticate", "Proxy-Authorization", "Server", "Subject", "To", "User-Agent",
		"Via", "WWW-Authenticate", "Supported", "Event", "Date", "Route", "Record-Route", "Organization", "Reason"} {
		m[strings.ToLower(n)] = n
	}
	return m
}()

// sipMethods are the request methods Wireshark knows (its heuristic takes
// no others).
var sipMethods = []string{"ACK", "BYE", "CANCEL", "DO", "INFO", "INVITE", "MESSAGE", "NOTIFY", "OPTIONS", "PRACK", "QAUTH",
	"REFER", "REGISTER", "SPRACK", "SUBSCRIBE", "UPDATE", "PUBLISH"}

// parseSIP reads a message whose first line is a SIP request or status
// line; nil when it is not SIP.
func parseSIP(b []byte) *sipMsg {
	line, rest := nextLine(b, false)
	if bytes.IndexByte(line, 0) >= 0 {
		return nil // tshark 4.0: a NUL in the start line is not SIP (one in a header is)
	}
	f1, r1, ok1 := bytes.Cut(line, []byte(" "))
	f2, f3, ok2 := bytes.Cut(r1, []byte(" "))
	if !ok1 || !ok2 || len(f1) == 0 {
		return nil
	}
	var m *sipMsg // allocated once the start line is SIP's: heuristics try every payload
	switch {
	case len(f1) >= 4 && asciiEqualFold(f1[:4], "sip/"):
		if len(f2) != 3 || !isDigits(f2) {
			return nil
		}
		m = &sipMsg{line: line, rest: rest, reason: f3}
		m.code, _ = parseDec(f2)
	case len(f3) >= 4 && asciiEqualFold(f3[:4], "sip/") && len(f2) > 1 && bytes.IndexByte(f2[1:], ':') >= 0:
		m = &sipMsg{line: line, rest: rest, method: f1, uri: f2}
	default:
		return nil
	}
	for len(rest) > 0 {
		var l []byte
		l, rest = nextLine(rest, false)
		if len(l) == 0 {
			break
		}
		for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') { // folded
			var more []byte
			more, rest = nextLine(rest, false)
			l = append(append(append([]byte(nil), l...), ' '), bytes.TrimLeft(more, " \t")...)
		}
		name, val, ok := bytes.Cut(l, []byte(":"))
		if !ok {
			continue
		}
		name = bytes.TrimSpace(name)
		val = bytes.TrimLeft(val, " \t")
		long := ""
		if len(name) == 1 {
			long = sipCompact[bytes.ToLower(name)[0]]
		}
		if long == "" {
			long = sipHeaderNames[string(bytes.ToLower(name))]
		}
		if long == "" {
			continue
		}
		m.hdrs = append(m.hdrs, sipHeader{long, val})
		switch long {
		case "CSeq":
			if n, ok := parseDec(leadingDigits(val)); ok {
				m.cseq, m.hasCSeq = n, true
			}
			i := 0
			for i < len(val) && !isAlpha(val[i]) {
				i++
			}
			m.cseqMethod = val[i:]
		case "Call-ID":
			m.callID = val
		case "Contact":
			if len(val) > 0 && val[0] != '*' {
				m.contacts += len(sipURIs(val))
			}
		case "Expires":
			m.expires0 = string(val) == "0"
		case "Content-Type":
			m.ctype = val
		}
	}
	m.body = rest
	if n, ok := m.header("Content-Length"); ok {
		if cl, ok := parseDec(n); ok && cl < uint64(len(m.body)) {
			m.body = m.body[:cl]
		}
	}
	return m
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func leadingDigits(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return b[:i]
}

// header is the first value of the named (long-name) header.
func (m *sipMsg) header(name string) ([]byte, bool) {
	for _, h := range m.hdrs {
		if h.name == name {
			return h.value, true
		}
	}
	return nil, false
}

// looksLikeSIP is Wireshark's heuristic: a status line, or a request line of
// a known method.
func looksLikeSIP(b []byte, _ bool) bool {
	m := parseSIP(b)
	if m == nil {
		return false
	}
	if m.method == nil {
		return true
	}
	for _, k := range sipMethods {
		if string(m.method) == k {
			return true
		}
	}
	return false
}

var sipProto = protocol{
	name: "sip", title: "SIP", desc: "Session Initiation Protocol (VoIP signalling: UDP or TCP 5060, or a SIP start line on any port)", example: "sip",
	strEnc:   encUTF8, // valid UTF-8 kept, each maximal invalid subpart U+FFFD
	tcpPorts: []uint16{5060}, udpPorts: []uint16{5060},
	heuristic: looksLikeSIP,
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		m := parseSIP(s.payload)
		if m == nil {
			return rejected
		}
		if !s.tcp {
			src, dst := p.endpoints()
			d.streams.sipTrack(p, m, sipKey{src: src, dst: dst, sport: s.sport, dport: s.dport, callID: string(m.callID)})
		}
		p.sip = m
		if bytes.EqualFold(bytes.TrimSpace(m.ctype), []byte("application/sdp")) && len(m.body) > 0 {
			p.has |= sdpProto.bit
		}
		return taken
	},
	info: func(p *Packet) (string, string) {
		m := p.sip
		col := "SIP"
		if p.has&sdpProto.bit != 0 {
			col = "SIP/SDP"
		}
		var b []byte
		if m.method != nil {
			b = append(append(append(append([]byte("Request: "), m.method...), ' '), m.uri...), sipBindings(m)...)
		} else {
			b = append(append(append([]byte("Status: "), strconv.FormatUint(m.code, 10)...), ' '), m.reason...)
			if m.code >= 200 && m.code < 300 && m.hasCSeq {
				b = append(append(append(b, " ("...), m.cseqMethod...), ')')
				if string(m.cseqMethod) == "REGISTER" {
					b = append(b, "  ("+strconv.Itoa(m.contacts)+" binding"+words.Plural(m.contacts, "", "s")+")"...)
				}
			}
		}
		return col, string(append(b, " | "...))
	},
	fields: []field{
		{name: "sip.Request-Line", typ: filter.String, desc: "A request's start line (method, Request-URI, version)", example: `sip.Request-Line contains "INVITE"`,
			get: sipText(func(m *sipMsg) []byte {
				if m.method != nil {
					return m.line
				}
				return nil
			})},
		{name: "sip.Method", typ: filter.String, desc: "A request's method: INVITE, ACK, BYE, REGISTER, OPTIONS, CANCEL ...", example: `sip.Method == "INVITE"`,
			get: sipText(func(m *sipMsg) []byte { return m.method })},
		{name: "sip.r-uri", typ: filter.String, desc: "A request's Request-URI", example: `sip.r-uri contains "bob"`,
			get: sipText(func(m *sipMsg) []byte { return m.uri })},
		{name: "sip.r-uri.user", typ: filter.String, desc: "The Request-URI's user part", example: `sip.r-uri.user == "bob"`,
			get: sipText(func(m *sipMsg) []byte { return parseSIPURI(m.uri).user })},
		{name: "sip.r-uri.host", typ: filter.String, desc: "The Request-URI's host part", example: `sip.r-uri.host == "lab.example"`,
			get: sipText(func(m *sipMsg) []byte { return parseSIPURI(m.uri).host })},
		{name: "sip.r-uri.port", typ: filter.String, desc: "The Request-URI's port, when it names one", example: `sip.r-uri.port == "5060"`,
			get: sipText(func(m *sipMsg) []byte { return parseSIPURI(m.uri).port })},
		{name: "sip.Status-Line", typ: filter.String, desc: "A response's start line (version, code, reason)", example: `sip.Status-Line contains "Busy"`,
			get: sipText(func(m *sipMsg) []byte {
				if m.method == nil {
					return m.line
				}
				return nil
			})},
		{name: "sip.Status-Code", typ: filter.Uint, bits: 32, desc: "A response's status code: 100 Trying, 180 Ringing, 200 OK, 401 Unauthorized, 486 Busy Here ...", example: "sip.Status-Code >= 400",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if m := p.sip; m != nil && m.method == nil {
					dst = u(dst, m.code)
				}
				return dst
			}},
		{name: "sip.msg_hdr", typ: filter.String, desc: "Everything after the start line: the headers (and the body)", example: `sip.msg_hdr contains "Digest"`,
			get: sipText(func(m *sipMsg) []byte { return m.rest })},
		{name: "sip.resend", typ: filter.Bool, desc: "Over UDP, a request or final response sent again (1), else 0", example: "sip.resend == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.sip == nil {
					return dst
				}
				if p.sip.resendOf > 0 {
					return u(dst, 1)
				}
				return u(dst, 0)
			}},
		{name: "sip.resend-original", typ: filter.Uint, bits: 32, desc: "On a resend, the frame of the original", example: "sip.resend-original",
			get: sipUint(func(m *sipMsg) (uint64, bool) { return uint64(m.resendOf), m.resendOf > 0 })},
		{name: "sip.response-request", typ: filter.Uint, bits: 32, desc: "Over UDP, on a response the frame of its request; on an ACK, of its INVITE", example: "sip.response-request",
			get: sipUint(func(m *sipMsg) (uint64, bool) { return uint64(m.request), m.request > 0 })},
		{name: "sip.response-time", typ: filter.Uint, bits: 32, desc: "With sip.response-request: the milliseconds since that request", example: "sip.response-time > 500",
			get: sipUint(func(m *sipMsg) (uint64, bool) { return uint64(m.respTime), m.request > 0 })},
		{name: "sip.release-time", typ: filter.Uint, bits: 32, desc: "On a response to BYE: the milliseconds since the BYE (the call's release)", example: "sip.release-time",
			get: sipUint(func(m *sipMsg) (uint64, bool) { return uint64(m.respTime), m.request > 0 && m.isRelease })},
		{name: "sip.From", typ: filter.String, desc: "From header", example: `sip.From contains "alice"`, get: sipHeaderField("From")},
		{name: "sip.from.addr", typ: filter.String, desc: "The From header's URI", example: `sip.from.addr == "sip:alice@lab.example"`, get: sipURIField("From", sipURIAddr)},
		{name: "sip.from.user", typ: filter.String, desc: "The From URI's user part", example: `sip.from.user == "alice"`, get: sipURIField("From", sipURIUser)},
		{name: "sip.from.host", typ: filter.String, desc: "The From URI's host part", example: `sip.from.host == "lab.example"`, get: sipURIField("From", sipURIHost)},
		{name: "sip.from.tag", typ: filter.String, desc: "The From header's tag", example: `sip.from.tag`, get: sipTag("From")},
		{name: "sip.To", typ: filter.String, desc: "To header", example: `sip.To contains "bob"`, get: sipHeaderField("To")},
		{name: "sip.to.addr", typ: filter.String, desc: "The To header's URI", example: `sip.to.addr contains "bob"`, get: sipURIField("To", sipURIAddr)},
		{name: "sip.to.user", typ: filter.String, desc: "The To URI's user part", example: `sip.to.user == "bob"`, get: sipURIField("To", sipURIUser)},
		{name: "sip.to.host", typ: filter.String, desc: "The To URI's host part", example: `sip.to.host == "lab.example"`, get: sipURIField("To", sipURIHost)},
		{name: "sip.to.tag", typ: filter.String, desc: "The To header's tag (a dialog's: the callee's answer has one)", example: `sip.to.tag`, get: sipTag("To")},
		{name: "sip.tag", typ: filter.String, desc: "The From and To tags, in header order", example: `sip.tag == "1928301774"`, get: sipTag("")},
		{name: "sip.Call-ID", typ: filter.String, desc: "Call-ID header: one call (dialog) across its messages", example: `sip.Call-ID contains "a84b"`, get: sipHeaderField("Call-ID")},
		{name: "sip.CSeq", typ: filter.String, desc: "CSeq header: sequence number and method", example: `sip.CSeq contains "INVITE"`, get: sipHeaderField("CSeq")},
		{name: "sip.CSeq.seq", typ: filter.Uint, bits: 32, desc: "The CSeq number", example: "sip.CSeq.seq == 1",
			get: sipUint(func(m *sipMsg) (uint64, bool) { return m.cseq, m.hasCSeq })},
		{name: "sip.CSeq.method", typ: filter.String, desc: "The CSeq method: the request a response answers", example: `sip.CSeq.method == "INVITE"`,
			get: sipText(func(m *sipMsg) []byte {
				if _, ok := m.header("CSeq"); ok && len(m.cseqMethod) > 0 {
					return m.cseqMethod
				}
				return nil
			})},
		{name: "sip.Via", typ: filter.String, desc: "Via header (one occurrence each hop)", example: `sip.Via contains "UDP"`, get: sipHeaderField("Via")},
		{name: "sip.Via.transport", typ: filter.String, desc: "A Via header's transport: UDP, TCP, TLS", example: `sip.Via.transport == "TCP"`, get: sipVia(0)},
		{name: "sip.Via.sent-by.address", typ: filter.String, desc: "A Via header's sent-by host", example: `sip.Via.sent-by.address == "10.0.0.10"`, get: sipVia(1)},
		{name: "sip.Via.sent-by.port", typ: filter.Uint, bits: 16, desc: "A Via header's sent-by port", example: "sip.Via.sent-by.port == 5060", get: sipVia(2)},
		{name: "sip.Via.branch", typ: filter.String, desc: "A Via header's branch parameter (the transaction)", example: `sip.Via.branch contains "z9hG4bK"`, get: sipVia(3)},
		{name: "sip.Contact", typ: filter.String, desc: "Contact header", example: `sip.Contact contains "10.0.0.10"`, get: sipHeaderField("Contact")},
		{name: "sip.contact.uri", typ: filter.String, desc: "Each Contact URI", example: `sip.contact.uri contains "alice"`, get: sipContact(sipURIAddr)},
		{name: "sip.contact.user", typ: filter.String, desc: "Each Contact URI's user part", example: `sip.contact.user == "alice"`, get: sipContact(sipURIUser)},
		{name: "sip.contact.host", typ: filter.String, desc: "Each Contact URI's host part", example: `sip.contact.host == "10.0.0.10"`, get: sipContact(sipURIHost)},
		{name: "sip.Max-Forwards", typ: filter.Uint, bits: 32, desc: "Max-Forwards header", example: "sip.Max-Forwards < 70", get: sipHeaderUint("Max-Forwards")},
		{name: "sip.Expires", typ: filter.Uint, bits: 32, desc: "Expires header (a REGISTER's binding lifetime, seconds)", example: "sip.Expires == 0", get: sipHeaderUint("Expires")},
		{name: "sip.Content-Length", typ: filter.Uint, bits: 32, desc: "Content-Length header", example: "sip.Content-Length > 0", get: sipHeaderUint("Content-Length")},
		{name: "sip.Content-Type", typ: filter.String, desc: "Content-Type header", example: `sip.Content-Type == "application/sdp"`, get: sipHeaderField("Content-Type")},
		{name: "sip.User-Agent", typ: filter.String, desc: "User-Agent header", example: `sip.User-Agent contains "phone"`, get: sipHeaderField("User-Agent")},
		{name: "sip.Server", typ: filter.String, desc: "Server header", example: `sip.Server contains "pbx"`, get: sipHeaderField("Server")},
		{name: "sip.Allow", typ: filter.String, desc: "Allow header", example: `sip.Allow contains "INVITE"`, get: sipHeaderField("Allow")},
		{name: "sip.Accept", typ: filter.String, desc: "Accept header", example: `sip.Accept contains "sdp"`, get: sipHeaderField("Accept")},
		{name: "sip.Subject", typ: filter.String, desc: "Subject header", example: `sip.Subject contains "lab"`, get: sipHeaderField("Subject")},
		{name: "sip.Authorization", typ: filter.String, desc: "Authorization header (Digest credentials)", example: `sip.Authorization contains "Digest"`, get: sipHeaderField("Authorization")},
		{name: "sip.WWW-Authenticate", typ: filter.String, desc: "WWW-Authenticate header (a 401's Digest challenge)", example: `sip.WWW-Authenticate contains "realm"`, get: sipHeaderField("WWW-Authenticate")},
		{name: "sip.Proxy-Authenticate", typ: filter.String, desc: "Proxy-Authenticate header (a 407's challenge)", example: `sip.Proxy-Authenticate`, get: sipHeaderField("Proxy-Authenticate")},
	},
}

// sipBindings is what Info says of a REGISTER's bindings.
func sipBindings(m *sipMsg) string {
	if string(m.method) != "REGISTER" {
		return ""
	}
	switch {
	case m.contacts == 0 && m.expires0:
		return ""
	case m.contacts == 0:
		return "  (fetch bindings)"
	case m.expires0:
		return "  (remove " + strconv.Itoa(m.contacts) + " binding" + words.Plural(m.contacts, "", "s") + ")"
	}
	return "  (" + strconv.Itoa(m.contacts) + " binding" + words.Plural(m.contacts, "", "s") + ")"
}

func sipText(v func(m *sipMsg) []byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.sip != nil {
			if b := v(p.sip); b != nil {
				dst = append(dst, filter.Value{B: b})
			}
		}
		return dst
	}
}

func sipUint(v func(m *sipMsg) (uint64, bool)) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.sip != nil {
			if n, ok := v(p.sip); ok {
				dst = u(dst, n)
			}
		}
		return dst
	}
}

// sipHeaderField is every value of the named header.
func sipHeaderField(name string) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.sip != nil {
			for _, h := range p.sip.hdrs {
				if h.name == name {
					dst = append(dst, filter.Value{B: h.value})
				}
			}
		}
		return dst
	}
}

func sipHeaderUint(name string) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.sip != nil {
			for _, h := range p.sip.hdrs {
				if h.name == name {
					if n, ok := parseDec(leadingDigits(h.value)); ok && n <= 0xffffffff {
						dst = u(dst, n)
					}
				}
			}
		}
		return dst
	}
}

// sipURI is a SIP URI taken apart.
type sipURI struct{ addr, user, host, port []byte }

const (
	sipURIAddr = iota
	sipURIUser
	sipURIHost
)

func (x sipURI) part(which int) []byte {
	switch which {
	case sipURIUser:
		return x.user
	case sipURIHost:
		return x.host
	}
	return x.addr
}

// parseSIPURI splits "sip:user@host:port;params" (nil parts when absent).
func parseSIPURI(uri []byte) sipURI {
	x := sipURI{addr: uri}
	_, rest, ok := bytes.Cut(uri, []byte(":"))
	if !ok {
		return sipURI{}
	}
	if i := bytes.IndexAny(rest, ";?>"); i >= 0 {
		rest = rest[:i]
	}
	if at := bytes.LastIndexByte(rest, '@'); at >= 0 {
		x.user, rest = rest[:at], rest[at+1:] // with its password, as Wireshark shows it
	}
	x.host = rest
	if len(rest) > 0 && rest[0] == '[' {
		if i := bytes.IndexByte(rest, ']'); i >= 0 {
			x.host = rest[:i+1]
			if len(rest) > i+2 && rest[i+1] == ':' {
				x.port = rest[i+2:]
			}
		}
	} else if i := bytes.IndexByte(rest, ':'); i >= 0 {
		x.host, x.port = rest[:i], rest[i+1:]
	}
	return x
}

// sipURIs are the URIs of a name-addr or addr-spec list (To, From, Contact):
// the part inside <>, else up to the parameters.
func sipURIs(v []byte) [][]byte {
	var out [][]byte
	for len(v) > 0 {
		v = bytes.TrimLeft(v, " \t,")
		if len(v) == 0 {
			break
		}
		var uri []byte
		if lt := bytes.IndexByte(v, '<'); lt >= 0 && (bytes.IndexByte(v, ',') < 0 || lt < bytes.IndexByte(v, ',')) {
			gt := bytes.IndexByte(v[lt:], '>')
			if gt < 0 {
				break
			}
			uri, v = v[lt+1:lt+gt], v[lt+gt+1:]
		} else {
			end := bytes.IndexAny(v, ";, ")
			if end < 0 {
				end = len(v)
			}
			uri, v = v[:end], v[end:]
		}
		out = append(out, uri)
		if i := bytes.IndexByte(v, ','); i >= 0 {
			v = v[i+1:]
		} else {
			break
		}
	}
	return out
}

// sipURIField is a part of the first URI of the named header.
func sipURIField(name string, which int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.sip == nil {
			return dst
		}
		v, ok := p.sip.header(name)
		if !ok {
			return dst
		}
		if uris := sipURIs(v); len(uris) > 0 {
			if b := parseSIPURI(uris[0]).part(which); b != nil {
				dst = append(dst, filter.Value{B: b})
			}
		}
		return dst
	}
}

// sipContact is a part of every Contact URI.
func sipContact(which int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.sip == nil {
			return dst
		}
		for _, h := range p.sip.hdrs {
			if h.name != "Contact" || len(h.value) == 0 || h.value[0] == '*' {
				continue
			}
			for _, uri := range sipURIs(h.value) {
				if b := parseSIPURI(uri).part(which); b != nil {
					dst = append(dst, filter.Value{B: b})
				}
			}
		}
		return dst
	}
}

// sipTag is the tag parameter of the From or To header ("": both, in header
// order).
func sipTag(name string) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.sip == nil {
			return dst
		}
		for _, h := range p.sip.hdrs {
			if (name == "" && (h.name == "From" || h.name == "To")) || h.name == name {
				v := h.value
				if gt := bytes.IndexByte(v, '>'); gt >= 0 {
					v = v[gt+1:]
				}
				if i := bytes.Index(v, []byte("tag=")); i >= 0 {
					t := v[i+4:]
					if j := bytes.IndexByte(t, ';'); j >= 0 {
						t = t[:j]
					}
					dst = append(dst, filter.Value{B: t})
				}
				if name != "" {
					break
				}
			}
		}
		return dst
	}
}

// sipVia is a part of every Via header: 0 transport, 1 sent-by host, 2 its
// port, 3 branch.
func sipVia(which int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.sip == nil {
			return dst
		}
		for _, h := range p.sip.hdrs {
			if h.name != "Via" {
				continue
			}
			proto, rest, ok := bytes.Cut(h.value, []byte(" "))
			if !ok {
				continue
			}
			sentBy, params, _ := bytes.Cut(bytes.TrimLeft(rest, " "), []byte(";"))
			host, port, hasPort := bytes.Cut(bytes.TrimSpace(sentBy), []byte(":"))
			switch which {
			case 0:
				if i := bytes.LastIndexByte(proto, '/'); i >= 0 {
					dst = append(dst, filter.Value{B: proto[i+1:]})
				}
			case 1:
				dst = append(dst, filter.Value{B: host})
			case 2:
				if n, ok := parseDec(port); hasPort && ok && n <= 0xffff {
					dst = u(dst, n)
				}
			case 3:
				for _, prm := range bytes.Split(params, []byte(";")) {
					if k, v, ok := bytes.Cut(bytes.TrimSpace(prm), []byte("=")); ok && asciiEqualFold(k, "branch") {
						dst = append(dst, filter.Value{B: v})
					}
				}
			}
		}
		return dst
	}
}

// sipKey finds a direction's SIP transactions over UDP, as Wireshark's
// sip_hash does: the call, the addresses and ports.
type sipKey struct {
	callID       string
	src, dst     [16]byte
	sport, dport uint16
}

// sipDir is a direction's latest transaction of a call.
type sipDir struct {
	cseq     uint64
	method   string
	state    uint8 // sipNothing, sipRequest, sipProvisional, sipFinal
	frame    int
	respCode uint64
	reqTime  time.Time // zero: Wireshark's zero time, the epoch
}

const (
	sipNothing = iota
	sipRequest
	sipProvisional
	sipFinal
)

// sipTrack finds what Wireshark's transaction tracking shows of m: an ACK's
// INVITE, a response's request, a resend's original.
func (s *streams) sipTrack(p *Packet, m *sipMsg, k sipKey) {
	if !m.hasCSeq {
		return
	}
	if s.sip == nil || len(s.sip) >= maxSmallConns {
		s.sip = make(map[sipKey]*sipDir)
	}
	req := m.method != nil
	method := string(m.cseqMethod)
	if req && method == "ACK" {
		if v := s.sip[k]; v != nil {
			m.request, m.respTime = v.frame, sipMillis(p.Time, v.reqTime)
		}
	}
	// Is it a resend?
	v := s.sip[k]
	var cmp uint64
	if v != nil {
		cmp = v.cseq
		if m.cseq != v.cseq {
			v.cseq, v.method, v.state, v.frame = m.cseq, method, sipNothing, 0
			if req {
				v.reqTime = p.Time
			}
		}
	} else {
		v = &sipDir{cseq: m.cseq, method: method}
		if req {
			v.reqTime = p.Time
		}
		s.sip[k] = v
	}
	switch {
	case req && m.cseq == cmp && v.state == sipRequest && method == v.method && method != "ACK" && method != "CANCEL":
		m.resendOf = v.frame
	case !req && m.cseq == cmp && v.state == sipFinal && method == v.method && m.code >= 200 && m.code == v.respCode:
		m.resendOf = v.frame
	}
	switch {
	case req:
		v.state = sipRequest
		if m.resendOf == 0 {
			v.frame = p.Number
		}
	case m.code >= 200:
		v.respCode, v.state = m.code, sipFinal
		if m.resendOf == 0 {
			v.frame = p.Number
		}
	default:
		v.state = sipProvisional
	}
	if req {
		return
	}
	// A response: its request, sent the other way.
	r := s.sip[sipKey{callID: k.callID, src: k.dst, dst: k.src, sport: k.dport, dport: k.sport}]
	if r == nil {
		return
	}
	if m.cseq == r.cseq && r.state == sipRequest && method == r.method {
		m.request = r.frame
	}
	m.respTime = sipMillis(p.Time, r.reqTime)
	m.isRelease = method == "BYE"
}

// sipMillis is Wireshark's milliseconds from t0 to t: whole seconds times
// 1000 plus the nanoseconds' difference in whole milliseconds (a zero t0 is
// the epoch).
func sipMillis(t, t0 time.Time) uint32 {
	var s0, n0 int64
	if !t0.IsZero() {
		s0, n0 = t0.Unix(), int64(t0.Nanosecond())
	}
	return uint32((t.Unix()-s0)*1000 + (int64(t.Nanosecond())-n0)/1e6)
}
