package runner_test

import (
	"context"
	"testing"

	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestServicesFinishInFlight: a submission that sends its questions and
// leaves at once still sees every one answered: the run ends once the lab's
// services have answered what reached them, not in the middle of an answer.
// Run it with -count to see that the same run scores the same every time.
func TestServicesFinishInFlight(t *testing.T) {
	needRoot(t)
	run, err := runner.Run(context.Background(), load(t, "inflight"), runner.RunOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Result
	for _, c := range res.Checks {
		if c.Status != result.CheckPass {
			t.Errorf("check %q: %s: %s", c.Name, c.Status, c.Message)
		}
	}
	if res.Status != result.StatusPassed {
		t.Errorf("status %s (%s), want passed", res.Status, res.Reason)
	}
}
