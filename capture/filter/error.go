package filter

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/internal/suggest"
)

// Error is a filter that does not compile. Offset is the byte offset in Filter of
// the construct the message is about.
type Error struct {
	Filter string
	Offset int
	Msg    string
}

// Error returns "column N: msg", N counted in characters from 1.
func (e *Error) Error() string {
	return fmt.Sprintf("column %d: %s", e.column(), e.Msg)
}

func (e *Error) column() int {
	off := e.Offset
	if off < 0 {
		off = 0
	}
	if off > len(e.Filter) {
		off = len(e.Filter)
	}
	return utf8.RuneCountInString(e.Filter[:off]) + 1
}

// Caret returns three lines: the filter, a caret under the column the error is
// about, and the message. Tabs in the filter are kept in the caret line so the
// caret lines up in a terminal.
func (e *Error) Caret() string {
	return e.Underline("") + "\n" + e.Msg
}

// Underline returns the filter on one line (newlines read as spaces) and a
// caret under the column the error is about, each line starting with indent:
// the one caret renderer, for messages that put the reason elsewhere.
func (e *Error) Underline(indent string) string {
	var b strings.Builder
	line := strings.NewReplacer("\n", " ", "\r", " ").Replace(e.Filter)
	b.WriteString(indent)
	b.WriteString(line)
	b.WriteByte('\n')
	b.WriteString(indent)
	n, col := 0, e.column()-1 // once: column() counts from the start
	for _, r := range line {
		if n == col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n++
	}
	b.WriteByte('^')
	return b.String()
}

// bailout carries an *Error out of the recursive-descent parsers; Compile and
// CompileCapture recover it and nothing else.
type bailout struct{ err *Error }

func fail(src string, off int, format string, args ...any) {
	panic(bailout{&Error{Filter: src, Offset: off, Msg: fmt.Sprintf(format, args...)}})
}

func catch(err *error) {
	if r := recover(); r != nil {
		b, ok := r.(bailout)
		if !ok {
			panic(r)
		}
		*err = b.err
	}
}

// Suggest returns the registry field closest to name by edit distance (or by a
// known alias, ip6. for ipv6.), or "" when nothing is close enough to be a
// plausible typo. The filter compiler's "did you mean" uses it, and so may any
// other place that takes a field name from a person.
func Suggest(reg Registry, name string) string {
	for _, a := range aliases {
		if rest, ok := strings.CutPrefix(name, a[0]); ok {
			if f, ok := reg.Lookup(a[1] + rest); ok {
				return f.Name
			}
		}
	}
	best, bestD := "", 1<<30
	for _, f := range reg.Fields() {
		d := suggest.Distance(name, f.Name, bestD)
		if d < bestD {
			best, bestD = f.Name, d
		}
	}
	limit := (len(name) + 1) / 4
	if limit < 1 {
		limit = 1
	}
	if bestD > limit {
		return ""
	}
	return best
}

func unknownField(src string, off int, reg Registry, name string) {
	if s := Suggest(reg, name); s != "" {
		fail(src, off, "%q is not a known field (did you mean %q?)", name, s)
	}
	fail(src, off, "%q is not a known field", name)
}

// an returns the type's name with its article: "an unsigned integer".
func an(t Type) string {
	s := t.String()
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u', 'A', 'I', 'E':
		return "an " + s
	}
	return "a " + s
}

// aliases are prefixes people carry over from other tools, tried before the edit
// distance so "ip6.src" suggests "ipv6.src".
var aliases = [][2]string{{"ip6.", "ipv6."}, {"ipv4.", "ip."}, {"icmp6.", "icmpv6."}, {"ether.", "eth."}, {"ip6", "ipv6"}, {"icmp6", "icmpv6"}, {"ether", "eth"}}
