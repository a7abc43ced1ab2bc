package capture

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// SMTP (TCP ports 25 and 587): command lines, replies (every line's text is a
// smtp.rsp.parameter), and the message after DATA, which is not parsed.
var smtpProto = protocol{
	name: "smtp", title: "SMTP", desc: "Simple Mail Transfer Protocol", example: "smtp",
	strEnc:   encASCII,
	tcpPorts: []uint16{25, 587},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if !s.byPort {
			return rejected
		}
		s.takeApp(p)
		if s.dir == nil || !p.app.req {
			return taken
		}
		// The client's DATA command starts the message; "." on a line ends it.
		switch {
		case s.dir.state == smtpData:
			if smtpEOM(s.payload) {
				s.dir.state = 0
			}
		case asciiEqualFold(bytes.TrimRight(s.payload, "\r\n"), "data"):
			s.dir.state = smtpData
		}
		return taken
	},
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "smtp")
		if a := &p.app; a.req && a.state == smtpData {
			// The message: its last segment goes to IMF, the others are text.
			if smtpEOM(a.payload) {
				return appendProto(b, "imf")
			}
			return appendProto(b, "data-text-lines")
		}
		return b
	},
	info: func(p *Packet) (string, string) {
		a := &p.app
		if a.req {
			if a.state == smtpData {
				return "SMTP", "C: DATA fragment, " + strconv.Itoa(len(a.payload)) + " bytes"
			}
			return "SMTP", "C: " + string(firstLine(a.payload))
		}
		var b strings.Builder
		b.WriteString("S: ")
		for i, rest := 0, a.payload; len(rest) > 0; i++ {
			var l []byte
			l, rest = nextLine(rest, false)
			if i == 0 {
				b.Write(l)
				continue
			}
			b.WriteString(" | ")
			if len(l) >= 4 {
				b.Write(l[4:])
			}
		}
		return "SMTP", b.String()
	},
	fields: []field{
		{name: "smtp.req", typ: filter.Bool, desc: "The segment is a command (the client's)", example: "smtp.req == 1",
			get: appMarker(func(a *appInfo) bool { return a.req && a.state != smtpData })},
		{name: "smtp.rsp", typ: filter.Bool, desc: "The segment is a reply (the server's)", example: "smtp.rsp == 1",
			get: appMarker(func(a *appInfo) bool { return !a.req })},
		{name: "smtp.command_line", typ: filter.String, desc: "Command line, with its CRLF", example: `smtp.command_line contains "MAIL FROM"`,
			get: appText(func(a *appInfo) []byte { return smtpCommand(a) })},
		{name: "smtp.req.command", typ: filter.String, desc: "Command: HELO, EHLO, MAIL, RCPT, DATA, QUIT ...", example: `smtp.req.command == "MAIL"`,
			get: appText(func(a *appInfo) []byte {
				c, _ := word(bytes.TrimRight(smtpCommand(a), "\r\n"))
				return c
			})},
		{name: "smtp.req.parameter", typ: filter.String, desc: "Command parameter", example: `smtp.req.parameter contains "alice@"`,
			get: appText(func(a *appInfo) []byte {
				if _, arg := word(bytes.TrimRight(smtpCommand(a), "\r\n")); len(arg) > 0 {
					return arg
				}
				return nil
			})},
		{name: "smtp.response", typ: filter.String, desc: "First line of a reply, with its CRLF", example: `smtp.response contains "Ok"`,
			get: appText(func(a *appInfo) []byte {
				if a.req {
					return nil
				}
				l, _ := nextLine(a.payload, true)
				return l
			})},
		{name: "smtp.response.code", typ: filter.Uint, bits: 32, named: true, desc: "Reply code: 220 ready, 250 ok, 354 send the message, 550 refused", example: "smtp.response.code == 250",
			get: appUint(func(a *appInfo) []byte {
				if l := firstLine(a.payload); !a.req && len(l) >= 3 {
					return l[:3]
				}
				return nil
			})},
		{name: "smtp.rsp.parameter", typ: filter.String, desc: "Text of each reply line after its code", example: `smtp.rsp.parameter == "SIZE 10240000"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.app.req {
					return dst
				}
				for rest := p.app.payload; len(rest) > 0; {
					var l []byte
					l, rest = nextLine(rest, false)
					if len(l) > 4 && isDigits(l[:3]) {
						dst = append(dst, filter.Value{B: l[4:]})
					}
				}
				return dst
			}},
	},
}

const smtpData = 1 // the client's direction is sending a message

func smtpCommand(a *appInfo) []byte {
	if !a.req || a.state == smtpData {
		return nil
	}
	l, _ := nextLine(a.payload, true)
	return l
}

// smtpEOM reports whether a message segment ends the message ("." on a line).
func smtpEOM(b []byte) bool {
	return bytes.HasSuffix(b, []byte("\r\n.\r\n")) || bytes.Equal(b, []byte(".\r\n"))
}
