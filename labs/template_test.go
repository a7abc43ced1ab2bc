package labs_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/wirelab-dev/wirelab/cli"
	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/labs"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestInitTemplateRuns checks the promise of `wirelab init`: the new lab passes
// `wirelab check` and its reference solution passes `wirelab run`. It lives
// here, beside the catalogue runs, because this test binary is also the
// sandbox's worker (TestMain in run_test.go).
func TestInitTemplateRuns(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := cli.Run([]string{"init", "fresh-lab", "--dir", dir}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("wirelab init: exit %d: %s", code, stderr.String())
	}
	target := filepath.Join(dir, "fresh-lab")
	stdout.Reset()
	stderr.Reset()
	if code := cli.Run([]string{"check", target}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("wirelab check: exit %d:\n%s%s", code, stdout.String(), stderr.String())
	}
	if !labs.LabsCanRun(t) {
		return
	}
	lab, err := runner.Load(target)
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.Run(context.Background(), lab, runner.RunOptions{Dir: t.TempDir(), Isolation: sandbox.IsolationNamespace})
	if err != nil {
		t.Fatalf("the run could not be carried out: %v", err)
	}
	if res := run.Result; res.Status != result.StatusPassed || res.Score != res.MaxScore {
		for _, c := range res.Checks {
			t.Logf("%s: %s %s", c.Name, c.Status, c.Message)
		}
		t.Errorf("the template's solution scored %g/%g (%s), want full marks", res.Score, res.MaxScore, res.Status)
	}
}
