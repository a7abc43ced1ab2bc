package capture

import (
	"bytes"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Helpers for the line-oriented protocols (FTP, SMTP, POP, IMAP): their fields
// parse the payload when a filter asks, so a frame costs nothing until then.

// nextLine splits b after its first line; line keeps its CRLF (crlf) or not.
func nextLine(b []byte, crlf bool) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i+1], b[i+1:]
	if !crlf {
		line = bytes.TrimRight(line, "\r\n")
	}
	return line, rest
}

// firstLine is b's first line without its line ending.
func firstLine(b []byte) []byte {
	l, _ := nextLine(b, false)
	return l
}

// lastLine is b's last non-empty line without its line ending.
func lastLine(b []byte) []byte {
	b = bytes.TrimRight(b, "\r\n")
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[i+1:]
	}
	return bytes.TrimRight(b, "\r")
}

// word splits a line at its first space: "USER bob" is "USER", "bob".
func word(line []byte) (w, rest []byte) {
	w, rest, _ = bytes.Cut(line, []byte(" "))
	return w, rest
}

// appText makes a getter for one text value of the payload (nil: absent).
func appText(v func(a *appInfo) []byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if s := v(&p.app); s != nil {
			dst = append(dst, filter.Value{B: s})
		}
		return dst
	}
}

// appBool makes a getter for a flag of the payload, always present.
func appBool(v func(a *appInfo) bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if v(&p.app) {
			return u(dst, 1)
		}
		return u(dst, 0)
	}
}

// appMarker makes a getter for a presence field that holds when v does.
func appMarker(v func(a *appInfo) bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if v(&p.app) {
			return u(dst, 1)
		}
		return dst
	}
}

// appUint makes a getter for a decimal number at the start of v's text.
func appUint(v func(a *appInfo) []byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if n, ok := parseDec(v(&p.app)); ok {
			dst = u(dst, n)
		}
		return dst
	}
}
