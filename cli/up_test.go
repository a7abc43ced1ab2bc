package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/internal/jail"
	"github.com/wirelab-dev/wirelab/internal/sandbox"
)

// wirelabBin runs this test binary as the wirelab binary, as root or as
// another user (uid, with a home and runtime folder of its own).
type wirelabBin struct {
	exe  string
	env  []string
	cred *syscall.Credential
	dir  string // working directory
}

func newWirelabBin(t *testing.T, uid int) *wirelabBin {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// t.TempDir's parent is mode 0700: another uid could not reach it.
	root, err := os.MkdirTemp("", "wirelab-up-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	os.Chmod(root, 0o755)
	b := &wirelabBin{exe: exe, dir: root}
	home := filepath.Join(root, "home")
	run := filepath.Join(root, "run")
	for _, d := range []string{home, run} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if uid != os.Getuid() {
		b.exe = filepath.Join(root, "wirelab.test")
		bin, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(b.exe, bin, 0o755); err != nil {
			t.Fatal(err)
		}
		for d := root; d != "/"; d = filepath.Dir(d) {
			if fi, err := os.Stat(d); err != nil || fi.Mode()&0o001 == 0 {
				t.Skipf("%s is not searchable by uid %d", d, uid)
			}
		}
		for _, d := range []string{home, run} {
			if err := os.Chown(d, uid, uid); err != nil {
				t.Fatal(err)
			}
		}
		b.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)}
	}
	b.env = []string{asWirelab + "=1", "HOME=" + home, "XDG_RUNTIME_DIR=" + run, "PATH=/usr/local/bin:/usr/bin:/bin"}
	return b
}

func (b *wirelabBin) command(args ...string) *exec.Cmd {
	cmd := exec.Command(b.exe, args...)
	cmd.Env = b.env
	cmd.Dir = b.dir
	if b.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: b.cred}
	}
	return cmd
}

// upLab is a `wirelab up` process.
type upLab struct {
	cmd    *exec.Cmd
	out    bytes.Buffer // what it printed up to "is up"
	stderr bytes.Buffer
	waited chan error
}

// up starts `wirelab up ARGS` and waits until it says the lab is up.
func (b *wirelabBin) up(t *testing.T, args ...string) *upLab {
	t.Helper()
	u := &upLab{cmd: b.command(append([]string{"up"}, args...)...), waited: make(chan error, 1)}
	u.cmd.Stderr = &u.stderr
	pipe, err := u.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := u.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		said := false
		for sc.Scan() {
			if !said {
				u.out.WriteString(sc.Text() + "\n")
			}
			if !said && strings.HasPrefix(sc.Text(), "services log:") {
				said = true
				ready <- true
			}
		}
		if !said {
			ready <- false
		}
		u.waited <- u.cmd.Wait()
	}()
	t.Cleanup(func() {
		u.cmd.Process.Kill()
	})
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("wirelab up %v ended before the lab was up: %v\nstdout:\n%s\nstderr:\n%s", args, <-u.waited, u.out.String(), u.stderr.String())
		}
	case <-time.After(2 * time.Minute): // a hang guard, not a timing
		t.Fatalf("wirelab up %v: the lab was not up after 2 minutes\nstdout:\n%s", args, u.out.String())
	}
	return u
}

// stop sends sig to up and waits for it to end.
func (u *upLab) stop(t *testing.T, sig syscall.Signal) {
	t.Helper()
	u.cmd.Process.Signal(sig)
	select {
	case err := <-u.waited:
		if err != nil {
			t.Errorf("wirelab up after %v: %v\n%s", sig, err, u.stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatalf("wirelab up did not stop after %v", sig)
	}
}

// run runs `wirelab exec ARGS` with stdin and returns its output and status.
func (b *wirelabBin) exec(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := b.command(append([]string{"exec"}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	line := strings.Join(args, " ")
	if len(line) > 200 {
		line = line[:200] + "..."
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("wirelab exec %s: %v", line, err)
	}
	guard := time.AfterFunc(3*time.Minute, func() { cmd.Process.Kill() }) // a hang guard, not a timing
	err := cmd.Wait()
	if !guard.Stop() {
		t.Fatalf("wirelab exec %s did not end in 3 minutes\nstdout: %s\nstderr: %s", line, o.String(), e.String())
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("wirelab exec %s: %v", line, err)
	}
	return o.String(), e.String(), cmd.ProcessState.ExitCode()
}

// inNetNS lists the processes whose network namespace is ns ("net:[N]").
func inNetNS(ns string) []string {
	var pids []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if l, err := os.Readlink(filepath.Join("/proc", e.Name(), "ns", "net")); err == nil && l == ns {
			pids = append(pids, e.Name())
		}
	}
	return pids
}

const fetchPy = `import sys, urllib.request
print(urllib.request.urlopen("http://" + sys.argv[1] + "/").read().decode())`

// TestUpExec brings a catalogue lab up, reaches its web server from the
// client host with a Python client run by exec, checks that exit statuses,
// standard input and errors pass through, and that stopping up leaves no
// process in the lab's namespaces and nothing in the runtime folder. As
// root, and as an ordinary user (nobody: user namespaces).
func TestUpExec(t *testing.T) {
	needSandbox(t)
	users := []struct {
		name string
		uid  int
		sig  syscall.Signal
	}{{"as this user", os.Getuid(), syscall.SIGINT}, {"as nobody", 65534, syscall.SIGTERM}}
	for _, u := range users {
		t.Run(u.name, func(t *testing.T) {
			if u.uid != os.Getuid() && os.Geteuid() != 0 {
				t.Skip("not root: the other run is an ordinary user's already")
			}
			b := newWirelabBin(t, u.uid)
			lab := b.up(t, "http-client")
			for _, want := range []string{"lab http-client is up as \"http-client\"", "www.yahoo.com  10.0.0.80  web (http, tcp port 80)", "client         10.0.0.10  the submission's host", "wirelab exec http-client client -- curl http://www.yahoo.com/", "wirelab exec http-client client -- python3 client.py", "state: " + filepath.Join(b.dir, "run", "wirelab", "http-client.json")} {
				if !strings.Contains(lab.out.String(), want) {
					t.Errorf("up does not say %q:\n%s", want, lab.out.String())
				}
			}
			// The same name twice is refused, with the way out.
			if out, err := b.command("up", "http-client").CombinedOutput(); err == nil || !strings.Contains(string(out), `a lab is already up as "http-client"`) || !strings.Contains(string(out), "--name") {
				t.Errorf("a second up of the same name: %v\n%s", err, out)
			}
			// A folder of the lab's name that is not a lab (a student's own
			// http-client/ where exec runs) does not hide the lab that is up.
			if err := os.Mkdir(filepath.Join(b.dir, "http-client"), 0o755); err != nil {
				t.Fatal(err)
			}
			if out, errOut, code := b.exec(t, "", "http-client", "client", "--", "true"); code != 0 {
				t.Errorf("exec http-client from a folder with a folder http-client in it: status %d, %q %q", code, out, errOut)
			}
			os.Remove(filepath.Join(b.dir, "http-client"))
			// By the lab's name for the web server, from the submission's
			// host, with the client program in the current folder.
			if err := os.WriteFile(filepath.Join(b.dir, "fetch.py"), []byte(fetchPy), 0o644); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := b.exec(t, "", "http-client", "client", "--", "python3", "fetch.py", "www.yahoo.com")
			if code != 0 || !strings.Contains(out, "Hello from www.yahoo.com") {
				t.Errorf("fetching http://www.yahoo.com/ from client: status %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			// The folder is a private copy; the machine's files are not there.
			out, errOut, code = b.exec(t, "", "http-client", "client", "--", "sh", "-c", "echo x > written.txt; ls; cat /etc/hosts; ls /root 2>&1; ls "+b.dir+"/home 2>&1; ls /opt/wirelab | sed 's/^/opt: /'; true")
			if code != 0 || !strings.Contains(out, "fetch.py") || !strings.Contains(out, "10.0.0.80\twww.yahoo.com") ||
				!strings.Contains(out, "cannot access '/root'") || !strings.Contains(out, "cannot access '"+b.dir+"/home'") ||
				!strings.Contains(out, "opt: "+filepath.Base(b.exe)+"\n") {
				t.Errorf("the command's view: status %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			if _, err := os.Stat(filepath.Join(b.dir, "written.txt")); err == nil {
				t.Errorf("a file the command wrote reached the caller's folder")
			}
			out, _, code = b.exec(t, "from stdin\n", "http-client", "www.yahoo.com", "--", "sh", "-c", "cat; echo to stderr >&2; exit 7")
			if code != 7 || out != "from stdin\n" {
				t.Errorf("sh -c 'cat; exit 7': status %d, stdout %q; want 7, the input", code, out)
			}
			// A command line longer than the control socket's buffer (about
			// 200 KB) reaches the command whole; one over exec's 1 MiB is
			// refused with the reason.
			longLine := func(n int) []string {
				args := []string{"http-client", "client", "--", "sh", "-c", "echo $#", "sh"}
				for range n {
					args = append(args, strings.Repeat("y", 1000))
				}
				return args
			}
			out, errOut, code = b.exec(t, "", longLine(300)...)
			if code != 0 || out != "300\n" {
				t.Errorf("a 300 KB command line: status %d, stdout %q, stderr %q; want 0, 300 arguments", code, out, errOut)
			}
			_, errOut, code = b.exec(t, "", longLine(1100)...)
			if code != 125 || !strings.Contains(errOut, "error: the command line is too long for exec: ") {
				t.Errorf("a 1.1 MB command line: status %d, stderr %q; want 125, too long", code, errOut)
			}
			_, errOut, code = b.exec(t, "", "http-client", "nohost", "--", "true")
			if code != 125 || !strings.Contains(errOut, `the lab has no host "nohost" (hosts: client, www.yahoo.com)`) {
				t.Errorf("an unknown host: status %d, %s", code, errOut)
			}
			_, errOut, code = b.exec(t, "", "http-client", "client", "--", "no-such-command")
			if code != 127 || !strings.Contains(errOut, `cannot run "no-such-command": no such command`) {
				t.Errorf("an unknown command: status %d, %s", code, errOut)
			}
			_, errOut, code = b.exec(t, "", "not-up", "client", "--", "true")
			if code != 125 || !strings.Contains(errOut, `lab "not-up" is not up (up now: http-client)`) {
				t.Errorf("a lab that is not up: status %d, %s", code, errOut)
			}

			// A command still running when up stops: it ends with it, and
			// nothing stays in the lab's namespaces.
			nsOut, _, code := b.exec(t, "", "http-client", "client", "--", "readlink", "/proc/self/ns/net")
			ns := strings.TrimSpace(nsOut)
			if code != 0 || !strings.HasPrefix(ns, "net:[") {
				t.Fatalf("readlink /proc/self/ns/net in client: status %d, %q", code, nsOut)
			}
			long := b.command("exec", "http-client", "client", "--", "sh", "-c", "echo started; sleep 600")
			longOut, err := long.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var longErr bytes.Buffer
			long.Stderr = &longErr
			if err := long.Start(); err != nil {
				t.Fatal(err)
			}
			line, _ := bufio.NewReader(longOut).ReadString('\n')
			if line != "started\n" {
				t.Fatalf("the long command said %q", line)
			}
			if len(inNetNS(ns)) == 0 {
				t.Fatalf("no process in the client's namespace %s while a command runs there", ns)
			}
			lab.stop(t, u.sig)
			long.Wait()
			// It says why: the lab stopped (137, killed), or, when the
			// worker ended before it could say so, 125.
			switch code := long.ProcessState.ExitCode(); {
			case code == 137 && strings.Contains(longErr.String(), "wirelab exec: the lab is no longer up (its wirelab up was stopped), so the command was stopped with it\n"):
			case code == 125 && strings.Contains(longErr.String(), "error: the lab stopped while the command ran\n"):
			default:
				t.Errorf("the command running when up stopped: status %d, stderr %q; want 137 (killed) and the lab's end as the reason, or 125", code, longErr.String())
			}
			if pids := inNetNS(ns); len(pids) > 0 {
				t.Errorf("processes %v are still in the lab's namespace %s after up stopped", pids, ns)
			}
			left, _ := filepath.Glob(filepath.Join(b.dir, "run", "wirelab", "*"))
			if len(left) > 0 {
				t.Errorf("up left %v behind", left)
			}
		})
	}
}

// TestExecTTY runs a program at a terminal: it gets a terminal of its own,
// and Ctrl-C typed at exec's terminal interrupts the program (status 130),
// not exec. Without a terminal, SIGINT to exec (Ctrl-C at a terminal exec
// does not read) is passed on to the program, which decides what it means.
// The program is python3, whose SIGINT handler is set before it says it is
// ready (a shell that gets Ctrl-C just before it starts its child waits for
// that child). It waits on a pipe that Python's signal handler writes to,
// not in time.sleep: a SIGINT that lands after "ready" is printed but before
// sleep has entered the kernel is only acted on when the sleep ends (seen 4
// times in 200 runs under load), so the test would wait out the whole sleep.
func TestExecTTY(t *testing.T) {
	needSandbox(t)
	b := newWirelabBin(t, os.Getuid())
	lab := b.up(t, "http-client", "--name", "tty")
	defer lab.stop(t, syscall.SIGTERM)
	master, slave, err := jail.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	const prog = `import os, select, signal, sys
r, w = os.pipe()
os.set_blocking(w, False)
signal.set_wakeup_fd(w)
print("stdin-is-a-terminal" if sys.stdin.isatty() else "no terminal", flush=True)
print("ready", flush=True)
select.select([r], [], [], 600)
print("not interrupted")`
	cmd := b.command("exec", "tty", "client", "--", "python3", "-c", prog)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0} // a person's session at that terminal
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var seen bytes.Buffer
	r := bufio.NewReader(master)
	for !strings.Contains(seen.String(), "ready") {
		line, err := r.ReadString('\n')
		seen.WriteString(line)
		if err != nil {
			t.Fatalf("reading the terminal: %v\n%s", err, seen.String())
		}
	}
	if !strings.Contains(seen.String(), "stdin-is-a-terminal") {
		t.Errorf("the command has no terminal of its own:\n%s", seen.String())
	}
	master.Write([]byte{3})                       // Ctrl-C
	guard := time.AfterFunc(time.Minute, func() { // a hang guard, not a timing: exec dumps its goroutines
		out, _ := exec.Command("ps", "-ef", "--forest").CombinedOutput()
		t.Errorf("exec did not end a minute after Ctrl-C; ps:\n%s", out)
		cmd.Process.Signal(syscall.SIGQUIT)
	})
	rest, _ := io.ReadAll(r)
	guard.Stop()
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("after Ctrl-C: status %d, want 130 (SIGINT)\n%s%s", code, seen.String(), rest)
	}
	if strings.Contains(string(rest), "not interrupted") || !strings.Contains(string(rest), "KeyboardInterrupt") {
		t.Errorf("Ctrl-C did not reach the command as SIGINT:\n%s", rest)
	}

	// No terminal: exec passes SIGINT on.
	plain := b.command("exec", "tty", "client", "--", "python3", "-c", prog)
	out, err := plain.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	plain.Stderr = &errOut
	if err := plain.Start(); err != nil {
		t.Fatal(err)
	}
	pr := bufio.NewReader(out)
	for line := ""; line != "ready\n"; {
		if line, err = pr.ReadString('\n'); err != nil {
			t.Fatalf("exec without a terminal: %v\n%s", err, errOut.String())
		}
		if line == "stdin-is-a-terminal\n" {
			t.Errorf("exec without a terminal gave the command one")
		}
	}
	plain.Process.Signal(syscall.SIGINT)
	io.Copy(io.Discard, pr)
	plain.Wait()
	if code := plain.ProcessState.ExitCode(); code != 130 || !strings.Contains(errOut.String(), "KeyboardInterrupt") {
		t.Errorf("SIGINT to exec without a terminal: status %d, want 130 (the program's KeyboardInterrupt)\n%s", code, errOut.String())
	}
}

// TestUpKilled kills `wirelab up` with SIGKILL while a command that left a
// daemon behind runs in the lab: the worker, the command and the daemon all
// end, and nothing is left in the lab's namespace; the next up of the same
// name clears the dead one's socket.
func TestUpKilled(t *testing.T) {
	needSandbox(t)
	b := newWirelabBin(t, os.Getuid())
	folder, err := filepath.Abs(filepath.Join("..", "labs", "http-client"))
	if err != nil {
		t.Fatal(err)
	}
	lab := b.up(t, folder, "--name", "killed")
	// The state names the process and the lab's folder; exec finds the lab
	// by its folder, whatever name it is up as.
	var st sandbox.State
	if data, err := os.ReadFile(filepath.Join(b.dir, "run", "wirelab", "killed.json")); err != nil || json.Unmarshal(data, &st) != nil ||
		st.PID != lab.cmd.Process.Pid || st.Path != folder || st.Lab != "http-client" {
		t.Errorf("the state file: %+v, %v; want pid %d, the lab's folder", st, err, lab.cmd.Process.Pid)
	}
	if out, errOut, code := b.exec(t, "", folder, "client", "--", "cat", "/etc/hostname"); code != 0 {
		t.Errorf("exec by the lab's folder: status %d, %q %q", code, out, errOut)
	}
	nsOut, _, code := b.exec(t, "", "killed", "www.yahoo.com", "--", "readlink", "/proc/self/ns/net")
	ns := strings.TrimSpace(nsOut)
	if code != 0 || !strings.HasPrefix(ns, "net:[") {
		t.Fatalf("readlink /proc/self/ns/net: status %d, %q", code, nsOut)
	}
	long := b.command("exec", "killed", "www.yahoo.com", "--", "sh", "-c", "setsid sleep 600 < /dev/null > /dev/null 2>&1 & echo started; sleep 600")
	longOut, err := long.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := long.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(longOut).ReadString('\n'); line != "started\n" {
		t.Fatalf("the command said %q", line)
	}
	lab.cmd.Process.Kill()
	<-lab.waited
	long.Wait()
	// The kernel ends them as the descriptors close: wait for it, bounded.
	for end := time.Now().Add(time.Minute); len(inNetNS(ns)) > 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			out, _ := exec.Command("ps", "-ef", "--forest").CombinedOutput()
			t.Fatalf("processes %v are still in the lab's namespace a minute after up was killed:\n%s", inNetNS(ns), out)
		}
	}
	// exec tells the killed lab apart, and clears what it left.
	_, errOut, code := b.exec(t, "", "killed", "client", "--", "true")
	if want := fmt.Sprintf(`lab "killed" is not up: the wirelab up that kept it (pid %d, up since`, lab.cmd.Process.Pid); code != 125 || !strings.Contains(errOut, want) ||
		!strings.Contains(errOut, "wirelab up "+folder+" --name killed") {
		t.Errorf("exec in a killed lab: status %d, %s; want 125, %q and the way to start it again", code, errOut, want)
	}
	if left, _ := filepath.Glob(filepath.Join(b.dir, "run", "wirelab", "killed*")); len(left) > 0 {
		t.Errorf("exec left the killed lab's %v", left)
	}
	if _, errOut, code = b.exec(t, "", "killed", "client", "--", "true"); code != 125 || !strings.Contains(errOut, `lab "killed" is not up (no lab is up)`) {
		t.Errorf("exec in a lab whose leftovers are cleared: status %d, %s", code, errOut)
	}
	again := b.up(t, "http-client", "--name", "killed")
	again.stop(t, syscall.SIGINT)
}

// TestRunKeep grades a run, then keeps the lab up: run --keep prints what up
// prints, exec reaches the lab's web server, and after Ctrl-C run exits with
// the grade's status.
func TestRunKeep(t *testing.T) {
	needSandbox(t)
	b := newWirelabBin(t, os.Getuid())
	cmd := b.command("run", "http-client", "--keep", "--out", filepath.Join(b.dir, "out"))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var said bytes.Buffer
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		said.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "services log:") {
			break
		}
	}
	for _, want := range []string{`lab http-client is up as "http-client"`, "www.yahoo.com  10.0.0.80  web (http, tcp port 80)", "wirelab exec http-client client -- curl http://www.yahoo.com/"} {
		if !strings.Contains(said.String(), want) {
			t.Errorf("run --keep does not say %q:\n%s", want, said.String())
		}
	}
	go io.Copy(io.Discard, pipe)
	if err := os.WriteFile(filepath.Join(b.dir, "fetch.py"), []byte(fetchPy), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := b.exec(t, "", "http-client", "client", "--", "python3", "fetch.py", "www.yahoo.com"); code != 0 || !strings.Contains(out, "Hello from www.yahoo.com") {
		t.Errorf("exec after run --keep: status %d\n%s%s", code, out, errOut)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	if err != nil || !strings.Contains(stdout.String(), "score 9/9  passed") {
		t.Errorf("run --keep after Ctrl-C: %v; report:\n%s", err, stdout.String())
	}
}
