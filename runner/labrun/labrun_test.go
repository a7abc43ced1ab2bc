package labrun

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/sandbox"
)

func TestMain(m *testing.M) {
	if sandbox.IsWorker() {
		os.Exit(sandbox.WorkerMain())
	}
	os.Exit(m.Run())
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set: this sandbox test needs root (or user namespaces) and may not skip")
		}
		if _, err := os.Stat("/proc/self/ns/user"); err != nil {
			t.Skip("no namespaces")
		}
	}
}

func load(t *testing.T, name string) *runner.Lab {
	t.Helper()
	lab, err := runner.Load(filepath.Join("..", "testdata", "run", name))
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

func TestHTTPLabFullMarks(t *testing.T) {
	needRoot(t)
	lab := load(t, "http")
	run, err := Execute(context.Background(), lab, Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Result
	rep, _ := os.ReadFile(filepath.Join(run.Dir, ReportFile))
	if !res.Passed() || res.Score != res.MaxScore {
		t.Fatalf("status %s, score %v of %v, exit %+v\n%s", res.Status, res.Score, res.MaxScore, res.Exit, rep)
	}
	for _, f := range []string{sandbox.CaptureFile, sandbox.OutputFile, sandbox.EventsFile, ResultFile, ReportFile} {
		if _, err := os.Stat(filepath.Join(run.Dir, f)); err != nil {
			t.Errorf("artifact: %v", err)
		}
	}
	if !strings.Contains(string(rep), "run-http") {
		t.Logf("report:\n%s", rep)
	}
}

func TestKeep(t *testing.T) {
	if os.Getenv("R2_KEEP") == "" {
		t.Skip()
	}
	run, err := Execute(context.Background(), load(t, os.Getenv("R2_KEEP")), Options{Dir: "/tmp/r2keep"})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(run.Dir)
}
