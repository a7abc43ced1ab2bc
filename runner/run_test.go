package runner_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
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
	lab, err := runner.Load(filepath.Join("testdata", "run", name))
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
		packets int           // frames in the capture: at least this many; -1: any
		status  result.Status // StatusUnset: passed
		events  string        // events.jsonl contains it
	}{
		{"http", 9, result.StatusUnset, ""}, // handshake, request, response, ack, FIN, FIN, ack; separate ACKs as timing has it
		{"services", -1, result.StatusUnset, ""},
		{"outside", -1, result.StatusUnset, ""},
		{"sockets", -1, result.StatusUnset, ""},
		{"lua", -1, result.StatusUnset, ""},
		{"replay", -1, result.StatusUnset, ""},
		{"killed", -1, result.StatusTimeout, "about to hang"},
	}
	for _, tt := range tests {
		t.Run(tt.lab, func(t *testing.T) {
			run, err := runner.Run(context.Background(), load(t, tt.lab), runner.RunOptions{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			res := run.Result
			want := tt.status
			if want == result.StatusUnset {
				want = result.StatusPassed
			}
			if res.Status != want || res.Score != res.MaxScore {
				rep, _ := os.ReadFile(filepath.Join(run.Dir, runner.ReportFile))
				out, _ := os.ReadFile(filepath.Join(run.Dir, sandbox.OutputFile))
				t.Fatalf("status %s, score %v of %v\n%s\noutput:\n%s", res.Status, res.Score, res.MaxScore, rep, out)
			}
			for _, f := range []string{sandbox.CaptureFile, sandbox.OutputFile, sandbox.EventsFile, runner.ResultFile, runner.ReportFile} {
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
			// How many bare ACKs a conversation has depends on timing
			// (delayed ACKs on a busy machine: 11 frames instead of 10 once),
			// so the count is a floor and the conversation is checked by
			// what is in it: one of each, nothing but the filter's port.
			if tt.packets >= 0 && len(pkts) < tt.packets {
				t.Errorf("%d packets in the capture, want at least %d", len(pkts), tt.packets)
			}
			if tt.lab == "http" {
				for filter, want := range map[string]int{
					"tcp.flags.syn == 1 && tcp.flags.ack == 0": 1,
					"http.request.method == \"GET\"":           1,
					"http.response.code == 200":                1,
					"tcp.flags.fin == 1":                       2,
					"tcp.flags.reset == 1":                     0,
					"!(tcp.port == 80)":                        0,
				} {
					f, err := capture.Compile(filter)
					if err != nil {
						t.Fatal(err)
					}
					n := 0
					for _, p := range pkts {
						if f.Match(p) {
							n++
						}
					}
					if n != want {
						t.Errorf("%d frames match %s, want %d (of %d frames)", n, filter, want, len(pkts))
					}
				}
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
	runs := make([]*runner.Finished, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i], errs[i] = runner.Run(context.Background(), lab, runner.RunOptions{Dir: t.TempDir()})
		}()
	}
	wg.Wait()
	ports := map[string]bool{}
	respBytes := map[int]bool{}
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
		// The conversation, whole and alone: one handshake, the request's
		// bytes, the response's bytes (the same in every run), one FIN each
		// way. Not a packet count: whether the client's kernel acknowledges
		// the server's FIN by itself or with its own FIN depends on how soon
		// the script closes, and under load it was 11 packets, not 10. A
		// packet of another run adds a handshake, bytes or a FIN. A
		// segment sent again (a FIN retransmitted when the ACK came late
		// under load: 12 packets, two server FINs, once in CI) counts once:
		// segments are counted by their sequence number.
		var conv struct{ syn, synAck, reqBytes, respBytes, clientFin, serverFin int }
		seen := map[string]bool{}
		for _, p := range pkts {
			if s := p.Strings("tcp.stream"); len(s) != 1 || s[0] != "0" {
				t.Errorf("run %d: packet of another conversation: %s", i, p.Line())
			}
			field := func(name string) string { return strings.Join(p.Strings(name), ",") }
			fromClient := field("tcp.dstport") == "80"
			n, _ := strconv.Atoi(field("tcp.len"))
			key := fmt.Sprint(fromClient, field("tcp.seq"), field("tcp.flags"), n)
			if seen[key] {
				continue
			}
			seen[key] = true
			switch {
			case field("tcp.flags.syn") == "1" && field("tcp.flags.ack") == "0":
				conv.syn++
			case field("tcp.flags.syn") == "1":
				conv.synAck++
			case fromClient:
				conv.reqBytes += n
			default:
				conv.respBytes += n
			}
			if field("tcp.flags.fin") == "1" {
				if fromClient {
					conv.clientFin++
				} else {
					conv.serverFin++
				}
			}
		}
		if conv.syn != 1 || conv.synAck != 1 || conv.clientFin != 1 || conv.serverFin != 1 || conv.reqBytes != 60 || conv.respBytes == 0 {
			t.Errorf("run %d: %+v in %d packets, want one SYN, SYN-ACK and FIN each way, a 60-byte request and a response", i, conv, len(pkts))
		}
		respBytes[conv.respBytes] = true
		port := pkts[0].Strings("tcp.srcport")
		ports[strings.Join(port, "")] = true
	}
	if len(respBytes) != 1 {
		t.Errorf("the response's bytes differ between runs: %v", respBytes)
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
		run, err := runner.Run(context.Background(), load(t, "sockets"), runner.RunOptions{Submission: sub, Dir: filepath.Join(dir, fmt.Sprint(i))})
		if err != nil {
			t.Fatal(err)
		}
		if run.Result.Exit.Reason != result.ExitSockets {
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
	run, err := runner.Run(context.Background(), load(t, "http"), runner.RunOptions{Dir: t.TempDir(), Isolation: sandbox.IsolationNone})
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Warnings) == 0 || !strings.Contains(run.Warnings[0], "without isolation") {
		t.Errorf("warnings: %q", run.Warnings)
	}
	for _, c := range run.Result.Checks {
		want := result.CheckPass
		if c.Name == "from the client's address" {
			want = result.CheckFail // 10.0.0.10 is 127.0.0.3 here
		}
		if c.Status != want {
			t.Errorf("check %q: %s, want %s (%s)", c.Name, c.Status, want, c.Message)
		}
	}
}

// TestClientServices runs a lab whose services are clients of the
// submission's server (connect: instead of listen:). The clients connect from
// their own hosts; the run ends normally soon after they finish, at the
// deadline when nothing ever listens, and with the submission when it ends
// first; a client's failure is in services.log and events.jsonl.
func TestClientServices(t *testing.T) {
	needRoot(t)
	const upper = `local socket = require("socket")
local server = assert(socket.bind("*", lab.args.port))
while true do
  local c = assert(server:accept())
  c:settimeout(5)
  for line in function() return c:receive("*l") end do c:send(line:upper() .. "\n") end
  c:close()
end`
	tests := []struct {
		name     string
		sub      string        // "" for the lab's solution
		timeout  time.Duration // replaces the lab's 20s when set
		exit     result.ExitReason
		status   result.Status
		maxDur   time.Duration // the run's duration is under it: well under the lab's 20 s, so it did not wait for the deadline (runs take under a second; 5 s was a timing on a loaded machine)
		syns     map[string]int
		events   []string // events.jsonl contains each
		log      []string // services.log contains each
		notes    []string // the result's notes contain each
		resets   bool     // RSTs in the capture are expected
		notEvent string   // events.jsonl must not contain it
	}{
		{
			name: "solution", exit: result.ExitOK, status: result.StatusPassed, maxDur: 15 * time.Second,
			syns:     map[string]int{"10.0.0.60": 2, "10.0.0.70": 1},
			events:   []string{`"kind":"service","name":"tester","ok":true`, `"kind":"service","name":"observer","ok":true`, "tester done"},
			log:      []string{"tester: connection 1 to server:7000 from 10.0.0.60", "observer: connection 1 to server:7000 from 10.0.0.70", "tester: finished"},
			notEvent: `"kind":"service","name":"tester","ok":false`,
		},
		{
			// The client waits for the listener instead of meeting a refusal:
			// no SYN before the server listens, no RST.
			name: "late listener", sub: "local socket = require('socket')\nsocket.sleep(0.3)\n" + upper,
			exit: result.ExitOK, status: result.StatusPassed, maxDur: 15 * time.Second,
			syns: map[string]int{"10.0.0.60": 2, "10.0.0.70": 1},
			log:  []string{"tester: waiting for the submission to listen on server:7000"},
		},
		{
			name: "never listens", sub: "local socket = require('socket')\nwhile true do socket.sleep(0.05) end",
			timeout: 2 * time.Second, exit: result.ExitTimeout, status: result.StatusTimeout,
			syns:   map[string]int{},
			events: []string{`"name":"tester","ok":false,"message":"did not finish by the run's deadline: could not connect to server:7000: nothing listened there`},
			log:    []string{"tester: failed: did not finish by the run's deadline"},
			notes:  []string{`the lab's client "tester": did not finish by the run's deadline: could not connect to server:7000: nothing listened there`},
		},
		{
			name: "wrong answers", sub: strings.ReplaceAll(upper, "line:upper()", "line"),
			exit: result.ExitOK, status: result.StatusFailed, maxDur: 15 * time.Second,
			syns:   map[string]int{"10.0.0.60": 1, "10.0.0.70": 1},
			events: []string{`"name":"tester","ok":false,"message":"answer ping 1"`, `observer.lua:5: assertion failed!`},
			log:    []string{"tester: failed: answer ping 1"},
			notes:  []string{`the lab's client "tester": answer ping 1`, `the lab's client "observer": `},
		},
		{
			name: "submission ends first",
			sub:  strings.Replace(upper, "while true do", "for _ = 1, 1 do", 1),
			exit: result.ExitOK, status: result.StatusFailed, maxDur: 15 * time.Second,
			events: []string{"the submission ended before the client finished"},
			notes:  []string{"the submission ended before the client finished"},
			resets: true, // a client queued on the listener when the script ends is reset
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lab := load(t, "client")
			if tt.timeout > 0 {
				lab.Limits.Timeout = tt.timeout
			}
			dir := t.TempDir()
			sub := ""
			if tt.sub != "" {
				sub = filepath.Join(dir, "sub.lua")
				os.WriteFile(sub, []byte(tt.sub), 0o644)
			}
			run, err := runner.Run(context.Background(), lab, runner.RunOptions{Submission: sub, Dir: filepath.Join(dir, "run")})
			if err != nil {
				t.Fatal(err)
			}
			res := run.Result
			svclog, _ := os.ReadFile(filepath.Join(run.Dir, sandbox.ServiceLog))
			ev, _ := os.ReadFile(filepath.Join(run.Dir, sandbox.EventsFile))
			if res.Exit.Reason != tt.exit || res.Status != tt.status {
				rep, _ := os.ReadFile(filepath.Join(run.Dir, runner.ReportFile))
				t.Fatalf("exit %+v, status %s; want exit %q, status %s\n%s\nservices.log:\n%s", res.Exit, res.Status, tt.exit, tt.status, rep, svclog)
			}
			if d := time.Duration(res.Duration); tt.maxDur > 0 && d > tt.maxDur {
				t.Errorf("the run took %v, want under %v (the lab's timeout is %v)", d, tt.maxDur, lab.Limits.Timeout)
			}
			if tt.exit == result.ExitTimeout && time.Duration(res.Duration) < tt.timeout {
				t.Errorf("the run took %v, less than its %v deadline", time.Duration(res.Duration), tt.timeout)
			}
			for _, s := range tt.events {
				if !strings.Contains(string(ev), s) {
					t.Errorf("events.jsonl has no %q:\n%s", s, ev)
				}
			}
			if tt.notEvent != "" && strings.Contains(string(ev), tt.notEvent) {
				t.Errorf("events.jsonl has %q:\n%s", tt.notEvent, ev)
			}
			notes := strings.Join(res.Notes, "\n")
			for _, s := range tt.notes {
				if !strings.Contains(notes, s) {
					t.Errorf("the result's notes have no %q:\n%s", s, notes)
				}
			}
			if len(tt.notes) == 0 && notes != "" {
				t.Errorf("notes: %s", notes)
			}
			for _, s := range tt.log {
				if !strings.Contains(string(svclog), s) {
					t.Errorf("services.log has no %q:\n%s", s, svclog)
				}
			}
			pkts, err := capture.ReadFile(filepath.Join(run.Dir, sandbox.CaptureFile))
			if err != nil {
				t.Fatal(err)
			}
			syns := map[string]int{}
			for _, p := range pkts {
				flags := p.Strings("tcp.flags.str")
				if s := p.Strings("tcp.flags.syn"); len(s) == 1 && s[0] == "1" {
					if a := p.Strings("tcp.flags.ack"); len(a) == 1 && a[0] == "0" {
						if dst := p.Strings("tcp.dstport"); len(dst) != 1 || dst[0] != "7000" {
							t.Errorf("a SYN not to the server's port: %s", p.Line())
						}
						syns[strings.Join(p.Strings("ip.src"), "")]++
					}
				}
				if r := p.Strings("tcp.flags.reset"); !tt.resets && len(r) == 1 && r[0] == "1" {
					t.Errorf("a reset in the capture: %s %v", p.Line(), flags)
				}
			}
			if tt.syns != nil && !maps.Equal(syns, tt.syns) {
				t.Errorf("connections by source address: %v, want %v", syns, tt.syns)
			}
		})
	}
}

// TestLabError: a run whose lab service raises an error is graded lab-error,
// though its check passed: the report, result.json and the reason name the
// service and its error, and say the lab is at fault.
func TestLabError(t *testing.T) {
	needRoot(t)
	run, err := runner.Run(context.Background(), load(t, "laberror"), runner.RunOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Result
	if res.Status != result.StatusLabError || !strings.Contains(res.Reason, `the lab's service "broken" failed: handle: `) ||
		!strings.Contains(res.Reason, "attempt to index") || !strings.Contains(res.Reason, "not the submission") {
		t.Fatalf("status %s, reason %q", res.Status, res.Reason)
	}
	if len(res.Checks) != 1 || res.Checks[0].Status != result.CheckPass {
		t.Errorf("the checks are still graded for the grader: %+v", res.Checks)
	}
	rep, _ := os.ReadFile(filepath.Join(run.Dir, runner.ReportFile))
	js, _ := os.ReadFile(filepath.Join(run.Dir, runner.ResultFile))
	if !strings.Contains(string(rep), "lab-error") || !strings.Contains(string(rep), `the lab's service "broken" failed`) {
		t.Errorf("report.txt:\n%s", rep)
	}
	if !strings.Contains(string(js), `"status": "lab-error"`) {
		t.Errorf("result.json:\n%s", js)
	}
	// A client service whose run raises is the lab's fault too; a client
	// that returns false (a wrong answer) is not (TestClientServices).
	cl, err := runner.Run(context.Background(), load(t, "clienterror"), runner.RunOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if r := cl.Result; r.Status != result.StatusLabError || !strings.Contains(r.Reason, `the lab's service "tester" failed: run: `) ||
		!strings.Contains(r.Reason, "attempt to index") || len(r.Checks) != 1 || r.Checks[0].Status != result.CheckPass {
		t.Errorf("client that raises: status %s, reason %q, checks %+v", r.Status, r.Reason, r.Checks)
	}
	// A client's own error() is its verdict, even in the words of a Lua
	// runtime error: lualib tells them apart by the value raised.
	verdict, err := runner.Load(filepath.Join("testdata", "run", "clienterror", "verdict.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cv, err := runner.Run(context.Background(), verdict, runner.RunOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if r := cv.Result; r.Status == result.StatusLabError || !slices.ContainsFunc(r.Notes, func(n string) bool {
		return strings.Contains(n, "attempt to ping the server: got PING, want pong")
	}) {
		t.Errorf("client whose error() says \"attempt to\": status %s, reason %q, notes %q; want no lab-error, the verdict a note", r.Status, r.Reason, r.Notes)
	}
	// The reference of a sound lab is no lab error.
	ok, err := runner.Run(context.Background(), load(t, "lua"), runner.RunOptions{Dir: t.TempDir()})
	if err != nil || ok.Result.Status != result.StatusPassed {
		t.Fatalf("lua lab: %v %+v", err, ok)
	}
}
