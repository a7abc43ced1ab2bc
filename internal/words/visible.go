package words

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Visible makes text someone else chose (a student's file name, what a
// script printed, an error message) safe to print on a grader's terminal or
// in a report: control characters (isControl: C0, DEL and C1, whose ESC, CSI
// and OSC sequences would set the window title or forge a line) and bytes
// that are not UTF-8 are written as \xNN escapes, other controls as \uNNNN.
// With lines, the text may hold several lines: \n passes as it is.
func Visible(s string, lines bool) string {
	escaped := func(r rune) bool { return isControl(r) && !(lines && r == '\n') }
	if !strings.ContainsFunc(s, func(r rune) bool { return r == utf8.RuneError || escaped(r) }) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i]) // not UTF-8: 0x9b alone is a CSI to some terminals
		case escaped(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case escaped(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isControl is a C0 or C1 control character (C1 includes CSI and OSC: 0x9b,
// 0x9d), DEL, or a Unicode line or paragraph separator or bidirectional
// override (which reorder what a person reads).
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029 || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
