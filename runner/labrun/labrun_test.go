package labrun

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wirelab-dev/wirelab/capture"
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

// TestLabs runs each fixture lab with its solution: every check must pass.
func TestLabs(t *testing.T) {
	needRoot(t)
	tests := []struct {
		lab     string
		packets int    // frames in the capture; -1: any
		status  string // "": passed
		events  string // events.jsonl contains it
	}{
		{"http", 10, "", ""}, // handshake, request, ack, response, ack, FIN, FIN, ack
		{"services", -1, "", ""},
		{"outside", -1, "", ""},
		{"sockets", -1, "", ""},
		{"lua", -1, "", ""},
		{"replay", -1, "", ""},
		{"killed", -1, runner.StatusTimeout, "about to hang"},
	}
	for _, tt := range tests {
		t.Run(tt.lab, func(t *testing.T) {
			run, err := Execute(context.Background(), load(t, tt.lab), Options{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			res := run.Result
			want := tt.status
			if want == "" {
				want = runner.StatusPassed
			}
			if res.Status != want || res.Score != res.MaxScore {
				rep, _ := os.ReadFile(filepath.Join(run.Dir, ReportFile))
				out, _ := os.ReadFile(filepath.Join(run.Dir, sandbox.OutputFile))
				t.Fatalf("status %s, score %v of %v\n%s\noutput:\n%s", res.Status, res.Score, res.MaxScore, rep, out)
			}
			for _, f := range []string{sandbox.CaptureFile, sandbox.OutputFile, sandbox.EventsFile, ResultFile, ReportFile} {
				if _, err := os.Stat(filepath.Join(run.Dir, f)); err != nil {
					t.Errorf("artifact: %v", err)
				}
			}
			ev, _ := os.ReadFile(filepath.Join(run.Dir, sandbox.EventsFile))
			if !strings.Contains(string(ev), tt.events) {
				t.Errorf("events.jsonl has no %q:\n%s", tt.events, ev)
			}
			pkts, err := capture.ReadFile(filepath.Join(run.Dir, sandbox.CaptureFile))
			if err != nil {
				t.Fatal(err)
			}
			if tt.packets >= 0 && len(pkts) != tt.packets {
				t.Errorf("%d packets in the capture, want %d", len(pkts), tt.packets)
			}
			for _, p := range pkts {
				if strings.Contains(string(p.Data), "wirelab-marker") {
					t.Errorf("a marker packet is in the capture: %s", p.Line())
				}
			}
		})
	}
}

// TestConcurrentRuns runs the same lab twice at once, on the same addresses
// and ports: each capture holds one conversation, its own.
func TestConcurrentRuns(t *testing.T) {
	needRoot(t)
	lab := load(t, "http")
	const n = 3
	runs := make([]*Run, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i], errs[i] = Execute(context.Background(), lab, Options{Dir: t.TempDir()})
		}()
	}
	wg.Wait()
	ports := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if !runs[i].Result.Passed() {
			t.Errorf("run %d: %s", i, runs[i].Result.Status)
		}
		pkts, err := capture.ReadFile(filepath.Join(runs[i].Dir, sandbox.CaptureFile))
		if err != nil {
			t.Fatal(err)
		}
		if len(pkts) != 10 {
			t.Errorf("run %d: %d packets, want 10", i, len(pkts))
		}
		for _, p := range pkts {
			if s := p.Strings("tcp.stream"); len(s) != 1 || s[0] != "0" {
				t.Errorf("run %d: packet of another conversation: %s", i, p.Line())
			}
		}
		port := pkts[0].Strings("tcp.srcport")
		ports[strings.Join(port, "")] = true
	}
	t.Logf("client ports: %v", ports)
}

// TestSocketsFastError: a script that opens connections as fast as it can and
// raises an error at the first refusal may end before the watcher looks; the
// run still ends for sockets, not for the error.
func TestSocketsFastError(t *testing.T) {
	needRoot(t)
	dir := t.TempDir()
	sub := filepath.Join(dir, "fast.lua")
	os.WriteFile(sub, []byte(`local socket = require("socket")
local held = {}
for i = 1, 100000 do
  local c, err = socket.connect("www.example.com", 7)
  if not c then error("connection " .. i .. ": " .. tostring(err)) end
  held[#held + 1] = c
end`), 0o644)
	for i := range 3 {
		run, err := Execute(context.Background(), load(t, "sockets"), Options{Submission: sub, Dir: filepath.Join(dir, fmt.Sprint(i))})
		if err != nil {
			t.Fatal(err)
		}
		if run.Result.Exit.Reason != "sockets" {
			t.Fatalf("run %d: exit %+v, want sockets", i, run.Result.Exit)
		}
	}
}

// TestIsolationNone: the explicit opt-out runs on the host's loopback with the
// lab's hosts mapped to 127.0.0.x, and says so.
func TestIsolationNone(t *testing.T) {
	needRoot(t)
	if os.Geteuid() != 0 {
		t.Skip("capturing on the host's loopback needs root")
	}
	run, err := Execute(context.Background(), load(t, "http"), Options{Dir: t.TempDir(), Isolation: sandbox.IsolationNone})
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Warnings) == 0 || !strings.Contains(run.Warnings[0], "without isolation") {
		t.Errorf("warnings: %q", run.Warnings)
	}
	for _, c := range run.Result.Checks {
		want := runner.CheckPass
		if c.Name == "from the client's address" {
			want = runner.CheckFail // 10.0.0.10 is 127.0.0.3 here
		}
		if c.Status != want {
			t.Errorf("check %q: %s, want %s (%s)", c.Name, c.Status, want, c.Message)
		}
	}
}
