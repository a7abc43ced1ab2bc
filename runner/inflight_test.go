package runner_test

import (
	"context"
	"path/filepath"
	"strings"
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

// TestServiceStillBusyIsCut: a service whose handle never returns, even once
// its client has gone, is stopped 5 s after the run and the run is graded
// lab-error naming it: what it would have sent is not the student's doing.
func TestServiceStillBusyIsCut(t *testing.T) {
	needRoot(t)
	lab, err := runner.Load(filepath.Join("testdata", "run", "inflight", "busy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.Run(context.Background(), lab, runner.RunOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Result
	if res.Status != result.StatusLabError || !strings.Contains(res.Reason, `the lab's service "stuck" failed: still answering 5s after the run ended, and stopped`) {
		t.Errorf("status %s, reason %q; want lab-error naming the stuck service", res.Status, res.Reason)
	}
	if len(res.Checks) != 1 || res.Checks[0].Status != result.CheckPass {
		t.Errorf("the checks are still graded for the grader: %+v", res.Checks)
	}
}

// TestBuiltinServicesFinishInFlight: the built-in kinds (http, udp-echo,
// tcp-echo) answer what reached them before the run ended too: a client
// that sends 20 datagrams, 5 requests and a line and leaves at once sees
// each answered, every run (each failed most runs when Close cut them).
func TestBuiltinServicesFinishInFlight(t *testing.T) {
	needRoot(t)
	lab, err := runner.Load(filepath.Join("testdata", "run", "inflight", "builtin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		run, err := runner.Run(context.Background(), lab, runner.RunOptions{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range run.Result.Checks {
			if c.Status != result.CheckPass {
				t.Errorf("run %d: check %q: %s: %s", i+1, c.Name, c.Status, c.Message)
			}
		}
	}
}

// TestBuiltinServiceFailsToStart: a built-in service that cannot start in
// the lab's network (here a second server on a port taken, which `check`
// refuses in a lab file but a lab built in Go can still say) is the lab's
// fault: lab-error naming the service and why, not a machine's error.
func TestBuiltinServiceFailsToStart(t *testing.T) {
	needRoot(t)
	lab, err := runner.Load(filepath.Join("testdata", "run", "inflight", "builtin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dup := lab.Services[0]
	dup.Name, dup.Kind, dup.Routes = "second", "tcp-echo", nil
	lab.Services = append(lab.Services, dup)
	run, err := runner.Run(context.Background(), lab, runner.RunOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Result
	if res.Status != result.StatusLabError || !strings.Contains(res.Reason, `the lab's service "second" failed: did not start: listen tcp 10.0.0.80:80: bind: address already in use`) {
		t.Errorf("status %s, reason %q; want lab-error naming the service and the address in use", res.Status, res.Reason)
	}
}
