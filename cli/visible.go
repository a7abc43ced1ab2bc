package cli

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/internal/words"
)

// visible makes text a student chose (a file name, an error message) safe to
// print on one line of the grader's terminal: control characters (C0, DEL
// and C1: ESC and OSC sequences that would set the window title or forge a
// progress line) and bytes that are not UTF-8 are written as \xNN escapes.
func visible(s string) string { return words.Visible(s, false) }

// tsharkText escapes what is not printable in a packet's summary line the way
// tshark's summary does (Wireshark's format_text): \a \b \t \n \v \f \r, other
// ASCII controls and DEL as three octal digits (ESC is \033), other
// characters that do not print (C1 controls, format characters such as
// U+202E) as \uXXXX, and bytes that are not UTF-8 as U+FFFD. A payload's
// escape sequences then reach the terminal as text, and the line is
// tshark's, byte for byte.
func tsharkText(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !tsharkPrints(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	b := []byte(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			b = utf8.AppendRune(b, utf8.RuneError)
		case r < 0x80 && !tsharkPrints(r, n):
			if j := strings.IndexByte("\a\b\t\n\v\f\r", byte(r)); j >= 0 {
				b = append(b, '\\', "abtnvfr"[j])
			} else {
				b = append(b, '\\', byte('0'+r>>6), byte('0'+(r>>3)&7), byte('0'+r&7))
			}
		case !tsharkPrints(r, n) && r <= 0xffff:
			b = fmt.Appendf(b, `\u%04X`, r)
		case !tsharkPrints(r, n):
			b = fmt.Appendf(b, `\U%08X`, r)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

// tsharkPrints is GLib's g_unichar_isprint, which format_text asks: anything
// but controls, format characters, unassigned code points and line or
// paragraph separators (private-use characters print).
func tsharkPrints(r rune, n int) bool {
	if r < 0x80 {
		return r >= 0x20 && r != 0x7f
	}
	if r == utf8.RuneError && n == 1 {
		return false
	}
	return unicode.IsGraphic(r) || unicode.Is(unicode.Co, r)
}
