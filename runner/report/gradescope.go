package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// Gradescope's autograder results.json (the fields wirelab fills).
type gsResults struct {
	Score            float64  `json:"score"`
	ExecutionTime    float64  `json:"execution_time"`
	Output           string   `json:"output"`
	Visibility       string   `json:"visibility"`
	StdoutVisibility string   `json:"stdout_visibility"`
	Tests            []gsTest `json:"tests"`
}

type gsTest struct {
	Name       string   `json:"name"`
	Score      float64  `json:"score"`
	MaxScore   float64  `json:"max_score"`
	Status     string   `json:"status"` // passed or failed
	Output     string   `json:"output"`
	Visibility string   `json:"visibility"`
	Tags       []string `json:"tags"`
}

func writeGradescope(w io.Writer, res *result.Result, opt Options) error {
	// Every student sees the top-level output: it speaks of the visible
	// checks only, as the student's view does.
	sv, wh := studentView(res, opt.Now)
	output := summary(sv)
	if ws := wh.sentence(); ws != "" {
		output += "\n" + ws
	}
	out := gsResults{
		Score:            res.Score,
		ExecutionTime:    float64(res.Duration) / 1e9,
		Output:           output,
		Visibility:       "visible",
		StdoutVisibility: "hidden",
		Tests:            make([]gsTest, 0, len(res.Checks)),
	}
	for _, c := range res.Checks {
		st := "failed"
		if c.Status == result.CheckPass {
			st = "passed"
		}
		vis := string(c.Visibility)
		if vis == "" {
			vis = "visible"
		}
		out.Tests = append(out.Tests, gsTest{
			Name: c.Name, Score: c.Points, MaxScore: c.MaxPoints, Status: st,
			Output: details(c), Visibility: vis, Tags: []string{c.Kind, c.Status.String()},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// summary is a short paragraph about the whole run.
func summary(res *result.Result) string {
	pass, fail, skip, errs := counts(res)
	var b strings.Builder
	b.WriteString(res.Lab.ID + ": " + res.Status.String() + ", score " + fmtPoints(res.Score) + "/" + fmtPoints(res.MaxScore))
	b.WriteString(" (" + itoa(pass) + " passed, " + itoa(fail) + " failed")
	if skip > 0 {
		b.WriteString(", " + itoa(skip) + " skipped")
	}
	if errs > 0 {
		b.WriteString(", " + itoa(errs) + " errors")
	}
	b.WriteString(")")
	if res.Reason != "" {
		b.WriteString("\n" + res.Reason)
	}
	if res.Exit.Reason != result.ExitOK {
		b.WriteString("\n" + endedLine(res.Exit.Reason, res.Exit.Message))
	}
	for _, n := range res.Notes {
		b.WriteString("\nnote: " + n)
	}
	return b.String()
}
