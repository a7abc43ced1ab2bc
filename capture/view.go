package capture

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// View is a packet as a grading report shows it: its number and time, its
// one-line summary, who sent it to whom, its TCP flags and the first line of a
// text payload. It holds no reference to the packet, so it stays valid after
// the packet's buffers are reused (Decoder.DecodeInto).
type View struct {
	Number   int
	Relative time.Duration // since the first frame
	Line     string        // Line: `wirelab packets` layout
	Info     string        // the Info column
	Src, Dst string        // Endpoint: "10.0.0.10:40000", "[::1]:80", "10.0.0.1"
	Flags    string        // TCPFlags: "SYN, ACK"
	Text     string        // TextLine: "GET / HTTP/1.1"
}

// View returns the packet's view.
func (p *Packet) View() View {
	return View{
		Number:   p.Number,
		Relative: p.Relative,
		Line:     p.Line(),
		Info:     p.Summary().Info,
		Src:      p.Endpoint("src"),
		Dst:      p.Endpoint("dst"),
		Flags:    p.TCPFlags(),
		Text:     p.TextLine(),
	}
}

// Endpoint is the packet's source (dir "src") or destination (dir "dst") as
// address:port, [IPv6 address]:port, or the address alone for a packet
// without ports; "" without an IP layer. The address is the first ip (else
// ipv6) occurrence, the port the first tcp (else udp) one.
func (p *Packet) Endpoint(dir string) string {
	addr := p.firstString("ip." + dir)
	if addr == "" {
		addr = p.firstString("ipv6." + dir)
	}
	port := p.firstString("tcp." + dir + "port")
	if port == "" {
		port = p.firstString("udp." + dir + "port")
	}
	switch {
	case addr == "":
		return ""
	case port == "":
		return addr
	case strings.Contains(addr, ":"):
		return "[" + addr + "]:" + port
	}
	return addr + ":" + port
}

// firstString is the field's first occurrence as Strings formats it, or "".
func (p *Packet) firstString(name string) string {
	f, ok := lookupField(name)
	if !ok {
		return ""
	}
	var buf [1]filter.Value
	vals := p.Values(buf[:0], f)
	if len(vals) == 0 {
		return ""
	}
	return string(p.appendValue(nil, f, vals[0]))
}

// TCPFlags lists the TCP flags set, in the order and with the names of
// Wireshark's Info column ("SYN, ACK"); "" for a packet without TCP or with
// no flag set.
func (p *Packet) TCPFlags() string {
	if p.has&pTCP == 0 {
		return ""
	}
	return string(appendTCPFlags(nil, p.tcp.flags))
}

// appendTCPFlags appends the names of the flags set in flags, comma-separated.
func appendTCPFlags(b []byte, flags uint16) []byte {
	n := 0
	for i, name := range tcpFlagNames {
		if flags&(1<<i) != 0 {
			if n > 0 {
				b = append(b, ", "...)
			}
			b = append(b, name...)
			n++
		}
	}
	return b
}

// maxTextLine bounds the text TextLine returns, in runes.
const maxTextLine = 80

// TextLine returns the first line of a TCP or UDP payload that is text (an
// SMTP greeting, an HTTP request line, "EHLO lab"), at most 80 runes, or ""
// for an empty or binary payload. Ladders and flow diagrams label arrows
// with it.
func (p *Packet) TextLine() string {
	var b []byte
	switch {
	case p.has&pTCP != 0 && len(p.tcp.payload) > 0:
		b = p.tcp.payload
	case p.has&pUDP != 0 && len(p.udp.payload) > 0:
		b = p.udp.payload
	}
	if len(b) == 0 {
		return ""
	}
	if i := strings.IndexAny(string(b[:min(len(b), 512)]), "\r\n"); i >= 0 {
		b = b[:i]
	} else if len(b) > 512 {
		b = b[:512]
	}
	s := string(b)
	if s == "" || !utf8.ValidString(s) {
		return ""
	}
	for _, r := range s {
		if r != '\t' && !unicode.IsPrint(r) {
			return ""
		}
	}
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxTextLine {
		s = string([]rune(s)[:maxTextLine-3]) + "..."
	}
	return s
}
