package sandbox

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/runner/result"
)

func TestMain(m *testing.M) {
	if IsWorker() {
		os.Exit(WorkerMain())
	}
	if dir := os.Getenv("WIRELAB_TEST_RUNNER"); dir != "" {
		// A runner for TestKillRunner, killed with SIGKILL mid-run.
		Run(context.Background(), Config{Dir: dir, LabDir: dir, Hosts: labHosts, Source: "client",
			Script:   filepath.Join(dir, "submission.lua"),
			Services: []service.Spec{{Name: "echo", Kind: "tcp-echo", Listen: "www.example.com:7"}},
			Limits:   Limits{Timeout: 30 * time.Second}})
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// needNamespaces skips a test that needs network namespaces, or fails it in CI.
func needNamespaces(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		skipOrFail(t, "network namespaces need Linux")
	}
	if os.Geteuid() != 0 {
		if _, err := os.Stat("/proc/self/ns/user"); err != nil {
			skipOrFail(t, "no user namespaces")
		}
	}
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set: a sandbox test may not skip)", why)
	}
	t.Skip(why)
}

// script writes a Lua script into a temporary folder and returns its path.
func script(t *testing.T, dir, src string) string {
	t.Helper()
	p := filepath.Join(dir, "submission.lua")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var labHosts = []Host{
	{Name: "www.example.com", Addr: netip.MustParseAddr("10.0.0.80")},
	{Name: "client", Addr: netip.MustParseAddr("10.0.0.10")},
}

func run(t *testing.T, src string, lim Limits, mod ...func(*Config)) *Outcome {
	t.Helper()
	needNamespaces(t)
	dir := t.TempDir()
	cfg := Config{
		Dir:       dir,
		LabDir:    dir,
		Hosts:     labHosts,
		Script:    script(t, dir, src),
		Source:    "client",
		Limits:    lim,
		Grace:     time.Second,
		Isolation: IsolationAuto,
	}
	for _, m := range mod {
		m(&cfg)
	}
	out, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return out
}

// TestLimits runs scripts that hit each limit, and checks that the run ends
// with the limit's reason, within bounds, and that the parent is unharmed.
func TestLimits(t *testing.T) {
	goroutines := runtime.NumGoroutine()
	defer func() {
		// The parent is unharmed: no goroutine left behind by a killed worker.
		deadline := time.Now().Add(time.Minute) // a hang guard: the loop ends when they are gone
		for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > goroutines {
			t.Errorf("%d goroutines after the runs, %d before", n, goroutines)
		}
	}()
	tests := []struct {
		name   string
		src    string
		lim    Limits
		reason result.ExitReason
		msg    string
	}{
		{"finishes", `print("hello")`, Limits{Timeout: time.Minute}, result.ExitOK, ""},
		{"lua error", "local x = nil\nx.y = 1", Limits{Timeout: time.Minute}, result.ExitError, "submission.lua:2:"},
		{"huge error", `error(string.rep("e", 5e6))`, Limits{Timeout: time.Minute}, result.ExitError, "eeee [...]"},
		{"busy loop", `while true do end`, Limits{Timeout: 500 * time.Millisecond}, result.ExitTimeout, "deadline"},
		// Backtracking inside string.find (exponential in the pattern) watches
		// the deadline as the VM does; a pattern nested too deep is an error.
		{"string.find", `print(string.rep("a", 3000):find(string.rep("a-", 8) .. "b"))`,
			Limits{Timeout: 500 * time.Millisecond}, result.ExitTimeout, "deadline"},
		{"deep pattern", `print(string.find(string.rep("a", 3e4), string.rep("a?", 3e4) .. string.rep("a", 3e4)))`,
			Limits{Timeout: time.Minute}, result.ExitError, "pattern too complex"},
		// gopher-lua's parser has no nesting limit: a submission nested
		// 200,000 deep was parsed until the memory cap killed it (or the Go
		// stack overflowed); it is C Lua's syntax error now, in the worker
		// and in a loadstring it runs.
		{"deep nesting", "x = " + strings.Repeat("{", 2e5) + strings.Repeat("}", 2e5),
			Limits{Timeout: time.Minute}, result.ExitError, "submission.lua:1: chunk has too many syntax levels"},
		{"deep loadstring", `local f, e = loadstring(string.rep("(", 2e5), "=s") error(e, 0)`,
			Limits{Timeout: time.Minute}, result.ExitError, "s:1: chunk has too many syntax levels"},
		{"memory bomb", `local t = {} local s = string.rep("x", 1e6) for i = 1, 1e6 do t[i] = s .. i end`,
			Limits{Timeout: time.Minute, Memory: 64 << 20}, result.ExitMemory, "memory"},
		// Live data past three quarters of the cap makes the collector run
		// back to back before RSS reaches the cap: that is out of memory too.
		{"live data near the cap", `local t = {} local s = string.rep("x", 1e6) for i = 1, 104 do t[i] = s .. i end while true do end`,
			Limits{Timeout: time.Minute, Memory: 128 << 20}, result.ExitMemory, "live data"},
		{"one huge string", `local s = string.rep("x", 2e9) print(#s)`,
			Limits{Timeout: time.Minute, Memory: 64 << 20}, result.ExitMemory, "memory"},
		{"events flood", `while true do lab.log(string.rep("z", 100)) end`,
			Limits{Timeout: time.Minute, Output: 4096}, result.ExitOutput, "4096 bytes"},
		{"output flood", `while true do print(string.rep("y", 100)) end`,
			Limits{Timeout: time.Minute, Output: 4096}, result.ExitOutput, "4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			begin := time.Now()
			out := run(t, tt.src, tt.lim)
			took := time.Since(begin)
			t.Logf("%s: %s: %.200s after %v", tt.name, out.Exit.Reason, out.Exit.Message, took)
			if out.Exit.Reason != tt.reason || !strings.Contains(out.Exit.Message, tt.msg) {
				t.Errorf("exit %+v, want reason %q with %q", out.Exit, tt.reason, tt.msg)
			}
			if !out.Started {
				t.Errorf("the script never started")
			}
			// A Lua error comes with its stack, as C Lua prints it.
			if tb := out.Exit.Traceback; tt.name == "lua error" && (!strings.HasPrefix(tb, "stack traceback:\n\t") || !strings.Contains(tb, ": in main chunk\n\t[C]: ?")) {
				t.Errorf("traceback %q", tb)
			}
			if _, err := readCapture(out.Capture); err != nil {
				t.Errorf("capture: %v", err)
			}
		})
	}
	t.Run("packet flood", func(t *testing.T) {
		out := run(t, `local u = require("socket").udp()
while true do u:sendto(string.rep("p", 1000), "10.0.0.80", 9) end`, Limits{Timeout: time.Minute},
			func(c *Config) { c.MaxCapture = 64 << 10 })
		if out.Exit.Reason != result.ExitOutput || !strings.Contains(out.Exit.Message, "0.1 MiB of packets") {
			t.Errorf("exit %+v", out.Exit)
		}
		fi, err := os.Stat(out.Capture)
		if err != nil || fi.Size() > 80<<10 {
			t.Errorf("capture: %v, %d bytes", err, fi.Size())
		}
	})
	t.Run("capture on any", func(t *testing.T) {
		out := run(t, `print(require("socket").connect("10.0.0.80", 7) ~= nil)`, Limits{Timeout: time.Minute}, func(c *Config) {
			c.Capture = []string{"any"}
			c.Services = []service.Spec{{Name: "echo", Kind: "tcp-echo", Listen: "www.example.com:7"}}
		})
		frames, err := readCapture(out.Capture)
		if out.Exit.Reason != result.ExitOK || err != nil || len(frames) < 3 {
			t.Errorf("exit %+v, %d frames, %v", out.Exit, len(frames), err)
		}
	})
	t.Run("output marker", func(t *testing.T) {
		out := run(t, `for i = 1, 1000 do print("0123456789") end`, Limits{Timeout: time.Minute, Output: 100})
		b, err := os.ReadFile(out.Output)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Repeat("0123456789\n", 10)[:100] + "\n[wirelab: output truncated after 100 bytes]\n"
		if string(b) != want {
			t.Errorf("output.txt:\n%q\nwant\n%q", b, want)
		}
	})
}

func TestServiceFailsToStart(t *testing.T) {
	needNamespaces(t)
	dir := t.TempDir()
	out, err := Run(context.Background(), Config{
		Dir: dir, LabDir: dir, Hosts: labHosts, Script: script(t, dir, `print("ran")`), Source: "client",
		Services: []service.Spec{
			{Name: "web", Kind: "http", Listen: "www.example.com:80", Routes: map[string]service.Route{"/": {}}},
			{Name: "web2", Kind: "tcp-echo", Listen: "www.example.com:80"},
		},
	})
	// In the lab's own network nothing else holds its addresses: the lab's
	// fault (a lab-error event naming the service), not the machine's, and
	// the submission is not run.
	if err != nil {
		t.Fatalf("got %v, want the run reported with the lab's fault", err)
	}
	events, _ := os.ReadFile(out.Events)
	printed, _ := os.ReadFile(out.Output)
	if out.Exit.Reason != result.ExitError || !strings.Contains(out.Exit.Message, `the lab's service "web2" did not start`) ||
		!strings.Contains(string(events), `"kind":"lab-error"`) || !strings.Contains(string(events), `did not start: listen tcp 10.0.0.80:80: bind: address already in use`) ||
		strings.Contains(string(printed), "ran") {
		t.Fatalf("exit %+v\nevents %s\noutput %q; want web2's lab error, the address in use, and the script not run", out.Exit, events, printed)
	}
}

// readCapture reads every frame of a capture file.
func readCapture(path string) ([]capture.Frame, error) {
	src, err := capture.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var frames []capture.Frame
	for {
		fr, err := src.Next()
		if err == io.EOF {
			return frames, nil
		}
		if err != nil {
			return frames, err
		}
		fr.Data = append([]byte(nil), fr.Data...)
		frames = append(frames, fr)
	}
}

// TestUserNamespace runs a lab the way an ordinary user's run goes: a user
// namespace as well, the worker being nobody on the host and root only
// inside. The network, the services and the capture must all work.
func TestUserNamespace(t *testing.T) {
	needNamespaces(t)
	if os.Geteuid() != 0 {
		// Already an ordinary user: every other test runs this way.
		t.Skip("not root: the other tests run in a user namespace already")
	}
	asUser = &[2]int{65534, 65534}
	defer func() { asUser = nil }()
	// The worker is this test binary, which nobody must be able to run: copy
	// it out of the build's private folder.
	exe, _ := os.Executable()
	bin, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o711) // the test's own temporary root
	os.Chmod(dir, 0o777)
	workerExe = filepath.Join(dir, "worker.test")
	defer func() { workerExe = "" }()
	if err := os.WriteFile(workerExe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for d := dir; d != "/"; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err != nil || fi.Mode()&0o001 == 0 {
			t.Skipf("%s is not searchable by nobody", d)
		}
	}
	src := `
local socket = require("socket")
local c = assert(socket.connect("www.example.com", 7))
c:send("inside a user namespace\n")
print(c:receive("*l"))
print(socket.connect("192.0.2.1", 7))`
	out, err := Run(context.Background(), Config{
		Dir: dir, LabDir: dir, Hosts: labHosts, Source: "client",
		Script:   script(t, dir, src),
		Services: []service.Spec{{Name: "echo", Kind: "tcp-echo", Listen: "www.example.com:7"}},
		Limits:   Limits{Timeout: time.Minute},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out.Output)
	if out.Exit.Reason != result.ExitOK || !strings.HasPrefix(string(b), "inside a user namespace") || !strings.Contains(string(b), "Network is unreachable") {
		t.Fatalf("exit %+v, output %q", out.Exit, b)
	}
	frames, err := readCapture(out.Capture)
	if err != nil || len(frames) < 8 {
		t.Fatalf("capture: %d frames, %v", len(frames), err)
	}
	fi, err := os.Stat(out.Capture)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || st.Uid != 65534 {
		t.Errorf("the capture belongs to uid %v, want nobody's", fi.Sys())
	}
}

// TestWorkerCrash: a worker that dies is reported with its message, and the
// parent carries on.
func TestWorkerCrash(t *testing.T) {
	needNamespaces(t)
	dir := t.TempDir()
	fake := filepath.Join(dir, "crashing-worker")
	os.WriteFile(fake, []byte("#!/bin/sh\necho 'panic: runtime error: index out of range [3] with length 3' >&2\nexit 2\n"), 0o755)
	workerExe = fake
	defer func() { workerExe = "" }()
	out, err := Run(context.Background(), Config{Dir: dir, Limits: Limits{Timeout: time.Minute}})
	var se *SetupError
	if !errors.As(err, &se) || out == nil || out.Exit.Reason != result.ExitCrash || !strings.Contains(err.Error(), "panic: runtime error: index out of range") {
		t.Fatalf("got %+v, %v", out, err)
	}
}

// TestWorkerDiesMidRun: a worker that dies after the script started is a
// result with reason crash (the submission is graded on what it left), not a
// setup error.
func TestWorkerDiesMidRun(t *testing.T) {
	needNamespaces(t)
	dir := t.TempDir()
	fake := filepath.Join(dir, "dying-worker")
	os.WriteFile(fake, []byte("#!/bin/sh\necho '{\"ready\":true,\"start\":1}' >&4\necho 'SIGSEGV: segmentation violation' >&2\nkill -9 $$\n"), 0o755)
	workerExe = fake
	defer func() { workerExe = "" }()
	out, err := Run(context.Background(), Config{Dir: dir, Limits: Limits{Timeout: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Started || out.Exit.Reason != result.ExitCrash || !strings.Contains(out.Exit.Message, "signal: killed: SIGSEGV") {
		t.Fatalf("%+v", out)
	}
}

func TestCrashExit(t *testing.T) {
	tests := []struct {
		stderr string
		reason result.ExitReason
		msg    string
	}{
		{"fatal error: runtime: out of memory\n\ngoroutine 1 [running]:", result.ExitMemory, "the script ran out of memory (an allocation failed under the 256.0 MiB limit) and was stopped"},
		// Near the memory limit a thread's stack may be what fails (seen in
		// TestLimits/one_huge_string on a busy machine), with cgo or without.
		{"runtime/cgo: pthread_create failed: Resource temporarily unavailable\nSIGABRT: abort", result.ExitMemory, "the script ran out of memory (no room for another thread under the 256.0 MiB limit) and was stopped"},
		{"runtime: failed to create new OS thread (have 9 already; errno=11)\nruntime: may need to increase max user processes (ulimit -u)\nfatal error: newosproc", result.ExitMemory, "the script ran out of memory (no room for another thread under the 256.0 MiB limit)"},
		{"SIGSEGV: segmentation violation\nPC=0x43593d m=3 sigcode=1 addr=0x0\n\ngoroutine 0 gp=0x2ac4800510e0 m=3 mp=0x2ac480091008 [idle]:\nruntime.(*spanQueue).tryDrain(0x400?, 0x300030300030000?, 0x10200?)", result.ExitMemory, "the script ran out of memory"},
		{"SIGSEGV: segmentation violation\nPC=0x43593d m=3 sigcode=1 addr=0x0\n\ngoroutine 1 [running]:\nmain.main()", result.ExitCrash, "the worker died: exit status 2: SIGSEGV"},
		{"panic: boom\n\ngoroutine 1", result.ExitCrash, "the worker died: exit status 2: panic: boom"},
		{"", result.ExitCrash, "the worker died: exit status 2"},
	}
	for _, tt := range tests {
		e := crashExit(errors.New("exit status 2"), tt.stderr, 256<<20)
		if e.Reason != tt.reason || !strings.HasPrefix(e.Message, tt.msg) {
			t.Errorf("%q: %+v", tt.stderr, e)
		}
	}
}

// TestHostNamespaces: every lab host is a machine of its own on one Ethernet
// segment: the script cannot bind another host's address, frames are
// Ethernet with ARP before the first, and a capture of every interface has
// one interface per host:ifname, each frame once on each, named as tshark
// reads the file.
func TestHostNamespaces(t *testing.T) {
	out := run(t, `
local socket = require("socket")
local c = assert(socket.connect("www.example.com", 7))
c:send("ping\n")
print(c:receive("*l"))
c:close()
local u = socket.udp()
print(u:setsockname("10.0.0.80", 0))`, Limits{Timeout: time.Minute}, func(c *Config) {
		c.Capture = []string{"any"}
		c.Services = []service.Spec{{Name: "echo", Kind: "tcp-echo", Listen: "www.example.com:7"}}
	})
	b, _ := os.ReadFile(out.Output)
	if out.Exit.Reason != result.ExitOK || !strings.HasPrefix(string(b), "ping") || !strings.Contains(string(b), "\nnil\tCannot assign requested address") {
		t.Fatalf("exit %+v, output %q", out.Exit, b)
	}
	pkts, err := capture.ReadFile(out.Capture)
	if err != nil {
		t.Fatal(err)
	}
	perIface := map[string][]string{}
	var names []string
	for _, p := range pkts {
		if p.LinkType != 1 {
			t.Fatalf("frame %d: link type %v, want Ethernet", p.Number, p.LinkType)
		}
		names = append(names, p.InterfaceName)
		perIface[p.InterfaceName] = append(perIface[p.InterfaceName], p.Summary().Protocol)
	}
	for _, id := range []string{"client:eth0", "www.example.com:eth0"} {
		got := perIface[id]
		if len(got) < 10 || got[0] != "ARP" || got[1] != "ARP" {
			t.Errorf("%s: %v, want ARP who-has and is-at, then the TCP exchange", id, got)
		}
	}
	if len(perIface["client:eth0"]) != len(perIface["www.example.com:eth0"]) || len(perIface) != 2 {
		t.Errorf("frames per interface: %v; want the same frames on both ends of the segment", perIface)
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		skipOrFail(t, "tshark is not installed: the oracle for frame.interface_name")
	}
	cmd := exec.Command(tshark, "-r", out.Capture, "-T", "fields", "-e", "frame.interface_name")
	txt, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Fields(string(txt)); strings.Join(want, " ") != strings.Join(names, " ") {
		t.Errorf("frame.interface_name: wirelab %v, tshark %v", names, want)
	}
	// The display filter sees the names too.
	if n := countFrames(t, out.Capture, `frame.interface_name == "www.example.com:eth0"`); n != len(perIface["www.example.com:eth0"]) {
		t.Errorf("frame.interface_name matched %d frames, want %d", n, len(perIface["www.example.com:eth0"]))
	}
}

// TestKillRunner: kill -9 of the runner mid-run leaves nothing behind in the
// machine's namespaces: the worker dies with it (Pdeathsig), and the lab's
// namespaces, held only by the worker's descriptors, go with it. No
// interface appears in the machine's namespace at any time.
func TestKillRunner(t *testing.T) {
	needNamespaces(t)
	dir := t.TempDir()
	script(t, dir, `local socket = require("socket")
local c = assert(socket.connect("www.example.com", 7))
while true do c:send("x\n"); c:receive("*l"); socket.sleep(0.01) end`)
	links := func() string {
		ents, _ := os.ReadDir("/sys/class/net")
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		return strings.Join(names, " ")
	}
	before := links()
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "-test.run", "^$")
	cmd.Env = append(os.Environ(), "WIRELAB_TEST_RUNNER="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Mid-run: the script is talking (the capture has frames).
	deadline := time.Now().Add(time.Minute) // a hang guard: the loop ends when it is talking
	for {
		if fi, err := os.Stat(filepath.Join(dir, CaptureFile)); err == nil && fi.Size() > 2000 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the run never got going")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := links(); got != before {
		t.Errorf("mid-run the machine's interfaces are %q, were %q", got, before)
	}
	if inDir(dir) == "" {
		t.Fatal("no process runs in the run's folder: the worker's cwd is not the run's folder any more, and this test checks nothing")
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	// The worker runs in dir: once nothing does, nothing holds the lab.
	for deadline = time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) { // a hang guard
		left := inDir(dir)
		if left == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %s still runs in the killed run's folder", left)
		}
	}
	if got := links(); got != before {
		t.Errorf("after the kill the machine's interfaces are %q, were %q", got, before)
	}
	if ents, _ := os.ReadDir("/run/netns"); len(ents) > 0 {
		for _, e := range ents {
			if strings.Contains(e.Name(), "wirelab") {
				t.Errorf("a named namespace %s is left", e.Name())
			}
		}
	}
}

// inDir is a process whose working folder is dir, "" for none.
func inDir(dir string) string {
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		if cwd, err := os.Readlink("/proc/" + p.Name() + "/cwd"); err == nil && cwd == dir {
			return p.Name()
		}
	}
	return ""
}
