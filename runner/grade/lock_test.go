//go:build unix

package grade

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// Two batches writing one class folder would delete each other's runs in
// progress: the second is refused, naming the first; once the first is done
// (or killed: an flock dies with its process), the folder is free again.
func TestOneBatchPerFolder(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockOut(dir)
	if err != nil {
		t.Fatal(err)
	}
	noRun := func(context.Context, *runner.Lab, string, string) (*result.Result, error) {
		t.Error("a submission was run while another batch held the folder")
		return nil, fmt.Errorf("unreachable")
	}
	lab := &runner.Lab{ID: "x", Dir: t.TempDir()}
	_, err = Grade(context.Background(), lab, []Submission{{ID: "alice", Entry: "alice.lua"}}, Options{Out: dir, Run: noRun})
	want := fmt.Sprintf("another wirelab grade (process %d) is writing to %q", os.Getpid(), dir)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("second batch: %v; want an error containing %q", err, want)
	}
	unlock()
	unlock2, err := lockOut(dir)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	unlock2()
}

func TestInterruptedError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	lab := &runner.Lab{ID: "x", Dir: t.TempDir()}
	_, err := Grade(ctx, lab, nil, Options{Out: t.TempDir(), Run: func(context.Context, *runner.Lab, string, string) (*result.Result, error) {
		return nil, fmt.Errorf("unreachable")
	}})
	if err == nil || strings.Contains(err.Error(), "context canceled") || !strings.Contains(err.Error(), "run the same command again") || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}
