package report

import (
	"encoding/json"
	"io"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// GitHub Classroom's autograding result (the shape its runners report and the
// grading reporter reads).
type ghResult struct {
	Version  int      `json:"version"`
	Status   string   `json:"status"` // pass, fail or error
	MaxScore float64  `json:"max_score"`
	Tests    []ghTest `json:"tests"`
	// Outcome names the run's status (passed, failed, timeout, lab-error,
	// not-graded, error), which GitHub's three statuses cannot tell apart,
	// and Ended how the submission ended (ok, error, timeout, memory,
	// output, sockets, processes, crash; absent when it did not run);
	// Reason says why a run was neither passed nor failed. GitHub's reporter
	// ignores keys it does not know.
	Outcome string `json:"outcome"`
	Ended   string `json:"ended,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

type ghTest struct {
	Name     string  `json:"name"`
	Status   string  `json:"status"` // pass, fail or error
	Message  string  `json:"message"`
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
}

func writeGitHub(w io.Writer, res *result.Result, _ Options) error {
	out := ghResult{Version: 1, MaxScore: res.MaxScore, Tests: make([]ghTest, 0, len(res.Checks))}
	switch res.Status {
	case result.StatusPassed:
		out.Status = "pass"
	case result.StatusError, result.StatusLabError, result.StatusNotGraded:
		out.Status = "error"
	default:
		out.Status = "fail"
	}
	out.Outcome = res.Status.String()
	if res.Status != result.StatusPassed && res.Status != result.StatusFailed {
		out.Reason = res.Reason
	}
	if res.Status != result.StatusNotGraded {
		out.Ended = res.Exit.Reason.String()
	}
	for _, c := range res.Checks {
		st := "fail"
		switch c.Status {
		case result.CheckPass:
			st = "pass"
		case result.CheckError:
			st = "error"
		}
		out.Tests = append(out.Tests, ghTest{Name: c.Name, Status: st, Message: details(c), Score: c.Points, MaxScore: c.MaxPoints})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
