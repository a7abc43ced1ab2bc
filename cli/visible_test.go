package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/runner/grade"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// A student's name or error message cannot act on the grader's terminal: the
// ESC/OSC sequences in a file name set the window title or forged a progress
// line. grade's progress lines and summary show them escaped.
func TestGradeNamesEscaped(t *testing.T) {
	name := "evil\x1b]0;pwned\x07\x1b[2K\r[9/9] alice 9/9 passed\u009b2J\xff"
	var b bytes.Buffer
	p := newProgress(&b)
	p.event(grade.Event{Done: 1, Total: 1, Student: name, Row: &grade.Row{Student: name, Status: result.StatusError, Reason: "boom\x1b[31m"}})
	sum := &grade.Summary{Students: []grade.Row{{Student: name, Status: result.StatusPassed, Flaky: []grade.Flake{{Check: "c", Outcomes: []string{"pass", "fail"}}}}}}
	printGradeSummary(&b, sum, t.TempDir(), 0)
	out := b.String()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\xff"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q reached the terminal:\n%q", bad, out)
		}
	}
	if !strings.Contains(out, `evil\x1b]0;pwned\x07\x1b[2K\x0d[9/9] alice 9/9 passed\x9b2J\xff`) {
		t.Errorf("the name is not shown escaped:\n%s", out)
	}
}

func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"alice":          "alice",
		"élève 学生":       "élève 学生",
		"a\tb\nc":        `a\x09b\x0ac`,
		"\u202egnp.lua":  `\u202egnp.lua`,
		"\x7f\u0085\xc3": `\x7f\x85\xc3`,
	} {
		if got := visible(in); got != want {
			t.Errorf("visible(%q) = %q, want %q", in, got, want)
		}
	}
}
