package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// PrairieLearn's external grader results (/grade/results/results.json): a
// score in [0, 1], gradable, a message and output for the whole submission,
// and tests with points and max_points, as its pl-external-grader-results
// element shows them.
type plResults struct {
	Gradable     bool     `json:"gradable"`
	Score        float64  `json:"score"`
	Message      string   `json:"message"`
	Output       string   `json:"output"`
	FormatErrors []string `json:"format_errors,omitempty"`
	Tests        []plTest `json:"tests"`
}

type plTest struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Points      float64 `json:"points"`
	MaxPoints   float64 `json:"max_points"`
	Message     string  `json:"message"`
	Output      string  `json:"output"`
}

// writePrairieLearn writes what the student sees in PrairieLearn: the tests
// of the checks they may see (res is the student's view unless the grader's
// was asked for), but the score of every check, hidden ones too (opt.full):
// PrairieLearn shows every test it is given, and the score is the grade.
//
// A run that says nothing about the submission (lab-error, not-graded, the
// machine failed) is not gradable: PrairieLearn then awards and takes no
// points and does not count the attempt, and format_errors says why.
func writePrairieLearn(w io.Writer, res *result.Result, opt Options) error {
	full := res
	if opt.full != nil {
		full = opt.full
	}
	out := plResults{Gradable: true, Tests: make([]plTest, 0, len(res.Checks))}
	if full.MaxScore > 0 {
		out.Score = math.Max(0, math.Min(1, full.Score/full.MaxScore))
	} else if full.Status == result.StatusPassed {
		out.Score = 1
	}
	out.Message = summary(res)
	if w := opt.withheld; w.checks > 0 {
		out.Message += fmt.Sprintf("\n%d more %s (%s %s) %s graded but not shown here; the score counts every check: %s/%s in all.",
			w.checks, words.Plural(w.checks, "check", "checks"), fmtPoints(w.points), pointsWord(w.points), words.Plural(w.checks, "is", "are"),
			fmtPoints(full.Score), fmtPoints(full.MaxScore))
	}
	out.Output = res.Output.Text
	switch full.Status {
	case result.StatusLabError, result.StatusNotGraded, result.StatusError:
		out.Gradable, out.Score = false, 0
		out.FormatErrors = []string{full.Status.String() + ": " + res.Reason}
	}
	for _, c := range res.Checks {
		out.Tests = append(out.Tests, plTest{
			Name: c.Name, Description: c.Kind + " check, " + c.Status.String(),
			Points: c.Points, MaxPoints: c.MaxPoints, Message: details(c),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
