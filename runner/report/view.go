package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// A report is read by a student or by a grader. Which checks a student may see
// is decided here, once, for every format: WriteOptions hands a student-facing
// format (text, html, tap, junit, github) the student's view of a result unless
// Options.Grader is set. json is the grader's record and always has every
// check; gradescope has every check, each marked with its visibility, because
// Gradescope itself hides them (and shows after_due_date ones after the due
// date, which a local report cannot know).

// studentSees reports whether a student sees check c in a student-facing
// report: only a visible one. Hidden checks, and those shown after a due date
// or publication, are left out entirely.
func studentSees(c result.CheckResult) bool {
	return c.Visibility == "" || c.Visibility == result.Visible
}

// studentSeesAt is studentSees for a run of a lab due at due (nil: no due
// date) at time now: an after_due_date check is seen once the due date has
// passed, as Gradescope shows it. after_published stays out: publishing is
// the grading platform's act, which a local report cannot know.
func studentSeesAt(c result.CheckResult, due *time.Time, now time.Time) bool {
	if c.Visibility == result.AfterDueDate && due != nil && !now.Before(*due) {
		return true
	}
	return studentSees(c)
}

// withheld counts what the student's view leaves out.
type withheld struct {
	checks int
	points float64
}

// sentence says what was left out, for the bottom of a report; "" when nothing was.
func (w withheld) sentence() string {
	if w.checks == 0 {
		return ""
	}
	return fmt.Sprintf("%d more %s (%s %s) %s graded but not shown here; the score above counts only the checks shown.",
		w.checks, words.Plural(w.checks, "check", "checks"), fmtPoints(w.points), pointsWord(w.points), words.Plural(w.checks, "is", "are"))
}

// studentView returns res as a student sees it: the checks studentSees, the
// score over them, and a status and reason that speak only of them (a hidden
// check that failed or could not be evaluated is not named). How the script
// ended, a lab error and a run not graded are kept: they are about the run,
// not a check. res itself is returned when nothing is withheld.
func studentView(res *result.Result, now time.Time) (*result.Result, withheld) {
	if now.IsZero() {
		now = time.Now()
	}
	sees := func(c result.CheckResult) bool { return studentSeesAt(c, res.Lab.Due, now) }
	var w withheld
	for _, c := range res.Checks {
		if !sees(c) {
			w.checks++
			w.points += c.MaxPoints
		}
	}
	if w.checks == 0 {
		return res, w
	}
	out := *res
	out.Checks = make([]result.CheckResult, 0, len(res.Checks)-w.checks)
	out.Score, out.MaxScore = 0, 0
	for _, c := range res.Checks {
		if sees(c) {
			out.Checks = append(out.Checks, c)
			out.Score += c.Points
			out.MaxScore += c.MaxPoints
		}
	}
	switch res.Status {
	case result.StatusPassed, result.StatusFailed:
		out.Status, out.Reason = result.ChecksStatus(out.Checks)
	case result.StatusLabError:
		// A lab error stays one; a reason naming a withheld check does not.
		for _, c := range res.Checks {
			if !sees(c) && c.Status == result.CheckError && strings.Contains(res.Reason, fmt.Sprintf("check %q", c.Name)) {
				out.Reason = "a check could not be evaluated (the lab is at fault, not the submission: it is graded again once the lab is fixed)"
				break
			}
		}
	}
	return &out, w
}
