package jail

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/wirelab-dev/wirelab/runner/result"
)

func TestMain(m *testing.M) {
	if IsJail() {
		os.Exit(Main())
	}
	os.Exit(m.Run())
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set: a jail test may not skip)", why)
	}
	t.Skip(why)
}

func needJail(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		skipOrFail(t, "jails need Linux")
	}
	if _, err := os.Stat("/proc/self/ns/user"); err != nil {
		skipOrFail(t, "no user namespaces")
	}
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		skipOrFail(t, name+" is not installed")
	}
}

// modes are the ways a jail is started: as this process (root: cgroups,
// the program as nobody) and, when this is root, as an ordinary user would
// (a user namespace, rlimits only).
func modes(t *testing.T) []string {
	if os.Geteuid() == 0 {
		return []string{"root", "user"}
	}
	return []string{"user-self"}
}

// world is a folder tree the tests share: a submission, another student's
// folder and a lab with its reference, all readable by anyone, so only the
// jail keeps them apart.
type world struct {
	base, sub, other, lab string
}

func newWorld(t *testing.T, files map[string]string) world {
	t.Helper()
	base, err := os.MkdirTemp("", "wirelab-jailtest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	w := world{base: base, sub: filepath.Join(base, "alice"), other: filepath.Join(base, "bob"), lab: filepath.Join(base, "lab")}
	for _, d := range []string{w.sub, w.other, w.lab, filepath.Join(w.lab, "testdata")} {
		os.Mkdir(d, 0o755)
		os.Chmod(d, 0o755)
	}
	os.WriteFile(filepath.Join(w.other, "client.py"), []byte("BOB'S SECRET\n"), 0o644)
	os.WriteFile(filepath.Join(w.lab, "solution.py"), []byte("REFERENCE SECRET\n"), 0o644)
	os.WriteFile(filepath.Join(w.lab, "testdata", "right.py"), []byte("TESTDATA SECRET\n"), 0o644)
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(w.sub, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// inNetns runs f on a thread of its own in a fresh network namespace with
// its loopback up: the jail shares it, so sockets the tests open never touch
// the machine's network.
func inNetns(t *testing.T, f func()) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if os.Geteuid() == 0 {
			if err := syscall.Unshare(syscall.CLONE_NEWNET); err != nil {
				errc <- err
				return
			}
			h, err := netlink.NewHandle()
			if err != nil {
				errc <- err
				return
			}
			lo, err := h.LinkByName("lo")
			if err == nil {
				err = h.LinkSetUp(lo)
			}
			h.Close()
			if err != nil {
				errc <- err
				return
			}
		}
		f()
		errc <- nil
	}()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// run runs spec in a jail started the mode's way, and checks that nothing of
// it is left: no process in its namespaces, no cgroup, no mount point.
func run(t *testing.T, mode string, spec Spec) (*Result, string) {
	t.Helper()
	needJail(t)
	if mode == "user" {
		asUser = &[2]int{65534, 65534}
		defer func() { asUser = nil }()
	}
	var out bytes.Buffer
	spec.Stdout, spec.Stderr = &out, &out
	var p *Proc
	var err error
	inNetns(t, func() { p, err = Start(spec) })
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	r := p.Wait()
	if mode == "root" && !strings.Contains(strings.Join(r.Enforced, "\n"), "cgroup") {
		t.Errorf("as root no limit went through a cgroup: %q", r.Enforced)
	}
	assertGone(t, p)
	return r, out.String()
}

// assertGone checks that the jail left nothing behind.
func assertGone(t *testing.T, p *Proc) {
	t.Helper()
	if p.nsPID == "" || p.nsMnt == "" {
		t.Fatalf("the jail's namespaces were not recorded")
	}
	// A process of the jail may still be on its way out when Wait returns
	// (the helper was seen once in the jail's mnt namespace right after it,
	// at load 45): one still there after 10 s has stayed.
	var left []string
	for try := 0; try < 100; try++ {
		left = left[:0]
		ents, _ := os.ReadDir("/proc")
		for _, e := range ents {
			if e.Name()[0] < '0' || e.Name()[0] > '9' {
				continue
			}
			for _, ns := range []string{"pid", "mnt"} {
				l, _ := os.Readlink("/proc/" + e.Name() + "/ns/" + ns)
				if l != "" && (l == p.nsPID || l == p.nsMnt) {
					cmd, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
					left = append(left, fmt.Sprintf("process %s (%q) is still in the jail's %s namespace", e.Name(), bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}), ns))
				}
			}
		}
		if len(left) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, l := range left {
		t.Error(l)
	}
	for _, d := range p.cgDirs {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("cgroup %s is still there", d)
		}
	}
	if _, err := os.Stat(p.root); err == nil {
		t.Errorf("the mount point %s is still there", p.root)
	}
}

// TestHostile runs hostile programs, in each mode: each ends with the right
// reason and leaves nothing behind.
func TestHostile(t *testing.T) {
	needTool(t, "python3")
	tests := []struct {
		name   string
		src    string
		lim    Limits
		reason map[string]result.ExitReason // by mode; "" for every mode
		// timeout, by mode, replaces lim.Timeout where the run must end
		// at its deadline: the others get a generous one, so a loaded
		// machine cannot turn "memory" into "timeout"
		timeout map[string]time.Duration
		check   func(t *testing.T, r *Result, out string)
	}{
		{name: "fork bomb", src: `import os
while True:
    try:
        os.fork()
    except OSError:
        pass
`, lim: Limits{Timeout: time.Minute, Processes: 32}, reason: map[string]result.ExitReason{"": result.ExitProcesses}},
		{name: "heap memory bomb", src: `a = []
while True:
    a.append(b"x" * 1000000)
`, lim: Limits{Timeout: time.Minute, Memory: 64 << 20}, reason: map[string]result.ExitReason{"": result.ExitMemory}},
		// Sockets with full buffers against a listener that never accepts:
		// their buffers are kernel memory, which only a cgroup charges.
		{name: "socket buffer bomb", src: `import socket, time
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(200)
conns = []
for i in range(60):
    c = socket.create_connection(l.getsockname())
    c.setblocking(False)
    conns.append(c)
    chunk = b"m" * 65536
    while True:
        try:
            c.send(chunk)
        except BlockingIOError:
            break
print("filled", flush=True)
time.sleep(1000)
`, lim: Limits{Timeout: time.Minute, Memory: 64 << 20},
			reason:  map[string]result.ExitReason{"root": result.ExitMemory, "user": result.ExitTimeout, "user-self": result.ExitTimeout},
			timeout: map[string]time.Duration{"user": 5 * time.Second, "user-self": 5 * time.Second}},
		{name: "busy loop", src: "while True:\n    pass\n", lim: Limits{Timeout: time.Second}, reason: map[string]result.ExitReason{"": result.ExitTimeout}},
		{name: "output flood", src: "while True:\n    print('y' * 100)\n", lim: Limits{Timeout: time.Minute, Output: 4096},
			reason: map[string]result.ExitReason{"": result.ExitOutput},
			check: func(t *testing.T, r *Result, out string) {
				if !strings.HasPrefix(out, "yyyy") || !strings.Contains(out, "[wirelab: output truncated after 4096 bytes]") || len(out) > 4096+100 {
					t.Errorf("output %d bytes: %q...", len(out), out[:min(len(out), 200)])
				}
			}},
		{name: "many sockets", src: `import socket
s = []
while True:
    s.append(socket.socket())
`, lim: Limits{Timeout: time.Minute, Files: 32}, reason: map[string]result.ExitReason{"": result.ExitSockets}},
		// A daemon: double fork, setsid, SIGTERM ignored, outliving the
		// program; the jail's end takes it (assertGone).
		{name: "daemon outlives its parent", src: `import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(1000)
    os._exit(0)
time.sleep(0.5)
print("parent done")
`, lim: Limits{Timeout: time.Minute}, reason: map[string]result.ExitReason{"": result.ExitOK}},
		{name: "not found", src: "", lim: Limits{Timeout: time.Minute}, reason: map[string]result.ExitReason{"": result.ExitError},
			check: func(t *testing.T, r *Result, out string) {
				if r.Code != 127 || !strings.Contains(r.Message, "no such command") {
					t.Errorf("%+v", r)
				}
			}},
	}
	for _, mode := range modes(t) {
		for _, tt := range tests {
			t.Run(mode+"/"+tt.name, func(t *testing.T) {
				w := newWorld(t, map[string]string{"prog.py": tt.src})
				argv := []string{"python3", "prog.py"}
				if tt.name == "not found" {
					argv = []string{"no-such-interpreter", "prog.py"}
				}
				lim := tt.lim
				if d, ok := tt.timeout[mode]; ok {
					lim.Timeout = d
				}
				r, out := run(t, mode, Spec{Argv: argv, Dir: w.sub, Limits: lim})
				want, ok := tt.reason[mode]
				if !ok {
					want = tt.reason[""]
				}
				if r.Reason != want {
					t.Fatalf("reason %v, want %v: %+v\noutput %.500q", r.Reason, want, r, out)
				}
				if r.Reason != result.ExitOK && r.Message == "" {
					t.Errorf("no message: %+v", r)
				}
				if tt.check != nil {
					tt.check(t, r, out)
				}
			})
		}
	}
}

// TestFiles: a program sees its own folder's copy, a private /tmp and the
// system read-only; nothing of other students, the lab's reference or its
// testdata, by absolute or relative paths or through /proc; it can write
// nowhere but /tmp and its copy, and the copy's changes do not reach the
// host.
func TestFiles(t *testing.T) {
	needTool(t, "python3")
	for _, mode := range modes(t) {
		t.Run(mode, func(t *testing.T) {
			src := `import os, sys
paths = sys.argv[1:]
for p in paths:
    try:
        data = open(p).read()
        print("LEAK", p, data.strip())
    except Exception as e:
        print("denied", p, type(e).__name__)
for d in ["/proc/1/root/", "/proc/self/cwd/..", "/proc/1/cwd/..", "..", "/"]:
    try:
        print("list", d, sorted(os.listdir(d)))
    except Exception as e:
        print("denied list", d, type(e).__name__)
for p in ["/etc/wirelab-test", "/usr/wirelab-test", "/wirelab-test", "/dev/wirelab-test", "/proc/sys/kernel/hostname", "/submission/../wirelab-test"]:
    try:
        with open(p, "w") as f:
            f.write("x")
        print("WROTE", p)
    except Exception as e:
        print("denied write", p, type(e).__name__)
open("/tmp/ok", "w").write("tmp")
open("own.txt", "w").write("mine")
open("prog.py", "a").write("# changed")
print("wrote tmp and own", open("/tmp/ok").read(), open("own.txt").read(), os.getcwd())
`
			w := newWorld(t, map[string]string{"prog.py": src})
			wd, _ := os.Getwd()
			targets := []string{
				filepath.Join(w.other, "client.py"), "../bob/client.py",
				filepath.Join(w.lab, "solution.py"), "../lab/solution.py", "../lab/testdata/right.py",
				"/proc/1/root" + filepath.Join(w.other, "client.py"), "/proc/self/cwd/../bob/client.py",
				"/proc/1/cwd/../lab/solution.py", filepath.Join(wd, "jail.go"), "/etc/shadow",
				"/proc/1/environ",
			}
			r, out := run(t, mode, Spec{Argv: append([]string{"python3", "prog.py"}, targets...), Dir: w.sub, Limits: Limits{Timeout: time.Minute}})
			if r.Reason != result.ExitOK {
				t.Fatalf("%+v\n%s", r, out)
			}
			for _, bad := range []string{"LEAK", "WROTE", "SECRET", "alice"} {
				if strings.Contains(out, bad) {
					t.Errorf("%q in the output:\n%s", bad, out)
				}
			}
			for _, p := range targets {
				if !strings.Contains(out, "denied "+p+" ") {
					t.Errorf("reading %s was not refused:\n%s", p, out)
				}
			}
			for _, p := range []string{"/proc/1/root/", "/proc/1/cwd/.."} {
				if !strings.Contains(out, "denied list "+p+" ") {
					t.Errorf("listing %s was not refused:\n%s", p, out)
				}
			}
			if n := strings.Count(out, "denied write "); n != 6 {
				t.Errorf("%d writes refused, want 6:\n%s", n, out)
			}
			if !strings.Contains(out, "wrote tmp and own tmp mine /submission") {
				t.Errorf("the program could not write /tmp and its own folder:\n%s", out)
			}
			if !strings.Contains(out, "list / ['bin', 'dev', 'etc', 'lib', 'lib64', 'proc', 'sbin', 'submission', 'tmp', 'usr']") &&
				!strings.Contains(out, "list / ['bin', 'dev', 'etc', 'lib', 'proc', 'sbin', 'submission', 'tmp', 'usr']") {
				t.Errorf("the jail's root is not what it should be:\n%s", out)
			}
			if b, _ := os.ReadFile(filepath.Join(w.sub, "prog.py")); string(b) != src {
				t.Errorf("the program changed its folder on the host")
			}
			if _, err := os.Stat(filepath.Join(w.sub, "own.txt")); err == nil {
				t.Errorf("own.txt reached the host")
			}
		})
	}
}

// TestBuildAndCrash builds a C program in a writable folder (a build's
// products stay for the run) and runs it: a segfault is a crash with its
// signal.
func TestBuildAndCrash(t *testing.T) {
	needTool(t, "cc")
	for _, mode := range modes(t) {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t, map[string]string{"crash.c": "#include <stdio.h>\nint main(void) { puts(\"before\"); fflush(stdout); volatile int *p = 0; *p = 1; return 0; }\n"})
			if mode == "user" {
				os.Chmod(w.sub, 0o777)
			}
			r, out := run(t, mode, Spec{Argv: []string{"cc", "-O2", "-Wall", "-o", "crash", "crash.c"}, Dir: w.sub, Writable: true,
				Limits: Limits{Timeout: 60 * time.Second, Memory: 1 << 30}})
			if r.Reason != result.ExitOK {
				t.Fatalf("build: %+v\n%s", r, out)
			}
			r, out = run(t, mode, Spec{Argv: []string{"./crash"}, Dir: w.sub, Limits: Limits{Timeout: time.Minute}})
			if r.Reason != result.ExitCrash || r.Signal != "SIGSEGV" || r.Code != -1 || out != "before\n" {
				t.Fatalf("%+v, output %q", r, out)
			}
		})
	}
}

// TestBuildNeverEnds: a build that never ends (and ignores SIGTERM, in a
// process of its own session) is killed at its deadline.
func TestBuildNeverEnds(t *testing.T) {
	for _, mode := range modes(t) {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t, nil)
			r, _ := run(t, mode, Spec{Argv: []string{"sh", "-c", "trap '' TERM; setsid sh -c 'trap \"\" TERM; while :; do :; done' & while :; do sleep 1; done"}, Dir: w.sub,
				Limits: Limits{Timeout: 2 * time.Second}})
			if r.Reason != result.ExitTimeout || !strings.Contains(r.Message, "2s deadline") {
				t.Fatalf("%+v", r)
			}
		})
	}
}

// TestKill: Kill ends the tree at once; Run's context does too.
func TestKill(t *testing.T) {
	w := newWorld(t, nil)
	needJail(t)
	var p *Proc
	var err error
	inNetns(t, func() { p, err = Start(Spec{Argv: []string{"sleep", "1000"}, Dir: w.sub}) })
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(200*time.Millisecond, p.Kill)
	r := p.Wait()
	if r.Reason != result.ExitError || r.Message != "the program was stopped" {
		t.Fatalf("%+v", r)
	}
	assertGone(t, p)
}

// TestSetupErrors: a spec the jail cannot carry out is a SetupError.
func TestSetupErrors(t *testing.T) {
	needJail(t)
	for _, spec := range []Spec{
		{},
		{Argv: []string{"true"}, Dir: "/no/such/folder"},
		{Argv: []string{"true"}, Files: map[string][]byte{"relative": nil}},
		{Argv: []string{"true"}, ReadOnly: []Bind{{Host: "/usr", Jail: "/usr/nested"}}},
	} {
		_, err := Start(spec)
		var se *SetupError
		if err == nil || !asSetup(err, &se) {
			t.Errorf("%+v: %v, want a SetupError", spec, err)
		}
	}
}

func asSetup(err error, se **SetupError) bool {
	s, ok := err.(*SetupError)
	*se = s
	return ok
}

// openPTY opens a pseudo-terminal pair for a test, closed when it ends; no
// pseudo-terminals to be had is a skip, or a failure in CI.
func openPTY(t *testing.T) (ptmx, pts *os.File) {
	t.Helper()
	ptmx, pts, err := OpenPTY()
	if err != nil {
		skipOrFail(t, "no pseudo-terminals: "+err.Error())
	}
	t.Cleanup(func() { ptmx.Close(); pts.Close() })
	return ptmx, pts
}

// TestTTY: with TTY a terminal is the program's stdin and stdout as it is
// (wirelab exec), uncounted by the output limit.
func TestTTY(t *testing.T) {
	needJail(t)
	ptmx, pts := openPTY(t)
	var p *Proc
	var err error
	inNetns(t, func() {
		p, err = Start(Spec{Argv: []string{"sh", "-c", "test -t 0 && test -t 1 && echo on-a-terminal"}, Stdin: pts, Stdout: pts, Stderr: pts, TTY: true,
			Limits: Limits{Timeout: time.Minute}})
	})
	if err != nil {
		t.Fatal(err)
	}
	r := p.Wait()
	assertGone(t, p)
	buf := make([]byte, 256)
	if err := ptmx.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err) // OpenPTY's master is in the runtime's poller
	}
	k, _ := ptmx.Read(buf)
	if r.Reason != result.ExitOK || !strings.Contains(string(buf[:k]), "on-a-terminal") {
		t.Fatalf("%+v, terminal %q", r, buf[:k])
	}
}

// TestSignal passes SIGINT on to a program (wirelab exec without a
// terminal, interrupted): one that traps it decides how it ends, one that
// does not dies of it, and the rest of the tree goes with the program.
func TestSignal(t *testing.T) {
	for _, mode := range modes(t) {
		t.Run(mode, func(t *testing.T) {
			needJail(t)
			if mode == "user" {
				asUser = &[2]int{65534, 65534}
				defer func() { asUser = nil }()
			}
			for _, c := range []struct {
				argv []string
				want func(*Result) bool
			}{
				// The trap is set before the program says it is ready.
				{[]string{"sh", "-c", `trap 'echo got-INT; exit 5' INT; echo ready; while :; do sleep 0.1; done`},
					func(r *Result) bool { return r.Reason == result.ExitError && r.Code == 5 }},
				// sleep itself, not a shell: a shell catches SIGINT, and one
				// that got it just before it started its child waits for it.
				{[]string{"sleep", "600"},
					func(r *Result) bool { return r.Reason == result.ExitCrash && r.Signal == "SIGINT" }},
			} {
				pr, pw, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				var p *Proc
				inNetns(t, func() {
					p, err = Start(Spec{Argv: c.argv, Stdout: pw, Stderr: pw, Limits: Limits{Timeout: time.Minute}})
				})
				if err != nil {
					t.Fatal(err)
				}
				if c.argv[0] == "sh" {
					buf := make([]byte, 64)
					if n, _ := pr.Read(buf); !strings.Contains(string(buf[:n]), "ready") {
						t.Fatalf("%q: the program said %q", c.argv, buf[:n])
					}
				} else {
					waitExec(t, p, "sleep")
				}
				p.Signal(syscall.SIGINT)
				r := p.Wait()
				pw.Close()
				rest, _ := io.ReadAll(pr)
				pr.Close()
				assertGone(t, p)
				if !c.want(r) || (c.argv[0] == "sh" && !strings.Contains(string(rest), "got-INT")) {
					t.Errorf("%q, after SIGINT: %+v, output %q", c.argv, r, rest)
				}
			}
		})
	}
}

// waitExec waits until a process of the jail runs comm, and returns its
// /proc/PID/stat fields after the command name (state, ppid, pgrp,
// session, tty, tpgid, ...).
func waitExec(t *testing.T, p *Proc, comm string) []string {
	t.Helper()
	for end := time.Now().Add(time.Minute); time.Now().Before(end); time.Sleep(10 * time.Millisecond) { // a hang guard, not a timing
		ents, _ := os.ReadDir("/proc")
		for _, e := range ents {
			if l, _ := os.Readlink("/proc/" + e.Name() + "/ns/pid"); l != p.nsPID {
				continue
			}
			b, _ := os.ReadFile("/proc/" + e.Name() + "/stat")
			if i := bytes.LastIndexByte(b, ')'); i > 0 && bytes.HasSuffix(b[:i], []byte("("+comm)) {
				return append([]string{e.Name()}, strings.Fields(string(b[i+1:]))...)
			}
		}
	}
	t.Fatalf("no %s in the jail after a minute", comm)
	return nil
}

// TestTTYInterrupt: a program given a terminal no session controls (the
// pseudo-terminal wirelab exec makes) leads a session with it as its
// controlling terminal, in the foreground, so Ctrl-C typed at it
// interrupts the program.
func TestTTYInterrupt(t *testing.T) {
	needJail(t)
	ptmx, pts := openPTY(t)
	var p *Proc
	var err error
	inNetns(t, func() {
		p, err = Start(Spec{Argv: []string{"sleep", "600"}, Stdin: pts, Stdout: pts, Stderr: pts, TTY: true,
			Limits: Limits{Timeout: time.Minute}})
	})
	pts.Close()
	if err != nil {
		t.Fatal(err)
	}
	// pid, state, ppid, pgrp, session, tty_nr, tpgid
	st := waitExec(t, p, "sleep")
	if len(st) < 7 || st[4] != st[0] || st[6] != st[3] {
		t.Errorf("sleep is not a session leader in the foreground of its terminal: /proc/%s/stat fields %q", st[0], st)
	}
	ptmx.Write([]byte{3}) // Ctrl-C
	r := p.Wait()
	assertGone(t, p)
	if r.Reason != result.ExitCrash || r.Signal != "SIGINT" {
		t.Errorf("after Ctrl-C: %+v, want killed by SIGINT", r)
	}
}

// TestStaleCgroups: the empty cgroups a killed process left (wirelab-jail-PID-N
// whose PID is gone) are removed when the next jail is made; those of a
// process that runs are kept.
func TestStaleCgroups(t *testing.T) {
	needJail(t)
	if os.Geteuid() != 0 {
		t.Skip("cgroups are made as root")
	}
	var p *Proc
	var err error
	inNetns(t, func() { p, err = Start(Spec{Argv: []string{"true"}}) })
	if err != nil {
		t.Fatal(err)
	}
	p.Wait()
	if len(p.cgDirs) == 0 {
		skipOrFail(t, "no cgroup could be made here")
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	var stale, live []string
	for _, d := range p.cgDirs {
		parent := filepath.Dir(d)
		s := filepath.Join(parent, fmt.Sprintf("wirelab-jail-%d-1", gone.Process.Pid))
		l := filepath.Join(parent, "wirelab-jail-1-1") // pid 1 runs
		for _, c := range []string{s, l} {
			if err := os.Mkdir(c, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() { os.Remove(s); os.Remove(l) })
		stale, live = append(stale, s), append(live, l)
		swept.Delete(parent)
	}
	run(t, "root", Spec{Argv: []string{"true"}})
	for _, d := range stale {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("the stale cgroup %s was not removed", d)
		}
	}
	for _, d := range live {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("the cgroup %s of a process that runs was removed", d)
		}
	}
}
