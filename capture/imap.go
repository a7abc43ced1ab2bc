package capture

import (
	"bytes"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// IMAP (TCP port 143): tagged commands and the tagged status responses that
// complete them; untagged lines ("* 18 EXISTS") are only imap.line.
var imapProto = protocol{
	name: "imap", title: "IMAP", desc: "Internet Message Access Protocol", example: "imap",
	strEnc:   encASCII,
	tcpPorts: []uint16{143},
	decode:   decodeText,
	info: func(p *Packet) (string, string) {
		if p.app.req {
			return "IMAP", "Request: " + string(lastLine(p.app.payload))
		}
		return "IMAP", "Response: " + string(lastLine(p.app.payload))
	},
	fields: []field{
		{name: "imap.isrequest", typ: filter.Bool, desc: "The segment is a request (the client's)", example: "imap.isrequest == 1",
			get: appBool(func(a *appInfo) bool { return a.req })},
		{name: "imap.line", typ: filter.String, desc: "Each line, with its CRLF", example: `imap.line contains "EXISTS"`,
			get: imapLines(func(a *appInfo, l []byte, dst []filter.Value) []filter.Value {
				return append(dst, filter.Value{B: l})
			})},
		{name: "imap.request", typ: filter.String, desc: "A tagged command line", example: `imap.request contains "LOGIN"`,
			get: imapTagged(true, func(l []byte, _ [3][]byte) []byte { return l })},
		{name: "imap.request_tag", typ: filter.String, desc: "Tag of a command", example: `imap.request_tag == "a001"`,
			get: imapTagged(true, func(_ []byte, w [3][]byte) []byte { return w[0] })},
		{name: "imap.request.command", typ: filter.String, desc: "Command: LOGIN, SELECT, FETCH, LOGOUT ...", example: `imap.request.command == "LOGIN"`,
			get: imapTagged(true, func(_ []byte, w [3][]byte) []byte { return w[1] })},
		{name: "imap.request.username", typ: filter.String, desc: "User name of a LOGIN command", example: `imap.request.username == "bob"`,
			get: imapTagged(true, func(_ []byte, w [3][]byte) []byte {
				if asciiEqualFold(w[1], "login") {
					return w[2]
				}
				return nil
			})},
		{name: "imap.request.folder", typ: filter.String, desc: "Mailbox a SELECT, EXAMINE, CREATE, DELETE or STATUS names", example: `imap.request.folder == "INBOX"`,
			get: imapTagged(true, func(_ []byte, w [3][]byte) []byte {
				for _, c := range []string{"select", "examine", "create", "delete", "status", "subscribe", "unsubscribe"} {
					if asciiEqualFold(w[1], c) {
						return w[2]
					}
				}
				return nil
			})},
		{name: "imap.response", typ: filter.String, desc: "A tagged status response line", example: `imap.response contains "completed"`,
			get: imapTagged(false, func(l []byte, _ [3][]byte) []byte { return l })},
		{name: "imap.response_tag", typ: filter.String, desc: "Tag of a status response", example: `imap.response_tag == "a001"`,
			get: imapTagged(false, func(_ []byte, w [3][]byte) []byte { return w[0] })},
		{name: "imap.response.status", typ: filter.String, desc: "Status: OK, NO or BAD", example: `imap.response.status == "NO"`,
			get: imapTagged(false, func(_ []byte, w [3][]byte) []byte { return w[1] })},
		{name: "imap.response.command", typ: filter.String, desc: "Word after the status", example: `imap.response.command == "LOGIN"`,
			get: imapTagged(false, func(_ []byte, w [3][]byte) []byte { return w[2] })},
		{name: "imap.tag", typ: filter.String, desc: "Tag of a command or status response", example: `imap.tag == "a002"`,
			get: imapTagged2(func(_ []byte, w [3][]byte) []byte { return w[0] })},
		{name: "imap.command", typ: filter.String, desc: "Command, or the word after a response's status", example: `imap.command == "SELECT"`,
			get: imapTagged2(func(_ []byte, w [3][]byte) []byte { return w[2] })},
	},
}

func imapLines(v func(a *appInfo, l []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		for rest := p.app.payload; len(rest) > 0; {
			var l []byte
			l, rest = nextLine(rest, true)
			dst = v(&p.app, l, dst)
		}
		return dst
	}
}

// imapWords splits a tagged line into tag, command or status, and the next
// word; ok is false for untagged and continuation lines.
func imapWords(l []byte) (w [3][]byte, ok bool) {
	l = bytes.TrimRight(l, "\r\n")
	if len(l) == 0 || l[0] == '*' || l[0] == '+' {
		return w, false
	}
	var rest []byte
	w[0], rest = word(l)
	w[1], rest = word(rest)
	w[2], _ = word(rest)
	for i := range w {
		if len(w[i]) == 0 {
			w[i] = nil
		}
	}
	return w, true
}

func imapTagged(req bool, v func(l []byte, w [3][]byte) []byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return imapLines(func(a *appInfo, l []byte, dst []filter.Value) []filter.Value {
		if a.req != req {
			return dst
		}
		if w, ok := imapWords(l); ok {
			if s := v(bytes.TrimRight(l, "\r\n"), w); s != nil {
				dst = append(dst, filter.Value{B: s})
			}
		}
		return dst
	})
}

// imapTagged2 is a field of both requests and responses; a request's command is
// its second word.
func imapTagged2(v func(l []byte, w [3][]byte) []byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return imapLines(func(a *appInfo, l []byte, dst []filter.Value) []filter.Value {
		w, ok := imapWords(l)
		if !ok {
			return dst
		}
		if a.req {
			w[2] = w[1]
		}
		if s := v(l, w); s != nil {
			dst = append(dst, filter.Value{B: s})
		}
		return dst
	})
}
