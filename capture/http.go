package capture

import (
	"bytes"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// HTTP/1.x: request and status lines, the headers the registry names, and
// Content-Length or chunked bodies, reassembled per TCP stream direction. As in
// Wireshark, a message's fields belong to the segment that completes it; earlier
// segments are "[TCP segment of a reassembled PDU]".

type httpMsg struct {
	request              bool
	line                 []byte // request or status line
	method, uri, version []byte
	code                 uint64
	phrase               []byte
	host, ua, ctype      []byte
	server, location     []byte
	conn                 []byte
	clen                 uint64
	hasCL                bool
	body                 int
	untilClose           bool // a response whose body ends with the connection
	noBody               bool // a response to HEAD: no body, whatever the headers say
	// notification: a NOTIFY (SSDP, GENA), which Wireshark reads as a
	// notification, not a request: no http.request.
	notification          bool
	cookie, auth, referer []byte
	headers               []byte // the header lines after the start line, each with its line end
	bodyBytes             []byte // the body as sent (chunked or not), nil when none
	chunked, encoded      bool   // Transfer-Encoding chunked; Content-Encoding given
	// A response's request, from the same conversation (0: none seen).
	reqFrame int
	reqTime  time.Duration // the response's time after it
	reqURI   string
	// The entry before its own in Wireshark's list of pairs: its request's
	// and response's frames (0: none).
	prev httpPair
}

// httpReq is a request a direction is still to answer: what its response
// shows of it.
type httpReq struct {
	frame int
	at    time.Duration
	uri   string
}

type httpInfo struct {
	msgs  []httpMsg
	first []byte // start line of a message still being reassembled
}

// httpDir is one direction's reassembly state.
type httpDir struct {
	buf        []byte
	pending    bool
	untilClose bool // the buffered message ends with this direction's FIN
	// The requests this direction is to answer, oldest first: bit i of heads
	// is set when the i-th was a HEAD (its response has no body).
	reqs  uint8
	heads uint64
	queue []httpReq // the requests to answer, oldest first (at most 64)
	// more is allocated with the direction's first message (every TCP
	// direction has an httpDir: TestConnectionStateIsBounded).
	more *httpMore
}

// httpMore is the part of a direction's HTTP state only HTTP directions
// carry.
type httpMore struct {
	// pairs are the last two entries of Wireshark's list of request/response
	// pairs, kept in the direction that sends the requests
	// (http.prev_request_in, http.prev_response_in).
	pairs [2]httpPair
	// segs are the segments of the message buffered, in order (tcp.segment).
	segs []tcpSegRef
}

// tcpSegRef is a segment's share of a reassembled message: its frame and
// how many of its bytes the message holds.
type tcpSegRef struct{ frame, n int }

func (h *httpDir) extra() *httpMore {
	if h.more == nil {
		h.more = new(httpMore)
	}
	return h.more
}

// pushPair is h's list's pushPair.
func (h *httpDir) pushPair(req bool, frame int) httpPair { return h.extra().pushPair(req, frame) }

// httpPair is an entry of that list: a request's frame and its response's,
// as Wireshark pairs them (a request always starts an entry; a response
// completes the latest one, or starts one when that one has its response).
type httpPair struct{ req, res int }

// pushPair adds a request's (req) or a response's frame to the list and
// returns the entry before the message's.
func (x *httpMore) pushPair(req bool, frame int) httpPair {
	last := &x.pairs[1]
	switch {
	case !req && (last.req != 0 || last.res != 0) && last.res == 0:
		last.res = frame
	case req:
		x.pairs[0], x.pairs[1] = x.pairs[1], httpPair{req: frame}
	default:
		x.pairs[0], x.pairs[1] = x.pairs[1], httpPair{res: frame}
	}
	return x.pairs[0]
}

// bufferSegs records that the buffer now holds n bytes of this frame's:
// after the bytes it held (more), or as its start.
func (h *httpDir) bufferSegs(frame, n int, more bool) {
	x := h.extra()
	if !more {
		x.segs = x.segs[:0]
	}
	if len(x.segs) < maxReasmSegs {
		x.segs = append(x.segs, tcpSegRef{frame, n})
	}
}

// maxReasmSegs bounds the segments a message records (tshark lists every
// one; a message of 1 MiB in 1448-byte segments has 725).
const maxReasmSegs = 1024

func (h *httpDir) reset() { h.buf, h.pending, h.untilClose = h.buf[:0], false, false }

var httpProto = protocol{
	name: "http", title: "HTTP", desc: "Hypertext Transfer Protocol/1.x (reported on the segment that completes the message)", example: "http", bit: pHTTP,
	strEnc: encASCII, // tvb_get_string_enc(..., ENC_ASCII): each byte 0x80-0xff is U+FFFD
	// Wireshark's default HTTP TCP ports; on any other port the heuristic.
	tcpPorts:  []uint16{80, 631, 3128, 3132, 3689, 5985, 8080, 8088, 11371, 1900, 2869, 2710},
	heuristic: func(b []byte, tcp bool) bool { return tcp && looksLikeHTTP(b) },
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		var rev *httpDir
		if s.rev != nil {
			rev = &s.rev.http
		}
		if s.dir == nil || !d.httpSegment(p, &s.dir.http, rev, s.byPort) {
			return rejected
		}
		if s.dir.http.pending {
			if p.has&pHTTP != 0 {
				return takenMore
			}
			return pending
		}
		return taken
	},
	flush: func(d *Decoder, p *Packet, dir *tcpDir) { d.httpClose(p, &dir.http) },
	reset: func(d *Decoder, dir *tcpDir) {
		d.reasmBytes -= len(dir.http.buf)
		dir.http.reset()
	},
	info: httpColumns,
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "http")
		switch h := p.has; {
		case h&pText != 0:
			b = appendProto(b, "data-text-lines")
		case h&pForm != 0:
			b = appendProto(b, "urlencoded-form")
		case h&pJSON != 0:
			b = appendProto(b, "json")
		case h&pXML != 0:
			b = appendProto(b, "xml")
		case h&pMedia != 0:
			b = appendProto(b, "media")
		}
		return b
	},
	fields: []field{
		{name: "http.request", typ: filter.None, desc: "The frame carries an HTTP request", example: "http.request",
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if m.request && !m.notification {
					dst = u(dst, 0)
				}
				return dst
			})},
		{name: "http.response", typ: filter.None, desc: "The frame carries an HTTP response", example: "http.response",
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if !m.request {
					dst = u(dst, 0)
				}
				return dst
			})},
		{name: "http.request.method", typ: filter.String, desc: "Request method", example: `http.request.method == "GET"`,
			get: httpText(true, false, func(m *httpMsg) []byte { return m.method })},
		{name: "http.request.uri", typ: filter.String, desc: "Request target as sent", example: `http.request.uri == "/"`,
			get: httpText(true, false, func(m *httpMsg) []byte { return m.uri })},
		{name: "http.request.version", typ: filter.String, desc: "Request HTTP version", example: `http.request.version == "HTTP/1.1"`,
			get: httpText(true, false, func(m *httpMsg) []byte { return m.version })},
		{name: "http.host", typ: filter.String, desc: "Host header", example: `http.host == "www.example.com"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.host })},
		{name: "http.user_agent", typ: filter.String, desc: "User-Agent header", example: `http.user_agent contains "curl"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.ua })},
		{name: "http.response.version", typ: filter.String, desc: "Response HTTP version", example: `http.response.version == "HTTP/1.0"`,
			get: httpText(false, true, func(m *httpMsg) []byte { return m.version })},
		{name: "http.response.code", typ: filter.Uint, bits: 16, desc: "Response status code", example: "http.response.code == 200",
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if !m.request {
					dst = u(dst, m.code)
				}
				return dst
			})},
		{name: "http.response.phrase", typ: filter.String, desc: "Response reason phrase", example: `http.response.phrase == "OK"`,
			get: httpText(false, true, func(m *httpMsg) []byte { return m.phrase })},
		{name: "http.content_length_header", typ: filter.String, desc: "Content-Length header as written (http.content_length is its number)", example: `http.content_length_header == "36"`,
			get: httpHeader("content-length")},
		{name: "http.chat", typ: filter.None, desc: "A request or status line (Wireshark's note on each, one occurrence a message)", example: "http.chat",
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if len(m.line) > 0 {
					dst = append(dst, filter.Value{})
				}
				return dst
			})},
		{name: "http.content_length", typ: filter.Uint, bits: 64, desc: "Content-Length header", example: "http.content_length > 0",
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if m.hasCL {
					dst = u(dst, m.clen)
				}
				return dst
			})},
		{name: "http.content_type", typ: filter.String, desc: "Content-Type header", example: `http.content_type contains "html"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.ctype })},
		{name: "http.server", typ: filter.String, desc: "Server header", example: `http.server contains "Python"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.server })},
		{name: "http.location", typ: filter.String, desc: "Location header", example: `http.location == "/login"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.location })},
		{name: "http.connection", typ: filter.String, desc: "Connection header", example: `http.connection == "close"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.conn })},
		{name: "http.set_cookie", typ: filter.String, desc: "Set-Cookie header of a response (one occurrence each)", example: `http.set_cookie contains "session"`,
			get: httpHeader("set-cookie")},
		{name: "http.transfer_encoding", typ: filter.String, desc: "Transfer-Encoding header", example: `http.transfer_encoding == "chunked"`,
			get: httpHeader("transfer-encoding")},
		{name: "http.prev_request_in", typ: filter.Uint, bits: 32, desc: "The frame of the conversation's request before this message's (Wireshark's pairing: a response belongs to the latest request)", example: "http.prev_request_in",
			get: httpPrev(func(m *httpMsg) int { return m.prev.req })},
		{name: "http.prev_response_in", typ: filter.Uint, bits: 32, desc: "On a response, the frame of the conversation's response before it", example: "http.prev_response_in",
			get: httpPrev(func(m *httpMsg) int {
				if m.request {
					return 0
				}
				return m.prev.res
			})},
		{name: "http.cookie", typ: filter.String, desc: "Cookie header", example: `http.cookie contains "session"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.cookie })},
		{name: "http.authorization", typ: filter.String, desc: "Authorization header (Basic credentials are readable: the lab on sniffing)", example: `http.authorization contains "Basic"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.auth })},
		{name: "http.referer", typ: filter.String, desc: "Referer header", example: `http.referer contains "example"`,
			get: httpText(true, true, func(m *httpMsg) []byte { return m.referer })},
		{name: "http.request.line", typ: filter.String, desc: "A header line of a request, with its line end (one occurrence each)", example: `http.request.line contains "Accept"`,
			get: httpLines(true)},
		{name: "http.response.line", typ: filter.String, desc: "A header line of a response, with its line end (one occurrence each)", example: `http.response.line contains "Server"`,
			get: httpLines(false)},
		{name: "http.request.full_uri", typ: filter.String, enc: encRaw, desc: "The request's URI with scheme and host: http://host/uri (absent without a Host header)", example: `http.request.full_uri == "http://www.example.com/"`,
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if m.request {
					if uri := fullURI(m); uri != nil {
						dst = append(dst, filter.Value{B: uri})
					}
				}
				return dst
			})},
		{name: "http.request_in", typ: filter.Uint, bits: 32, desc: "On a response, the frame of the request it answers", example: "http.request_in == 4",
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if !m.request && m.reqFrame > 0 {
					dst = u(dst, uint64(m.reqFrame))
				}
				return dst
			})},
		{name: "http.time", typ: filter.Float, desc: "On a response, the seconds since its request", example: "http.time > 1",
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if !m.request && m.reqFrame > 0 {
					dst = seconds(dst, int64(m.reqTime))
				}
				return dst
			})},
		{name: "http.response_for.uri", typ: filter.String, enc: encRaw, desc: "On a response, the full URI of the request it answers", example: `http.response_for.uri contains "/index"`,
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if !m.request && m.reqFrame > 0 {
					dst = append(dst, filter.Value{B: []byte(m.reqURI)})
				}
				return dst
			})},
		{name: "http.file_data", typ: filter.String, desc: "The message body (not decompressed: absent when a Content-Encoding is given)", example: `http.file_data contains "flag{"`,
			get: httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
				if len(m.bodyBytes) > 0 && !m.encoded {
					dst = append(dst, filter.Value{B: m.content()})
				}
				return dst
			})},
	},
}

// httpColumns is the Protocol and Info columns of a frame that carries HTTP.
func httpColumns(p *Packet) (string, string) {
	if p.has&pHTTPCont != 0 && len(p.http.msgs) == 0 {
		return "HTTP", "Continuation"
	}
	var b strings.Builder
	for i := range p.http.msgs {
		m := &p.http.msgs[i]
		b.Write(m.line)
		b.WriteByte(' ')
		if m.body > 0 && len(m.ctype) > 0 {
			// The media type as Wireshark keeps it: a C string (cut at a
			// NUL), lowered ASCII only, its other bytes as they came (so
			// tshark's Info holds bytes 0x80-0xff raw; ours goes through
			// format_text with the rest of the line).
			ct, _, _ := strings.Cut(string(m.ctype), ";")
			ct, _, _ = strings.Cut(ct, "\x00")
			low := []byte(strings.TrimSpace(ct))
			for i, c := range low {
				if c >= 'A' && c <= 'Z' {
					low[i] = c + 'a' - 'A'
				}
			}
			ct = string(low)
			switch bodyProto(m.ctype) {
			case pXML: // the XML dissector adds nothing to Info
			case pJSON:
				b.WriteString(", JavaScript Object Notation (" + ct + ")")
			default:
				b.WriteString(" (" + ct + ")")
			}
		}
	}
	switch {
	case p.has&pJSON != 0:
		return "HTTP/JSON", b.String()
	case p.has&pXML != 0:
		return "HTTP/XML", b.String()
	}
	return "HTTP", b.String()
}

var httpMethods = [...]string{"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "TRACE ", "CONNECT "}

// looksLikeHTTP reports whether b starts an HTTP/1.x message.
func looksLikeHTTP(b []byte) bool {
	if bytes.HasPrefix(b, []byte("HTTP/1.")) {
		return true
	}
	if len(b) < 4 || b[0] < 'A' || b[0] > 'Z' {
		return false
	}
	for _, m := range httpMethods {
		if len(b) >= len(m) && string(b[:len(m)]) == m {
			return true
		}
	}
	return false
}

// headerEnd returns the length of the header block including its blank line, or -1.
func headerEnd(b []byte) int {
	if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
		if j := bytes.Index(b[:i+2], []byte("\n\n")); j >= 0 {
			return j + 2
		}
		return i + 4
	}
	if j := bytes.Index(b, []byte("\n\n")); j >= 0 {
		return j + 2
	}
	return -1
}

// messageLength returns the length of the complete message at the start of b,
// or -1 if more bytes are needed; hdr is the header block's length (-1 if
// incomplete). With force the message is whatever b holds.
func messageLength(m *httpMsg, b []byte, force bool) (n, hdr int) {
	hdr = headerEnd(b)
	if hdr < 0 {
		if force {
			parseHeaders(m, b)
			return len(b), -1
		}
		return -1, -1
	}
	chunked := parseHeaders(m, b[:hdr])
	switch {
	case m.noBody && !m.request && m.code >= 200:
		// The answer to a HEAD request: headers only, whatever they announce.
		n = hdr
	case chunked:
		n = chunkedEnd(b, hdr)
	case m.hasCL:
		if m.clen > uint64(len(b)-hdr) {
			n = -1
		} else {
			n = hdr + int(m.clen)
		}
	case !m.request && !(m.code < 200 || m.code == 204 || m.code == 304):
		// The body ends when the server closes the connection.
		m.untilClose = true
		n = -1
	default:
		n = hdr
	}
	if n < 0 && force {
		n = len(b)
	}
	return n, hdr
}

// chunkedEnd returns where a chunked body starting at off ends, or -1.
func chunkedEnd(b []byte, off int) int {
	for {
		nl := bytes.IndexByte(b[off:], '\n')
		if nl < 0 {
			return -1
		}
		line := bytes.TrimSpace(b[off : off+nl])
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		size, ok := parseHex(line)
		if !ok {
			return len(b) // not chunked after all: stop here
		}
		off += nl + 1
		if size == 0 {
			// Trailers, then a blank line.
			for {
				nl := bytes.IndexByte(b[off:], '\n')
				if nl < 0 {
					return -1
				}
				blank := len(bytes.TrimSpace(b[off:off+nl])) == 0
				off += nl + 1
				if blank {
					return off
				}
			}
		}
		if size > uint64(len(b)-off) {
			return -1
		}
		off += int(size)
		// CRLF after the chunk data.
		for k := 0; k < 2 && off < len(b) && (b[off] == '\r' || b[off] == '\n'); k++ {
			off++
		}
		if off >= len(b) {
			return -1
		}
	}
}

func parseHex(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | uint64(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | uint64(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | uint64(c-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

func parseDec(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// parseHeaders fills m from a header block (start line included) and reports
// whether the body is chunked. Slices alias hdr.
func parseHeaders(m *httpMsg, hdr []byte) (chunked bool) {
	line, rest := cutLine(hdr)
	m.line = line
	if bytes.HasPrefix(line, []byte("HTTP/")) {
		m.request = false
		v, r, _ := bytes.Cut(line, []byte(" "))
		m.version = v
		c, ph, _ := bytes.Cut(r, []byte(" "))
		m.code, _ = parseDec(c)
		m.phrase = ph
	} else {
		m.request = true
		meth, r, _ := bytes.Cut(line, []byte(" "))
		m.method = meth
		if i := bytes.LastIndexByte(r, ' '); i >= 0 {
			m.uri, m.version = r[:i], r[i+1:]
		} else {
			m.uri = r
		}
	}
	m.headers = rest
	for len(rest) > 0 {
		before := len(m.headers) - len(rest)
		line, rest = cutLine(rest)
		if len(line) == 0 {
			m.headers = m.headers[:before]
			break
		}
		name, val, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		val = bytes.TrimSpace(val)
		switch {
		case asciiEqualFold(name, "host"):
			m.host = val
		case asciiEqualFold(name, "user-agent"):
			m.ua = val
		case asciiEqualFold(name, "content-type"):
			m.ctype = val
		case asciiEqualFold(name, "content-length"):
			m.clen, m.hasCL = parseDec(val)
		case asciiEqualFold(name, "server"):
			m.server = val
		case asciiEqualFold(name, "location"):
			m.location = val
		case asciiEqualFold(name, "connection"):
			m.conn = val
		case asciiEqualFold(name, "transfer-encoding"):
			chunked = bytes.Contains(bytes.ToLower(val), []byte("chunked"))
		case asciiEqualFold(name, "cookie"):
			m.cookie = val
		case asciiEqualFold(name, "authorization"):
			m.auth = val
		case asciiEqualFold(name, "referer"):
			m.referer = val
		case asciiEqualFold(name, "content-encoding"):
			m.encoded = true
		}
	}
	m.chunked = chunked
	return chunked
}

func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i], b[i+1:]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}

func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

const maxHTTPMsgsPerSegment = 32

// maxReassemblyTotal bounds the bytes buffered for HTTP reassembly over all
// conversations of a Decoder; a message that would pass it is reported as far
// as it got.
const maxReassemblyTotal = 64 << 20

// httpSegment feeds one in-order TCP payload to a direction's reassembly and
// records on p what Wireshark shows for it. It reports whether the payload was
// taken as HTTP (a message, a part of one, or a continuation).
func (d *Decoder) httpSegment(p *Packet, h, rev *httpDir, onPort bool) bool {
	old := len(h.buf)
	defer func() { d.reasmBytes += len(h.buf) - old }()
	pl := p.tcp.payload
	data := pl
	force := false
	continued := h.pending // this segment continues a message begun earlier
	if h.pending {
		limit := d.MaxReassembly
		if limit <= 0 {
			limit = 1 << 20
		}
		// Each message is bounded, and so is the sum over all conversations.
		limit = min(limit, len(h.buf)+max(0, maxReassemblyTotal-d.reasmBytes))
		if len(h.buf)+len(pl) >= limit {
			force = true
		}
		h.buf = append(h.buf, pl[:min(len(pl), max(0, limit-len(h.buf)))]...)
		// The packet keeps its own copy of the reassembled bytes.
		p.reasm = append(p.reasm[:0], h.buf...)
		data = p.reasm
	} else if !looksLikeHTTP(pl) {
		if onPort && bytes.IndexByte(pl, '\n') < 0 && d.reasmBytes+len(pl) <= maxReassemblyTotal {
			// Wireshark waits for a whole first line before deciding.
			h.buf = append(h.buf[:0], pl...)
			h.bufferSegs(p.Number, len(pl), false)
			h.pending = true
			p.has |= pReasm
			return true
		}
		if onPort {
			p.has |= pHTTP | pHTTPCont
			return true
		}
		return false
	}
	consumed := 0
	for consumed < len(data) && len(p.http.msgs) < maxHTTPMsgsPerSegment {
		rest := data[consumed:]
		if !looksLikeHTTP(rest) {
			break
		}
		var m httpMsg
		m.noBody = h.reqs > 0 && h.heads&1 != 0 && bytes.HasPrefix(rest, []byte("HTTP/"))
		n, hdr := messageLength(&m, rest, force)
		if n < 0 {
			if h.pending {
				k := copy(h.buf, h.buf[consumed:])
				h.buf = h.buf[:k]
				if consumed == 0 {
					h.bufferSegs(p.Number, len(pl), true)
				} else {
					h.bufferSegs(p.Number, len(rest), false)
				}
			} else if d.reasmBytes+len(rest) > maxReassemblyTotal {
				// No room to buffer: report what is here.
				var m httpMsg
				messageLength(&m, rest, true)
				p.http.msgs = append(p.http.msgs, m)
				break
			} else {
				h.buf = append(h.buf[:0], rest...)
				h.bufferSegs(p.Number, len(rest), false)
			}
			h.pending = true
			h.untilClose = m.untilClose
			if len(p.http.msgs) > 0 {
				// The messages before this one are complete: they are this frame's.
				p.has |= pHTTP
				for i := range p.http.msgs {
					p.markBody(&p.http.msgs[i])
				}
			}
			if len(p.http.msgs) == 0 {
				p.has |= pReasm
				// Wireshark re-reads what it has at each segment: the
				// message's first line, but for a body that ends with
				// the connection (TCP's Info then).
				if (!continued || consumed > 0 || !m.untilClose) && bytes.IndexByte(rest, '\n') >= 0 {
					p.http.first, _ = cutLine(rest)
				}
			}
			return true
		}
		if hdr >= 0 {
			m.body = n - hdr
			if m.body > 0 {
				m.bodyBytes = rest[hdr:n]
			}
		}
		if continued && consumed == 0 && n > old && h.more != nil && len(h.more.segs) > 0 {
			// The message began in earlier segments: as tshark, the
			// frame that completes it lists them (tcp.segment).
			p.tcpSegs = append(append(p.tcpSegs[:0], h.more.segs...), tcpSegRef{p.Number, n - old})
			p.tcpPDU = rest[:n]
		}
		switch {
		case m.request && rev != nil && rev.reqs < 64:
			if asciiEqualFold(m.method, "head") {
				rev.heads |= 1 << rev.reqs
			}
			rev.reqs++
			rev.queue = append(rev.queue, httpReq{frame: p.Number, at: p.Relative, uri: fullURIString(&m)})
		default:
			h.answer(&m, p.Relative)
		}
		switch {
		case m.request:
			m.prev = h.pushPair(true, p.Number)
		case rev != nil && !m.notification:
			m.prev = rev.pushPair(false, p.Number)
		}
		p.http.msgs = append(p.http.msgs, m)
		consumed += n
		if n == 0 {
			break
		}
	}
	h.reset()
	if len(p.http.msgs) == 0 {
		p.has |= pHTTP | pHTTPCont
		return true
	}
	p.has |= pHTTP
	for i := range p.http.msgs {
		p.markBody(&p.http.msgs[i])
	}
	return true
}

// httpLines is each header line of the frame's requests (or responses),
// with its line end.
func httpLines(req bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
		if m.request != req || m.notification {
			return dst
		}
		for b := m.headers; len(b) > 0; {
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				return append(dst, filter.Value{B: b})
			}
			dst = append(dst, filter.Value{B: b[:i+1]})
			b = b[i+1:]
		}
		return dst
	})
}

// fullURI is the request's URI as Wireshark's http.request.full_uri writes
// it: the URI as sent when it is absolute, else scheme, Host header and URI;
// nil for a request without a Host header (Wireshark then writes none).
// tshark 4.0 writes the URI as http.request.uri's value (ENC_ASCII: bytes
// 0x80-0xff U+FFFD) but the Host header's bytes as they were, up to a NUL.
func fullURI(m *httpMsg) []byte {
	uri, host := uriParts(m)
	if host == nil {
		return uri
	}
	return append(append([]byte("http://"), host...), uri...)
}

// uriParts splits a request's full URI: the URI as written and the Host to
// put before it, nil when the URI is absolute already (or, with the URI
// nil too, when there is no Host to make it so).
func uriParts(m *httpMsg) (uri, host []byte) {
	uri = stringValue(m.uri, encASCII)
	switch {
	case bytes.Contains(uri, []byte("://")):
		return uri, nil
	case len(m.host) == 0:
		return nil, nil
	}
	host = m.host
	if i := bytes.IndexByte(host, 0); i >= 0 {
		host = host[:i]
	}
	return uri, host
}

// fullURIString is fullURI as a string, built with one allocation.
func fullURIString(m *httpMsg) string {
	uri, host := uriParts(m)
	if host == nil {
		return string(uri)
	}
	return "http://" + string(host) + string(uri)
}

// answer pairs a final response with the oldest request its direction
// awaits.
func (h *httpDir) answer(m *httpMsg, at time.Duration) {
	if m.request || m.code < 200 || h.reqs == 0 {
		return
	}
	h.heads >>= 1
	h.reqs--
	if len(h.queue) > 0 {
		q := h.queue[0]
		// Shift rather than reslice: the queue keeps its array.
		h.queue = h.queue[:copy(h.queue, h.queue[1:])]
		m.reqFrame, m.reqTime, m.reqURI = q.frame, at-q.at, q.uri
	}
}

// markBody records which protocol Wireshark hands the message's body to
// (data.data is the body, de-chunked, when no Content-Type names one).
func (p *Packet) markBody(m *httpMsg) {
	if m.body <= 0 {
		return
	}
	bit := bodyProto(m.ctype)
	if bit == pData && p.has&pData == 0 {
		p.data = m.content()
	}
	p.has |= bit
}

// content is the message's body as sent, de-chunked.
func (m *httpMsg) content() []byte {
	if m.chunked {
		return dechunk(m.bodyBytes)
	}
	return m.bodyBytes
}

// dechunk returns a chunked body's data (as far as its chunks are whole).
func dechunk(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		line, rest := cutLine(b)
		sz, _, _ := bytes.Cut(line, []byte(";"))
		n, ok := parseHex(bytes.TrimSpace(sz))
		if !ok || n == 0 || n > uint64(len(rest)) {
			return out
		}
		out = append(out, rest[:n]...)
		b = rest[n:]
		if len(b) >= 2 && b[0] == '\r' && b[1] == '\n' {
			b = b[2:]
		} else if len(b) >= 1 && b[0] == '\n' {
			b = b[1:]
		}
	}
	return out
}

// httpMsgs makes a getter that reads each message of the frame.
func httpMsgs(v func(m *httpMsg, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		for i := range p.http.msgs {
			dst = v(&p.http.msgs[i], dst)
		}
		return dst
	}
}

// httpHeader is each value of the header called name (any case), as the
// message's header lines give it.
func httpHeader(name string) func(p *Packet, dst []filter.Value) []filter.Value {
	return httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
		for rest := m.headers; len(rest) > 0; {
			var line []byte
			line, rest = cutLine(rest)
			if n, val, ok := bytes.Cut(line, []byte(":")); ok && asciiEqualFold(n, name) {
				dst = append(dst, filter.Value{B: bytes.TrimSpace(val)})
			}
		}
		return dst
	})
}

// httpPrev is a frame of the pair before the message's.
func httpPrev(v func(m *httpMsg) int) func(p *Packet, dst []filter.Value) []filter.Value {
	return httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
		if n := v(m); n > 0 {
			dst = u(dst, uint64(n))
		}
		return dst
	})
}

// httpText is a text field of requests (req), responses (resp) or both.
func httpText(req, resp bool, v func(m *httpMsg) []byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return httpMsgs(func(m *httpMsg, dst []filter.Value) []filter.Value {
		if m.request && !req || !m.request && !resp {
			return dst
		}
		if s := v(m); s != nil {
			dst = append(dst, filter.Value{B: s})
		}
		return dst
	})
}

// bodyProto is the protocol Wireshark hands a message body of this media type to.
func bodyProto(ctype []byte) uint64 {
	mt, _, _ := bytes.Cut(ctype, []byte(";"))
	mt = bytes.ToLower(bytes.TrimSpace(mt))
	switch {
	case string(mt) == "text/xml" || string(mt) == "application/xml":
		return pXML
	case bytes.HasPrefix(mt, []byte("text/")):
		return pText
	case string(mt) == "application/x-www-form-urlencoded":
		return pForm
	case string(mt) == "application/json":
		return pJSON
	case len(mt) == 0:
		return pData
	}
	return pMedia
}

// httpClose completes a response that ends with the connection: Wireshark
// reports it on the segment carrying the server's FIN.
func (d *Decoder) httpClose(p *Packet, h *httpDir) {
	if !h.pending || !h.untilClose {
		return
	}
	old := len(h.buf)
	p.reasm = append(p.reasm[:0], h.buf...)
	var m httpMsg
	n, hdr := messageLength(&m, p.reasm, true)
	if hdr >= 0 {
		m.body = n - hdr
		if m.body > 0 {
			m.bodyBytes = p.reasm[hdr:n]
		}
	}
	h.answer(&m, p.Relative)
	h.reset()
	d.reasmBytes -= old
	p.has &^= pReasm
	p.http.first = nil
	p.http.msgs = append(p.http.msgs, m)
	p.has |= pHTTP
	p.markBody(&p.http.msgs[len(p.http.msgs)-1])
}
