package capture

import (
	"unicode"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Text in packets as Wireshark 4.0 turns it into strings. Two different
// rules apply, found by running tshark 4.0 on written captures:
//
// A string field's value (what -T fields prints, what ==, contains, matches,
// slices and len() see, what Lua reads) is the bytes up to the first NUL,
// made valid UTF-8 by the encoding the dissector names:
//
//   - ENC_ASCII (HTTP, FTP, SMTP, POP, IMAP, SSH, Telnet, TFTP, LLDP, DHCP,
//     SDP's lines):
//     every byte 0x80-0xff becomes U+FFFD, even one of a valid UTF-8
//     sequence ("é", c3 a9, is two U+FFFD);
//   - ENC_UTF_8 (SIP, SDP's subfields): valid UTF-8 is kept and each
//     maximal invalid subpart becomes one U+FFFD, as the Unicode standard
//     recommends (e2 82 before an ASCII byte is one; c0 af, ed a0 80 and
//     f4 90 80 80 are one per byte: no valid sequence starts so).
//
// DNS names are format_text's text of their labels' bytes (encFormat): a
// NUL is \000 there too, c0 af a "/".
//
// SNMP's and CDP's strings keep their bytes (encRaw, as tshark showed them);
// other protocols' are not checked yet and keep them too.
//
// The Info column gets the raw bytes through format_text (appendEscaped): a
// NUL is \000 and the text goes on after it, and bytes 0x80-0xff are decoded
// leniently (an overlong c0 af is "/", a surrogate or a code point past
// U+10FFFF is one U+FFFD), characters that do not print written \uXXXX.

// strEnc is how a string field's bytes become its value.
type strEnc uint8

const (
	encDefault strEnc = iota // the protocol's (protocol.strEnc)
	encRaw                   // the bytes as they are (not checked against tshark)
	encASCII                 // Wireshark's ENC_ASCII
	encUTF8                  // Wireshark's ENC_UTF_8
	// encFormat: format_text's text of the bytes (appendEscaped), NUL
	// included (\000): DNS names, which Wireshark builds so.
	encFormat
)

// withStrEnc wraps a string field's get so that its values are as Wireshark
// stores them.
func withStrEnc(get func(p *Packet, dst []filter.Value) []filter.Value, enc strEnc) func(p *Packet, dst []filter.Value) []filter.Value {
	switch enc {
	case encASCII, encUTF8:
		return func(p *Packet, dst []filter.Value) []filter.Value {
			n := len(dst)
			dst = get(p, dst)
			for i := n; i < len(dst); i++ {
				dst[i].B = stringValue(dst[i].B, enc)
			}
			return dst
		}
	case encFormat:
		return func(p *Packet, dst []filter.Value) []filter.Value {
			n := len(dst)
			dst = get(p, dst)
			for i := n; i < len(dst); i++ {
				if !printable(dst[i].B) {
					dst[i].B = appendEscaped(nil, dst[i].B)
				}
			}
			return dst
		}
	}
	return get
}

const replacement = "\uFFFD"

// stringValue returns b as Wireshark stores a string field read with enc:
// cut at its first NUL, invalid bytes replaced. b itself when nothing
// changes.
func stringValue(b []byte, enc strEnc) []byte {
	clean := true
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
		if c >= 0x80 {
			clean = false
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	if enc == encASCII {
		for _, c := range b {
			if c >= 0x80 {
				out = append(out, replacement...)
			} else {
				out = append(out, c)
			}
		}
		return out
	}
	return appendValidUTF8(out, b)
}

// appendValidUTF8 appends s with each maximal subpart of an ill-formed UTF-8
// sequence replaced by one U+FFFD: a lead byte and the continuation bytes
// that may follow it, up to the first that may not.
func appendValidUTF8(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			dst = append(dst, c)
			i++
			continue
		}
		n, lo, hi := 0, byte(0x80), byte(0xbf) // continuation bytes, the second's range
		switch {
		case c >= 0xc2 && c <= 0xdf:
			n = 1
		case c == 0xe0:
			n, lo = 2, 0xa0
		case c == 0xed:
			n, hi = 2, 0x9f
		case c >= 0xe1 && c <= 0xef:
			n = 2
		case c == 0xf0:
			n, lo = 3, 0x90
		case c >= 0xf1 && c <= 0xf3:
			n = 3
		case c == 0xf4:
			n, hi = 3, 0x8f
		}
		j, ok := i+1, n > 0
		for k := 0; k < n; k++ {
			if j >= len(s) || s[j] < lo || s[j] > hi {
				ok = false
				break
			}
			j++
			lo, hi = 0x80, 0xbf
		}
		if ok {
			dst = append(dst, s[i:j]...)
		} else {
			dst = append(dst, replacement...)
		}
		i = j
	}
	return dst
}

// appendEscaped appends s as Wireshark's format_text writes text into a
// column (Info): printable ASCII as it is; \a \b \f \n \r \t \v, other ASCII
// controls and DEL in octal (\001); a byte 0x80-0xff starts a UTF-8 sequence
// read leniently (the lead byte gives its length, up to 6; an overlong form
// is decoded; a missing continuation byte makes it U+FFFD and the byte is
// read again; 80-bf, fe and ff alone are U+FFFD; a surrogate or a value past
// U+10FFFF is U+FFFD), and a character that does not print (GLib's
// g_unichar_isprint: controls, format characters, surrogates, unassigned
// code points) is written \uXXXX or \UXXXXXXXX, one that prints as UTF-8.
func appendEscaped(b, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		i++
		if c < 0x80 {
			switch {
			case c >= 0x20 && c < 0x7f:
				b = append(b, c)
			case c >= '\a' && c <= '\r': // \a \b \t \n \v \f \r
				b = append(b, '\\', "abtnvfr"[c-'\a'])
			default:
				b = append(b, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
			}
			continue
		}
		var n int
		var r rune
		switch {
		case c&0xe0 == 0xc0:
			n, r = 1, rune(c&0x1f)
		case c&0xf0 == 0xe0:
			n, r = 2, rune(c&0x0f)
		case c&0xf8 == 0xf0:
			n, r = 3, rune(c&0x07)
		case c&0xfc == 0xf8:
			n, r = 4, rune(c&0x03)
		case c&0xfe == 0xfc:
			n, r = 5, rune(c&0x01)
		default: // a continuation byte, fe or ff
			n, r = -1, unicode.ReplacementChar
		}
		for k := 0; k < n; k++ {
			if i >= len(s) || s[i]&0xc0 != 0x80 {
				r = unicode.ReplacementChar
				break
			}
			r = r<<6 | rune(s[i]&0x3f)
			i++
		}
		if r >= 0x110000 || r >= 0xd800 && r <= 0xdfff {
			r = unicode.ReplacementChar
		}
		switch {
		case glibPrints(r):
			b = appendRune(b, r)
		case r <= 0xffff:
			b = append(b, '\\', 'u')
			b = appendHexUpper(b, uint32(r), 4)
		default:
			b = append(b, '\\', 'U')
			b = appendHexUpper(b, uint32(r), 8)
		}
	}
	return b
}

// glibPrints is GLib's g_unichar_isprint: true but for controls (Cc),
// format characters (Cf), surrogates (Cs) and unassigned code points (Cn).
// Spaces, line and paragraph separators and private-use characters print.
func glibPrints(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Co)
}

// appendRune appends r's UTF-8 (r is a valid code point; an overlong input
// was decoded to it, so this writes the shortest form).
func appendRune(b []byte, r rune) []byte {
	switch {
	case r < 0x80:
		return append(b, byte(r))
	case r < 0x800:
		return append(b, 0xc0|byte(r>>6), 0x80|byte(r)&0x3f)
	case r < 0x10000:
		return append(b, 0xe0|byte(r>>12), 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
	}
	return append(b, 0xf0|byte(r>>18), 0x80|byte(r>>12)&0x3f, 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
}

func appendHexUpper(b []byte, n uint32, digits int) []byte {
	for i := digits - 1; i >= 0; i-- {
		b = append(b, "0123456789ABCDEF"[n>>(4*uint(i))&15])
	}
	return b
}

// FormatText returns s as Wireshark's format_text shows it in a column: what
// tshark's summary line shows of text a packet carries (see appendEscaped).
func FormatText(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return string(appendEscaped(make([]byte, 0, len(s)+8), []byte(s)))
		}
	}
	return s
}

// printable reports whether b is printable ASCII only: format_text's text
// of it is itself.
func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
