package cli

import (
	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/internal/words"
)

// visible makes text a student chose (a file name, an error message) safe to
// print on one line of the grader's terminal: control characters (C0, DEL
// and C1: ESC and OSC sequences that would set the window title or forge a
// progress line) and bytes that are not UTF-8 are written as \xNN escapes.
func visible(s string) string { return words.Visible(s, false) }

// tsharkText escapes what is not printable in a packet's summary line the way
// tshark's summary does (Wireshark's format_text, capture.FormatText): \a \b
// \t \n \v \f \r, other ASCII controls and DEL as three octal digits (ESC
// is \033), bytes 0x80-0xff read as format_text reads UTF-8 (leniently: a
// broken sequence is U+FFFD), and characters that do not print (C1 controls,
// format characters such as U+202E) as \uXXXX. A payload's escape sequences
// then reach the terminal as text, and the line is tshark's, byte for byte.
func tsharkText(s string) string { return capture.FormatText(s) }
