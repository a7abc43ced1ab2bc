package labs

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// verifyEqualsRun is the property that `wirelab verify LAB capture.pcapng
// --output output.txt` of a run's own capture gives the run's verdict: the
// same checks with the same status, points, message and evidence frames, and
// the same status from the checks. TestCatalogueRuns asserts it for every
// catalogue lab's reference and recorded submissions. (What verify cannot
// know, how the script ended and the lab.log events, no catalogue check
// reads; a run whose build failed has no verdict in its capture.)
func verifyEqualsRun(t *testing.T, lab *runner.Lab, run *runner.Finished) {
	t.Helper()
	if run.Result.Exit.Build {
		return // the program never ran: its verdict is the build's, which no capture holds
	}
	art := run.Result.Artifacts
	if art.Capture == "" {
		t.Errorf("the run left no capture to verify")
		return
	}
	// What the verify command builds from its arguments.
	got, err := runner.Evaluate(context.Background(), lab, result.Artifacts{Capture: art.Capture, Output: art.Output, Submission: art.Capture})
	if err != nil {
		t.Errorf("verify of the run's capture: %v", err)
		return
	}
	if d := verdictDiff(run.Result, got); d != "" {
		t.Errorf("verify of the run's own capture differs from the run:\n%s", d)
	}
}

// verdictDiff says how two results' checks differ; "" when they agree.
func verdictDiff(run, verify *result.Result) string {
	if len(run.Checks) != len(verify.Checks) {
		return fmt.Sprintf("%d checks in the run, %d in verify", len(run.Checks), len(verify.Checks))
	}
	var d string
	for i, r := range run.Checks {
		v := verify.Checks[i]
		if r.Name != v.Name || r.Status != v.Status || r.Points != v.Points || r.Message != v.Message || !slices.Equal(r.Evidence, v.Evidence) {
			d += fmt.Sprintf("check %q:\n  run:    %s %g %q frames %v\n  verify: %s %g %q frames %v\n",
				r.Name, r.Status, r.Points, r.Message, r.Evidence, v.Status, v.Points, v.Message, v.Evidence)
		}
	}
	rs, _ := result.ChecksStatus(run.Checks)
	vs, _ := result.ChecksStatus(verify.Checks)
	if d == "" && (rs != vs || run.Score != verify.Score) {
		d = fmt.Sprintf("run %s %g, verify %s %g", rs, run.Score, vs, verify.Score)
	}
	return d
}
