package labs

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
)

// The catalogue's checks cannot be fooled: `wirelab check` has no warning for
// any catalogue lab (every packet check pins who sends to whom, every none
// check requires work done first), and a submission that does nothing earns
// nothing.
func TestCatalogueCannotBeSpoofed(t *testing.T) {
	for _, dir := range catalogue(t) {
		lab, err := runner.Load(dir)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, w := range runner.Lint(lab) {
			t.Errorf("%s", w)
		}
	}
}

func TestEmptySubmissionEarnsNothing(t *testing.T) {
	needSandbox(t)
	if testing.Short() {
		t.Skip("-short: the catalogue runs take a while")
	}
	empty := filepath.Join(t.TempDir(), "empty.lua")
	if err := os.WriteFile(empty, []byte("-- nothing at all\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range catalogue(t) {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			lab, err := runner.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			run, err := runner.Run(context.Background(), lab, runner.RunOptions{Submission: empty, Dir: t.TempDir(), Isolation: sandbox.IsolationNamespace})
			if err != nil {
				t.Fatalf("the run could not be carried out: %v", err)
			}
			if run.Result.Score != 0 {
				t.Errorf("an empty submission scored %v/%v:\n%s", run.Result.Score, run.Result.MaxScore, describe(run.Result, ""))
			}
		})
	}
}
