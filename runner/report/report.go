// Package report renders a result.Result for the people and systems that read
// it: a terminal (text), other programs (json), CI systems (junit, tap), and
// grading platforms (gradescope, github, prairielearn). Formats are chosen by name from one
// explicit registry.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// Options tune a report.
type Options struct {
	// Color adds ANSI colours to the text report. Set it only when the output
	// is a terminal.
	Color bool
	// Grader shows every check, hidden ones too: the grader's view. Every
	// student-facing format is otherwise the student's view (view.go).
	Grader bool
	// Dir is the folder the report is written to, when known: the HTML
	// report links the capture relative to it.
	Dir string
	// Now is the time a student's view is taken at (an after_due_date check
	// shows once the lab's due date has passed); zero means time.Now().
	Now time.Time

	withheld withheld       // what the student's view left out: set by WriteOptions
	full     *result.Result // the result before the student's view: set by WriteOptions
}

// writer renders one format.
type writer func(w io.Writer, res *result.Result, opt Options) error

// format is a report format: how it is written, and whether a student reads
// it (then it is given the student's view unless Options.Grader).
type format struct {
	write   writer
	student bool
}

// formats is the registry of report formats.
var formats = map[string]format{
	"text":       {writeText, true},
	"json":       {writeJSON, false}, // the grader's record
	"junit":      {writeJUnit, true},
	"tap":        {writeTAP, true},
	"gradescope": {writeGradescope, false}, // every check, marked: Gradescope hides them
	"github":     {writeGitHub, true},
	"html":       {writeHTML, true},
	// The student's checks, the score of all: PrairieLearn shows every test.
	"prairielearn": {writePrairieLearn, true},
}

// studentFacing reports whether format is read by students, and so shows
// the student's view unless Options.Grader is set.
func studentFacing(format string) bool { return formats[format].student }

// Default is the format used when none is asked for.
const Default = "text"

// Formats lists the report formats by name, the default first.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		if n != Default {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return append([]string{Default}, names...)
}

// Known reports whether format names a report format.
func Known(format string) bool {
	_, ok := formats[format]
	return ok
}

// Write renders res in format, without colour.
func Write(w io.Writer, format string, res *result.Result) error {
	return WriteOptions(w, format, res, Options{})
}

// WriteOptions renders res in format with opt.
func WriteOptions(w io.Writer, format string, res *result.Result, opt Options) error {
	f, ok := formats[format]
	if !ok {
		return fmt.Errorf("unknown report format %q (known: %s)", format, strings.Join(Formats(), ", "))
	}
	if res == nil {
		return fmt.Errorf("no result to report")
	}
	if f.student && !opt.Grader {
		opt.full = res
		res, opt.withheld = studentView(res, opt.Now)
	}
	return f.write(w, res, opt)
}

// details is the text a grading system shows under a check that did not pass:
// the message, the hint, and the evidence as packet lines.
func details(c result.CheckResult) string {
	var b strings.Builder
	b.WriteString(c.Message)
	if c.Status != result.CheckPass {
		if c.Hint != "" {
			b.WriteString("\nhint: " + c.Hint)
		}
		if len(c.Packets) > 0 {
			b.WriteString("\n")
			for _, p := range c.Packets {
				b.WriteString("\n" + p.Line)
				if p.Mark != "" {
					b.WriteString("   ← " + p.Mark)
				}
			}
		}
	}
	return b.String()
}

// fmtPoints prints points without a trailing ".0".
func fmtPoints(p float64) string {
	s := fmt.Sprintf("%.2f", p)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// counts tallies the checks by status.
func counts(res *result.Result) (pass, fail, skip, errs int) {
	for _, c := range res.Checks {
		switch c.Status {
		case result.CheckPass:
			pass++
		case result.CheckFail:
			fail++
		case result.CheckSkip:
			skip++
		default:
			errs++
		}
	}
	return
}
