package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// hostileChecks is a hostile lab's checks.lua: %d is the port of a listener
// on the grader's own loopback.
const hostileChecks = `
function ok(ctx) return true, "fine " .. ctx.output end
function hog(ctx)
  local t, s = {}, string.rep("x", 1e6)
  for i = 1, 1e5 do t[i] = s .. i end
  return true, "kept " .. #t
end
function phone(ctx)
  local c = socket.tcp()
  local ok, err = c:connect("127.0.0.1", %d)
  return ok ~= nil, tostring(err)
end
function sniff(ctx) return capture.start{} ~= nil, "started" end
function spin(ctx) go_spin() end
function deep(ctx) local f, e = loadstring(string.rep("{", 2e5), "=deep") error(e, 0) end
function backtrack(ctx) return string.rep("a", 3000):find(string.rep("a-", 6) .. "b") end
`

// go_spin stands for a Go built-in that never looks at the deadline, go_nap
// for one that waits without using the CPU: the check workers this test
// binary starts have them.
func init() {
	checkStateHook = func(st *lualib.State) {
		st.L.SetGlobal("go_spin", st.L.NewFunction(func(L *lua.LState) int {
			for {
			}
		}))
		st.L.SetGlobal("go_nap", st.L.NewFunction(func(L *lua.LState) int {
			time.Sleep(time.Duration(float64(L.CheckNumber(1)) * float64(time.Second)))
			return 0
		}))
	}
}

// TestCheckerLimitIsCPUTime: a check's limit is CPU time, which a loaded
// machine does not stretch: one that waits 2.5 s with its CPU idle passes
// its 1 s limit; one that waits for ever is still ended, by the wall clock
// at checkWallFactor times its limit.
func TestCheckerLimitIsCPUTime(t *testing.T) {
	needNamespaces(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "checks.lua")
	os.WriteFile(file, []byte("function nap(ctx) go_nap(2.5) return true, \"rested\" end\nfunction sleep(ctx) go_nap(3600) end\n"), 0o644)
	ck := NewChecker(CheckEnv{LabDir: dir, Timeout: time.Second})
	defer ck.Close()
	if r := ck.Run(context.Background(), CheckCall{File: file, Func: "nap", Name: "nap"}); r.Status != result.CheckPass || r.Message != "rested" {
		t.Errorf("nap: %+v, want a pass: 2.5 s of wall time is not 1 s of CPU", r)
	}
	short := NewChecker(CheckEnv{LabDir: dir, Timeout: 100 * time.Millisecond, Grace: 100 * time.Millisecond})
	defer short.Close()
	done := make(chan CheckReply, 1)
	go func() { done <- short.Run(context.Background(), CheckCall{File: file, Func: "sleep", Name: "sleep"}) }()
	select {
	case r := <-done:
		if r.Status != result.CheckError || !strings.Contains(r.Message, "sleep took longer than 100ms") {
			t.Errorf("sleep: %+v", r)
		}
	case <-time.After(time.Minute): // a hang guard: the wall clock ends it at 1.3 s
		t.Fatal("a check waiting for ever was not ended")
	}
}

// TestCheckerHostileLab runs a hostile lab's Lua checks as root and as an
// ordinary user (issue 11 item 2): a memory-hungry check is stopped at the
// checks' memory cap, one that connects to a listener on the grader's
// loopback cannot, one that backtracks is stopped at its deadline, and one
// spinning inside a Go function that never looks at the deadline is killed
// with its worker (runner's TestHostileLabChecks also watches the listener); the
// worker has a network namespace of its own with nothing in it;
// every other check of the evaluation shares one worker.
func TestCheckerHostileLab(t *testing.T) {
	needNamespaces(t)
	for _, user := range []bool{false, true} {
		name := "as this user"
		if user {
			name = "as nobody"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if user {
				if os.Geteuid() != 0 {
					t.Skip("not root: the other case runs as an ordinary user already")
				}
				dir = asNobody(t)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			file := filepath.Join(dir, "checks.lua")
			src := fmt.Sprintf(hostileChecks, ln.Addr().(*net.TCPAddr).Port)
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			// Checks that end on their own get a minute, a hang guard: a
			// loaded machine must not turn "no network" into "took longer".
			// The checks that never end (backtrack, spin) get 2s: their
			// message is the same however loaded the machine is.
			ck := NewChecker(CheckEnv{LabDir: dir, Output: "output", Timeout: time.Minute, Grace: time.Second, Memory: 64 << 20})
			defer ck.Close()
			run := func(ck *Checker, fn string) CheckReply {
				return ck.Run(context.Background(), CheckCall{File: file, Func: fn, Name: "checks.lua:" + fn, Points: 1})
			}
			if r := run(ck, "ok"); r.Status != result.CheckPass || r.Message != "fine output" {
				t.Fatalf("ok: %+v", r)
			}
			pid := ck.proc.pid
			if mine, theirs := nsOf(t, os.Getpid()), nsOf(t, pid); mine == theirs {
				t.Errorf("the check worker shares the grader's network namespace %s", mine)
			}
			if dev, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/dev", pid)); err != nil || strings.Count(string(dev), ":") != 1 || !strings.Contains(string(dev), "lo:") {
				t.Errorf("the check worker's network has more than a loopback: %q %v", dev, err)
			}
			for _, c := range []struct {
				fn, want string
			}{
				{"phone", "a lab's Lua check has no network"},
				{"sniff", "capture.start is not available"},
				{"deep", "deep:1: chunk has too many syntax levels"},
				{"hog", "of memory"}, // stopped in the worker, or the worker killed
			} {
				r := run(ck, c.fn)
				if r.Status != result.CheckError || !strings.Contains(r.Message, c.want) {
					t.Errorf("%s: %s %q, want an error saying %q", c.fn, r.Status, r.Message, c.want)
				}
				if c.fn == "deep" && ck.starts != 1 {
					t.Errorf("%d check workers started for four checks, want 1", ck.starts)
				}
			}
			if r := run(ck, "ok"); r.Status != result.CheckPass {
				t.Errorf("ok after the hostile checks: %+v", r)
			}
			// The backtrack is stopped (by its worker or with it) at its
			// worker's deadline: a checker of its own with a 2s one.
			bt := NewChecker(CheckEnv{LabDir: dir, Output: "output", Timeout: 2 * time.Second, Grace: time.Second, Memory: 64 << 20})
			defer bt.Close()
			if r := run(bt, "backtrack"); r.Status != result.CheckError || !strings.Contains(r.Message, "took longer than 2s") {
				t.Errorf("backtrack: %s %q", r.Status, r.Message)
			}
			// The spin is the parent's to kill, at the Timeout of the call:
			// the worker starts with a minute, the spin gets 2s.
			if r := run(ck, "ok"); r.Status != result.CheckPass {
				t.Fatalf("ok before the spin: %+v", r)
			}
			pid, starts := ck.proc.pid, ck.starts
			ck.env.Timeout = 2 * time.Second
			if r := run(ck, "spin"); r.Status != result.CheckError || !strings.Contains(r.Message, "took longer than 2s and was killed") {
				t.Errorf("spin: %s %q", r.Status, r.Message)
			}
			if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("the spinning check's worker %d is still there (%v)", pid, err)
			}
			ck.env.Timeout = time.Minute
			if r := run(ck, "ok"); r.Status != result.CheckPass || ck.starts != starts+1 {
				t.Errorf("ok after a killed worker: %+v, %d starts, want %d", r, ck.starts, starts+1)
			}
		})
	}
}

// TestCheckerNoStrayFiles: a descriptor the grader holds without
// close-on-exec is not open in the check worker (issue 11 item 8).
func TestCheckerNoStrayFiles(t *testing.T) {
	needNamespaces(t)
	dir := t.TempDir()
	stray := strayFile(t, dir)
	file := filepath.Join(dir, "checks.lua")
	os.WriteFile(file, []byte(`function ok(ctx) return true end`), 0o644)
	ck := NewChecker(CheckEnv{LabDir: dir})
	defer ck.Close()
	if r := ck.Run(context.Background(), CheckCall{File: file, Func: "ok", Name: "ok"}); r.Status != result.CheckPass {
		t.Fatalf("%+v", r)
	}
	noStray(t, ck.proc.pid, stray)
}

// TestWorkerNoStrayFiles: the same for a submission's worker.
func TestWorkerNoStrayFiles(t *testing.T) {
	needNamespaces(t)
	dir := t.TempDir()
	stray := strayFile(t, dir)
	checked := false
	onReady = func(pid int) { noStray(t, pid, stray); checked = true }
	defer func() { onReady = nil }()
	out, err := Run(context.Background(), Config{Dir: dir, LabDir: dir, Hosts: labHosts, Source: "client",
		Script: script(t, dir, `socket.sleep(2)`), Limits: Limits{Timeout: time.Minute}})
	if err != nil || out.Exit.Reason != result.ExitOK {
		t.Fatalf("%+v %v", out, err)
	}
	if !checked {
		t.Fatal("the worker never said it was ready")
	}
}

// strayFile opens a file without close-on-exec, as a careless parent of the
// grader might, and returns its path.
func strayFile(t *testing.T, dir string) string {
	path := filepath.Join(dir, "stray-descriptor")
	os.WriteFile(path, []byte("secret"), 0o600)
	fd, err := syscall.Open(path, syscall.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	return path
}

func noStray(t *testing.T, pid int, stray string) {
	t.Helper()
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if l, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name())); l == stray {
			t.Errorf("the worker has %s open as fd %s", stray, e.Name())
		}
	}
}

func nsOf(t *testing.T, pid int) string {
	t.Helper()
	l, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/net", pid))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// asNobody makes workers start as nobody in a user namespace, as an
// ordinary user's do, and returns a folder nobody can use.
func asNobody(t *testing.T) string {
	t.Helper()
	asUser = &[2]int{65534, 65534}
	t.Cleanup(func() { asUser = nil })
	exe, _ := os.Executable()
	bin, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o711)
	os.Chmod(dir, 0o777)
	for d := dir; d != "/"; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err != nil || fi.Mode()&0o001 == 0 {
			t.Skipf("%s is not searchable by nobody", d)
		}
	}
	workerExe = filepath.Join(dir, "worker.test")
	t.Cleanup(func() { workerExe = "" })
	if err := os.WriteFile(workerExe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
