package runner_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestLuaServiceNeverListens: a lab whose lua service cannot listen (its
// script loops, raises before the service listens, defines no handle, or
// serves on a port of its own) is graded lab-error, naming the service and
// why, after the service's own deadline (5s, said in the reason) rather than
// the run's 15 s setup deadline, and not a run that could not be carried out.
func TestLuaServiceNeverListens(t *testing.T) {
	needRoot(t)
	tests := []struct {
		lab, service, why string
	}{
		{"loop", "greeter", "did not listen on 10.0.0.5:5000 within 5s: the top level of loop.lua was still running (a loop, or a server of its own?"},
		{"raises", "greeter", "raises.lua:2: attempt to index"},
		{"nohandle", "greeter", "nohandle.lua does not define function handle(conn)"},
		{"ownserver", "greeter", "did not listen on 10.0.0.5:5000 within 5s: the top level of ownserver.lua was still running"},
		{"clientloop", "tester", "the top level of clientloop.lua did not return within 5s (a loop?"},
	}
	for _, tt := range tests {
		t.Run(tt.lab, func(t *testing.T) {
			t.Parallel()
			lab, err := runner.Load(filepath.Join("testdata", "run", "nobind", tt.lab+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			run, err := runner.Run(context.Background(), lab, runner.RunOptions{Dir: t.TempDir()})
			if err != nil {
				t.Fatalf("want a lab-error result, got the error %v", err)
			}
			res := run.Result
			want := `the lab's service "` + tt.service + `" failed: did not start: `
			if res.Status != result.StatusLabError || !strings.Contains(res.Reason, want) || !strings.Contains(res.Reason, tt.why) {
				t.Fatalf("status %s, reason %q\nwant lab-error, reason with %q and %q", res.Status, res.Reason, want, tt.why)
			}
			if res.Exit.Reason != result.ExitError || !strings.Contains(res.Exit.Message, "the submission was not run") {
				t.Errorf("exit %+v: want error, the submission was not run", res.Exit)
			}
			rep, _ := os.ReadFile(filepath.Join(run.Dir, runner.ReportFile))
			if !strings.Contains(string(rep), "lab-error") || !strings.Contains(string(rep), want) {
				t.Errorf("report.txt:\n%s", rep)
			}
			log, _ := os.ReadFile(filepath.Join(run.Dir, "services.log"))
			if !strings.Contains(string(log), tt.service+": did not start: ") {
				t.Errorf("services.log:\n%s", log)
			}
		})
	}
}
