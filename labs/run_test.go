package labs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestMain lets this test binary serve as the sandbox's worker: runs re-execute
// it inside the lab's network namespace.
func TestMain(m *testing.M) {
	if sandbox.IsWorker() {
		os.Exit(sandbox.WorkerMain())
	}
	os.Exit(m.Run())
}

// labsCanRun is needSandbox for the external test package, where a test
// that cannot run labs skips only its run part.
var labsCanRun = func(t *testing.T) bool { needSandbox(t); return true }

// needSandbox skips a test that runs labs where namespaces are out of reach,
// and fails it in CI, where they must work.
func needSandbox(t *testing.T) {
	t.Helper()
	why := ""
	switch {
	case runtime.GOOS != "linux":
		why = "lab runs need Linux network namespaces"
	case os.Geteuid() != 0:
		if _, err := os.Stat("/proc/self/ns/user"); err != nil {
			why = "lab runs need root or user namespaces"
		}
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s, and CI is set: the catalogue must run in CI", why)
	}
	t.Skip(why)
}

// outcome is what a run gave, in the terms of an expectation.
func outcome(res *result.Result) expectation {
	got := expectation{Score: res.Score, MaxScore: res.MaxScore, Status: res.Status.String(), Checks: map[string]string{}}
	for _, c := range res.Checks {
		got.Checks[c.Name] = c.Status.String()
	}
	return got
}

// describe prints a run's outcome as an expect file would hold it, plus the
// message of each check that did not pass: what to paste, or what to fix.
func describe(res *result.Result, dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "score: %g\nmax_score: %g\nstatus: %s\nchecks:\n", res.Score, res.MaxScore, res.Status)
	if res.Reason != "" || res.Exit.Reason != result.ExitOK {
		fmt.Fprintf(&b, "# reason: %s; exit: %s %s\n", res.Reason, res.Exit.Reason, res.Exit.Message)
	}
	for _, c := range res.Checks {
		fmt.Fprintf(&b, "  %s: %s", c.Name, c.Status)
		if c.Status != result.CheckPass && c.Message != "" {
			fmt.Fprintf(&b, "    # %s", strings.ReplaceAll(c.Message, "\n", " | "))
		}
		b.WriteString("\n")
	}
	if data, err := os.ReadFile(filepath.Join(dir, "output.txt")); err == nil {
		lines := strings.SplitAfter(string(data), "\n")
		if len(lines) > 12 {
			lines = append(lines[:12], fmt.Sprintf("... (%d lines in all)\n", len(lines)))
		}
		fmt.Fprintf(&b, "output:\n%s", strings.Join(lines, ""))
	}
	return b.String()
}

// TestCatalogueRuns runs every lab's reference solution, which must get full
// marks, and every recorded submission, which must get exactly its recorded
// score and check outcomes; verifying each run's own capture must give the
// run's verdict (verifyEqualsRun). Labs run a few at a time, each in its own
// network namespace.
func TestCatalogueRuns(t *testing.T) {
	needSandbox(t)
	if testing.Short() {
		t.Skip("-short: the catalogue runs take a while")
	}
	type job struct {
		lab  string
		name string // "solution" for the reference
		sub  string // "" for the reference
		want *expectation
	}
	var jobs []job
	for _, dir := range catalogue(t) {
		jobs = append(jobs, job{lab: dir, name: "solution"})
		for _, ref := range references(t, dir) {
			jobs = append(jobs, job{lab: dir, name: filepath.Base(ref), sub: ref})
		}
		for _, s := range submissions(t, dir) {
			s := s
			jobs = append(jobs, job{lab: dir, name: s.name, sub: s.script, want: &s.want})
		}
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].lab < jobs[j].lab })

	// Runs are independent (a namespace each) but the machine is shared: a
	// handful at a time keeps the whole catalogue well under two minutes.
	sem := make(chan struct{}, 4)
	var mu sync.Mutex
	labsLoaded := map[string]*runner.Lab{}
	for _, j := range jobs {
		t.Run(j.lab+"/"+j.name, func(t *testing.T) {
			t.Parallel()
			needTools(t, j.sub)
			sem <- struct{}{}
			defer func() { <-sem }()
			mu.Lock()
			lab, ok := labsLoaded[j.lab]
			if !ok {
				var err error
				lab, err = runner.Load(j.lab)
				if err != nil {
					mu.Unlock()
					t.Fatalf("runner.Load: %v", err)
				}
				labsLoaded[j.lab] = lab
			}
			mu.Unlock()
			dir := t.TempDir()
			run, err := runner.Run(context.Background(), lab, runner.RunOptions{
				Submission: j.sub,
				Dir:        dir,
				Isolation:  sandbox.IsolationNamespace,
			})
			if err != nil {
				// A service kind the sandbox does not run yet is a gap in the
				// runner, not in the lab: say so, and fail only in CI.
				if msg := err.Error(); os.Getenv("CI") == "" && strings.Contains(msg, "not implemented yet") {
					t.Skipf("the runner cannot run this lab yet: %v", err)
				}
				t.Fatalf("the run could not be carried out: %v", err)
			}
			got := outcome(run.Result)
			verifyEqualsRun(t, lab, run)
			if testing.Verbose() {
				t.Logf("%s", describe(run.Result, dir))
			}
			if j.want == nil {
				if got.Score != got.MaxScore || got.Status != "passed" {
					t.Errorf("the reference solution must get full marks; got:\n%s", describe(run.Result, dir))
				}
				return
			}
			want := *j.want
			same := got.Score == want.Score && got.MaxScore == want.MaxScore && got.Status == want.Status && len(got.Checks) == len(want.Checks)
			for name, o := range want.Checks {
				same = same && got.Checks[name] == o
			}
			if !same {
				t.Errorf("the outcome differs from %s.expect.yaml; got:\n%s", j.name, describe(run.Result, dir))
			}
		})
	}
}
