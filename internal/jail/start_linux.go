package jail

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
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// asUser, when set (by tests running as root), starts the jail the way an
// ordinary user's start goes: in a user namespace, as this uid and gid on the
// host, without cgroups.
var asUser *[2]int

// jailExe, when set (by tests), is the binary started as the init.
var jailExe string

// nobody is the program's user when the caller is root on the machine.
const nobody = 65534

// Capabilities a program keeps (in its bounding set, and as ambient
// capabilities when it runs as nobody): raw sockets (ping, a traceroute, a
// packet crafter in the lab's network) and ports below 1024 (a lab's server
// on port 80). Both act only in the network namespace the jail shares, the
// lab host's.
const (
	capNetBindService = 10
	capNetRaw         = 13
)

var keptCaps = []uintptr{capNetBindService, capNetRaw}

// identity is who the program runs as, and how the jail gets there.
type identity struct {
	newUser        bool // the jail makes a user namespace
	mapUID, mapGID int  // with newUser: the ids on the host the namespace's root is
	setUID         bool // with newUser: the child sets its ids to 0 first (asUser)
	uid, gid       int  // the program's ids inside the jail
	ambient        bool // the program is not root: keptCaps are ambient
	hostUID        int  // the program's uid as this process sees it
}

// whoRuns decides the identity: root on the machine runs the program as
// nobody with keptCaps; a process with CAP_SYS_ADMIN in a user namespace of
// its own (the sandbox's worker of an ordinary user) runs it as its own uid;
// anyone else gets a user namespace whose root is their own uid.
func whoRuns() identity {
	if asUser != nil {
		return identity{newUser: true, mapUID: asUser[0], mapGID: asUser[1], setUID: true, hostUID: asUser[0]}
	}
	if hasCapSysAdmin() {
		if os.Geteuid() == 0 && initialUserNS() {
			return identity{uid: nobody, gid: nobody, ambient: true, hostUID: nobody}
		}
		return identity{uid: os.Geteuid(), gid: os.Getegid(), hostUID: os.Geteuid()}
	}
	return identity{newUser: true, mapUID: os.Geteuid(), mapGID: os.Getegid(), hostUID: os.Geteuid()}
}

// Proc is a running jail.
type Proc struct {
	spec  Spec
	lim   Limits
	cmd   *exec.Cmd
	pid   int
	cg    *cgroups
	enf   []string
	begin time.Time

	lifeline *os.File   // the init ends when this closes
	lifeMu   sync.Mutex // one line at a time on lifeline
	msgs     chan message
	waited   chan error
	copies   sync.WaitGroup
	stderr   *tailBuffer // the init's own stderr
	progErr  *tailBuffer // the program's last stderr bytes, for the rlimit case

	mu     sync.Mutex
	killed *Result

	once sync.Once
	res  *Result

	nsPID, nsMnt string   // the jail's namespaces, for tests
	root         string   // the init's mount point, removed once it is set up
	cgDirs       []string // the jail's cgroups, for tests
}

// message is one line of JSON from the init.
type message struct {
	Started bool        `json:"started,omitempty"`
	Error   string      `json:"error,omitempty"`
	Exit    *exitStatus `json:"exit,omitempty"`
}

type exitStatus struct {
	Code      int    `json:"code"`
	Signal    int    `json:"signal,omitempty"`
	ExecError string `json:"exec_error,omitempty"`
}

// Start sets up the jail and starts the program. The error is a *SetupError
// when the jail could not be made. It must be called on the OS thread whose
// network namespace the program is to share (clone inherits it).
func Start(spec Spec) (*Proc, error) {
	if len(spec.Argv) == 0 || spec.Argv[0] == "" {
		return nil, &SetupError{"jail: no command to run"}
	}
	lim := spec.Limits.WithDefaults()
	if spec.Dir != "" {
		abs, err := filepath.Abs(spec.Dir)
		if err != nil {
			return nil, &SetupError{err.Error()}
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			return nil, &SetupError{fmt.Sprintf("jail: the program's folder %q is not a folder", spec.Dir)}
		}
		spec.Dir = abs
	}
	for _, b := range spec.ReadOnly {
		if !filepath.IsAbs(b.Jail) || !filepath.IsAbs(b.Host) {
			return nil, &SetupError{fmt.Sprintf("jail: bind %q -> %q: both paths must be absolute", b.Host, b.Jail)}
		}
	}
	for p := range spec.Files {
		if !filepath.IsAbs(p) {
			return nil, &SetupError{fmt.Sprintf("jail: file %q: the path must be absolute", p)}
		}
	}
	who := whoRuns()
	p := &Proc{spec: spec, lim: lim, msgs: make(chan message, 4), waited: make(chan error, 1),
		stderr: &tailBuffer{max: 16 << 10, keepHead: true}, progErr: &tailBuffer{max: 4 << 10}}
	if asUser != nil {
		p.cg = &cgroups{why: "started as an ordinary user"}
	} else {
		p.cg = makeCgroups(lim)
	}
	memEnf, procEnf := p.cg.enforced()
	p.enf = []string{memEnf, procEnf, fmt.Sprintf("open files and sockets: RLIMIT_NOFILE %d per process", lim.Files)}
	if lim.Timeout > 0 {
		p.enf = append([]string{fmt.Sprintf("time: a %v wall-clock deadline", lim.Timeout)}, p.enf...)
	}
	if spec.TTY {
		p.enf = append(p.enf, "output: not counted (a terminal)")
	} else {
		p.enf = append(p.enf, fmt.Sprintf("output: %d bytes", lim.Output))
	}
	fail := func(err error) (*Proc, error) {
		p.cg.remove()
		var se *SetupError
		if errors.As(err, &se) {
			return nil, se
		}
		return nil, &SetupError{err.Error()}
	}

	cfg := initConfig{
		Argv: spec.Argv, Env: programEnv(spec), Dir: spec.Dir, Writable: spec.Writable,
		ReadOnly: spec.ReadOnly, Files: spec.Files, UID: who.uid, GID: who.gid, Ambient: who.ambient,
		TTY: spec.TTY,
		Rlimits: []rlimit{
			{syscall.RLIMIT_NOFILE, uint64(lim.Files)},
			{rlimitCore, 0},
		},
	}
	if !p.cg.memOn {
		cfg.Rlimits = append(cfg.Rlimits, rlimit{syscall.RLIMIT_AS, uint64(lim.Memory)})
	}
	if !p.cg.pidsOn {
		// RLIMIT_NPROC counts every task of the program's user in its user
		// namespace: those outside the jail now, the init's own threads
		// when it is the same user, and the program's.
		base := 0
		if !who.newUser {
			base = countTasks(who.hostUID)
		}
		cfg.Rlimits = append(cfg.Rlimits, rlimit{rlimitNproc, uint64(base + lim.Processes)})
		cfg.NprocAddOwn = who.newUser || who.uid == os.Geteuid()
	}
	root, err := os.MkdirTemp("", "wirelab-jail-")
	if err != nil {
		return fail(fmt.Errorf("jail: making its mount point: %w", err))
	}
	defer os.Remove(root)
	cfg.Root = root
	p.root = root
	p.cgDirs = append([]string(nil), p.cg.created...)

	exe := "/proc/self/exe"
	if jailExe != "" {
		exe = jailExe
	}
	cfgR, cfgW, err := os.Pipe()
	if err != nil {
		return fail(err)
	}
	statR, statW, err := os.Pipe()
	if err != nil {
		cfgR.Close()
		cfgW.Close()
		return fail(err)
	}
	var closeAfter []*os.File // the child's ends, closed here once it started
	closeAfter = append(closeAfter, cfgR, statW)
	var parentEnds []*os.File
	closeAll := func() {
		for _, f := range closeAfter {
			f.Close()
		}
		closeAfter = nil
	}
	stdin := spec.Stdin
	if stdin == nil {
		if stdin, err = os.Open(os.DevNull); err != nil {
			closeAll()
			return fail(err)
		}
		closeAfter = append(closeAfter, stdin)
	}
	files := []*os.File{cfgR, statW, stdin}
	outFile := func(w io.Writer, counted io.Writer) (*os.File, error) {
		if f, ok := w.(*os.File); ok && spec.TTY {
			return f, nil
		}
		r, wr, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		closeAfter = append(closeAfter, wr)
		parentEnds = append(parentEnds, r)
		p.copies.Add(1)
		go func() {
			defer p.copies.Done()
			defer r.Close()
			io.Copy(counted, r)
		}()
		return wr, nil
	}
	out := &countedOutput{max: lim.Output, over: func() {
		p.kill(&Result{Reason: result.ExitOutput, Code: -1, Signal: "SIGKILL",
			Message: fmt.Sprintf("the program printed more than %d bytes of output and was stopped", lim.Output)})
	}}
	stdout := &outputSide{c: out, w: spec.Stdout, tail: p.progErr}
	stderr := &outputSide{c: out, w: spec.Stderr, tail: p.progErr}
	// The program's stdout and stderr share one pipe when they go to one
	// writer: the order of their lines is kept.
	fo, err := outFile(spec.Stdout, &countedSide{stdout})
	if err != nil {
		closeAll()
		return fail(err)
	}
	fe := fo
	if spec.Stderr != spec.Stdout || spec.Stdout == nil {
		if fe, err = outFile(spec.Stderr, &countedSide{stderr}); err != nil {
			closeAll()
			return fail(err)
		}
	}
	files = append(files, fo, fe)

	cmd := &exec.Cmd{Path: exe, Args: []string{exe, Arg}, Env: []string{jailEnv + "=init"}, Stderr: p.stderr, ExtraFiles: files}
	attr := &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWPID | syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS,
		Setsid:     !spec.TTY,
	}
	if who.newUser {
		attr.Cloneflags |= syscall.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: who.mapUID, Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: who.mapGID, Size: 1}}
		attr.GidMappingsEnableSetgroups = false
		if who.setUID {
			attr.Credential = &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true}
		}
	}
	cmd.SysProcAttr = attr
	p.cmd = cmd
	// Started on the caller's thread: the program shares its network
	// namespace. No Pdeathsig, which fires when that thread ends (netlab's
	// NS.Do ends it): the lifeline pipe ends the init with this process.
	if err := cmd.Start(); err != nil {
		closeAll()
		cfgW.Close()
		statR.Close()
		for _, f := range parentEnds {
			f.Close()
		}
		return fail(&SetupError{startError(who, err)})
	}
	closeAll()
	p.pid = cmd.Process.Pid
	p.lifeline = cfgW
	go func() { p.waited <- cmd.Wait() }()
	p.nsPID, _ = os.Readlink(fmt.Sprintf("/proc/%d/ns/pid", p.pid))
	p.nsMnt, _ = os.Readlink(fmt.Sprintf("/proc/%d/ns/mnt", p.pid))
	if err := p.cg.add(p.pid); err != nil {
		p.abort()
		return fail(&SetupError{"jail: " + err.Error()})
	}
	p.lifeMu.Lock()
	go func() {
		defer p.lifeMu.Unlock()
		json.NewEncoder(cfgW).Encode(&cfg)
		// cfgW stays open: it is the init's lifeline.
	}()
	go func() {
		defer close(p.msgs)
		defer statR.Close()
		sc := bufio.NewScanner(statR)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var m message
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				p.msgs <- m
			}
		}
	}()
	timer := time.NewTimer(setupTimeout)
	defer timer.Stop()
	select {
	case m, ok := <-p.msgs:
		switch {
		case ok && m.Started:
		case ok && m.Error != "":
			p.abort()
			return fail(&SetupError{"jail: " + m.Error})
		default:
			p.abort()
			msg := "jail: the init exited during setup"
			if s := strings.TrimSpace(p.stderr.String()); s != "" {
				msg += ": " + firstLines(s, 6)
			}
			return fail(&SetupError{msg})
		}
	case <-timer.C:
		p.abort()
		return fail(&SetupError{fmt.Sprintf("jail: not set up after %v", setupTimeout)})
	}
	p.begin = time.Now()
	return p, nil
}

// abort kills a jail that failed to start and waits for it.
func (p *Proc) abort() {
	syscall.Kill(p.pid, syscall.SIGKILL)
	<-p.waited
	p.lifeline.Close()
	p.copies.Wait()
}

// Kill kills every process of the tree, now. Wait then reports Reason error,
// "stopped", unless a limit came first.
func (p *Proc) Kill() {
	p.kill(&Result{Reason: result.ExitError, Code: -1, Signal: "SIGKILL", Message: "the program was stopped"})
}

// Signal passes sig on to every process of the program (SIGKILL: Kill),
// as a terminal's Ctrl-C reaches its foreground processes: the program
// decides what it means, and its status says how it ended.
func (p *Proc) Signal(sig syscall.Signal) {
	if sig == syscall.SIGKILL {
		p.Kill()
		return
	}
	p.lifeMu.Lock()
	defer p.lifeMu.Unlock()
	json.NewEncoder(p.lifeline).Encode(signalMessage{Signal: int(sig)}) // after Wait: closed, and nothing to signal
}

// kill records why the tree is killed (the first reason stands) and kills
// the init: the PID namespace's end takes every process with it.
func (p *Proc) kill(r *Result) {
	p.mu.Lock()
	if p.killed == nil {
		p.killed = r
	}
	p.mu.Unlock()
	syscall.Kill(p.pid, syscall.SIGKILL)
}

func (p *Proc) killedWith() *Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.killed
}

// pollEvery is how often Wait looks at the tree's processes, memory and
// open files.
const pollEvery = 20 * time.Millisecond

// Wait waits for the program to end, killing the tree at the deadline or a
// limit, and removes the jail's cgroups. It may be called more than once.
func (p *Proc) Wait() *Result {
	p.once.Do(func() { p.res = p.wait() })
	return p.res
}

func (p *Proc) wait() *Result {
	var deadline <-chan time.Time
	if p.lim.Timeout > 0 {
		t := time.NewTimer(time.Until(p.begin.Add(p.lim.Timeout)))
		defer t.Stop()
		deadline = t.C
	}
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var st *exitStatus
	msgs := p.msgs
	for done := false; !done; {
		select {
		case m, ok := <-msgs:
			if !ok {
				msgs = nil
				continue
			}
			if m.Exit != nil {
				st = m.Exit
			}
		case <-deadline:
			p.kill(&Result{Reason: result.ExitTimeout, Code: -1, Signal: "SIGKILL",
				Message: fmt.Sprintf("the program ran past its %v deadline and was killed", p.lim.Timeout)})
		case <-tick.C:
			p.watch()
		case <-p.waited:
			done = true
		}
	}
	if msgs != nil {
		for m := range msgs {
			if m.Exit != nil {
				st = m.Exit
			}
		}
	}
	end := time.Now()
	p.lifeline.Close()
	// Every writer of the output pipes was in the PID namespace, which is
	// gone: the copies end.
	p.copies.Wait()
	r := p.verdict(st)
	r.Duration = end.Sub(p.begin)
	r.Enforced = p.enf
	if err := p.cg.remove(); err != nil {
		r.Enforced = append(r.Enforced, "warning: a cgroup of the jail could not be removed: "+err.Error())
	}
	return r
}

// watch looks at the tree once: a limit that was reached kills it.
func (p *Proc) watch() {
	if p.killedWith() != nil {
		return
	}
	if p.cg.pidsHit() {
		p.kill(p.processesResult())
		return
	}
	if hit, sockets := p.cg.memoryHit(); hit {
		p.kill(p.memoryResult(sockets))
		return
	}
	tasks, rss, maxFDs := p.scan()
	switch {
	case maxFDs >= p.lim.Files:
		p.kill(&Result{Reason: result.ExitSockets, Code: -1, Signal: "SIGKILL",
			Message: fmt.Sprintf("the program opened %d files and sockets, the limit, and was stopped", p.lim.Files)})
	case !p.cg.pidsOn && tasks >= p.lim.Processes:
		p.kill(p.processesResult())
	case !p.cg.memOn && rss > p.lim.Memory:
		p.kill(&Result{Reason: result.ExitMemory, Code: -1, Signal: "SIGKILL",
			Message: fmt.Sprintf("the program used %s of memory, over the %s limit, and was killed", mib(rss), mib(p.lim.Memory))})
	}
}

func (p *Proc) processesResult() *Result {
	return &Result{Reason: result.ExitProcesses, Code: -1, Signal: "SIGKILL",
		Message: fmt.Sprintf("the program started more than %d processes and threads at once and was stopped", p.lim.Processes)}
}

func (p *Proc) memoryResult(sockets bool) *Result {
	if sockets {
		return &Result{Reason: result.ExitMemory, Code: -1, Signal: "SIGKILL",
			Message: fmt.Sprintf("the program's sockets held more than the %s memory limit in buffers and it was stopped", mib(p.lim.Memory))}
	}
	return &Result{Reason: result.ExitMemory, Code: -1, Signal: "SIGKILL",
		Message: fmt.Sprintf("the program ran out of memory (the %s limit) and was killed", mib(p.lim.Memory))}
}

// scan walks the tree below the init: its tasks, resident memory, and the
// most descriptors one process holds.
func (p *Proc) scan() (tasks int, rss int64, maxFDs int) {
	queue := []int{p.pid}
	seen := map[int]bool{p.pid: true}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		dir := "/proc/" + strconv.Itoa(pid)
		ts, err := os.ReadDir(dir + "/task")
		if err != nil {
			continue
		}
		if pid != p.pid {
			tasks += len(ts)
			rss += readRSS(dir)
			if fds, err := os.ReadDir(dir + "/fd"); err == nil && len(fds) > maxFDs {
				maxFDs = len(fds)
			}
		}
		for _, t := range ts {
			b, _ := os.ReadFile(dir + "/task/" + t.Name() + "/children")
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil && !seen[c] {
					seen[c] = true
					queue = append(queue, c)
				}
			}
		}
	}
	return tasks, rss, maxFDs
}

// verdict turns how the program ended into a Result.
func (p *Proc) verdict(st *exitStatus) *Result {
	if k := p.killedWith(); k != nil {
		r := *k
		return &r
	}
	if st == nil {
		msg := "the jail's init died without reporting how the program ended"
		if s := strings.TrimSpace(p.stderr.String()); s != "" {
			msg += ": " + firstLines(s, 6)
		}
		if hit, sockets := p.cg.memoryHit(); hit {
			// The OOM killer may pick the init itself.
			return p.memoryResult(sockets)
		}
		return &Result{Reason: result.ExitCrash, Code: -1, Message: msg}
	}
	if st.ExecError != "" {
		return &Result{Reason: result.ExitError, Code: st.Code, Message: st.ExecError}
	}
	if st.Signal == 0 && st.Code == 0 {
		return &Result{Reason: result.ExitOK}
	}
	// A limit the program ran into just before it died, before watch saw it.
	if p.cg.pidsHit() {
		r := p.processesResult()
		r.Code, r.Signal = st.Code, signalName(st.Signal)
		return r
	}
	if hit, sockets := p.cg.memoryHit(); hit {
		r := p.memoryResult(sockets)
		r.Code, r.Signal = st.Code, signalName(st.Signal)
		return r
	}
	if st.Signal != 0 {
		sig := syscall.Signal(st.Signal)
		return &Result{Reason: result.ExitCrash, Code: -1, Signal: signalName(st.Signal),
			Message: fmt.Sprintf("the program was killed by %s (%s)", signalName(st.Signal), sig)}
	}
	// Without cgroups a limit is an rlimit the program hit: its own error
	// message says which.
	tail := p.progErr.String()
	switch {
	case !p.cg.memOn && memoryMessage(tail):
		return &Result{Reason: result.ExitMemory, Code: st.Code,
			Message: fmt.Sprintf("the program ran out of memory (an allocation failed under the %s limit) and exited with status %d", mib(p.lim.Memory), st.Code)}
	case strings.Contains(tail, "Too many open files"):
		return &Result{Reason: result.ExitSockets, Code: st.Code,
			Message: fmt.Sprintf("the program opened more than %d files and sockets (the limit) and exited with status %d", p.lim.Files, st.Code)}
	case !p.cg.pidsOn && processesMessage(tail):
		return &Result{Reason: result.ExitProcesses, Code: st.Code,
			Message: fmt.Sprintf("the program could not start another process under the limit of %d and exited with status %d", p.lim.Processes, st.Code)}
	}
	return &Result{Reason: result.ExitError, Code: st.Code, Message: fmt.Sprintf("the program exited with status %d", st.Code)}
}

func memoryMessage(s string) bool {
	for _, m := range []string{"MemoryError", "Cannot allocate memory", "out of memory", "std::bad_alloc", "OutOfMemoryError"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

func processesMessage(s string) bool {
	return strings.Contains(s, "Resource temporarily unavailable") || strings.Contains(s, "BlockingIOError") || strings.Contains(s, "fork: retry")
}

// programEnv is the program's environment: the jail's, then the caller's
// extras (which win).
func programEnv(spec Spec) []string {
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8"}
	if spec.TTY {
		if t := os.Getenv("TERM"); t != "" {
			env = append(env, "TERM="+t)
		}
	}
	for _, kv := range spec.Env {
		k, _, _ := strings.Cut(kv, "=")
		for i, e := range env {
			if strings.HasPrefix(e, k+"=") {
				env = append(env[:i], env[i+1:]...)
				break
			}
		}
		env = append(env, kv)
	}
	return env
}

// countTasks counts the tasks (threads included, as RLIMIT_NPROC does) of
// processes whose real uid is uid.
func countTasks(uid int) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	n := 0
	want := strconv.Itoa(uid)
	for _, e := range ents {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/status")
		if err != nil {
			continue
		}
		var uidOK bool
		threads := 1
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "Uid:"); ok {
				f := strings.Fields(v)
				uidOK = len(f) > 0 && f[0] == want
			}
			if v, ok := strings.CutPrefix(line, "Threads:"); ok {
				threads, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		if uidOK {
			n += threads
		}
	}
	return n
}

func readRSS(dir string) int64 {
	b, err := os.ReadFile(dir + "/status")
	if err != nil {
		return 0
	}
	i := bytes.Index(b, []byte("VmRSS:"))
	if i < 0 {
		return 0
	}
	rest := b[i+6:]
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	f := strings.Fields(string(rest))
	if len(f) == 0 {
		return 0
	}
	kb, _ := strconv.ParseInt(f[0], 10, 64)
	return kb << 10
}

// hasCapSysAdmin reports whether this process may make mount and PID
// namespaces directly: CAP_SYS_ADMIN in its effective set.
func hasCapSysAdmin() bool {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if hex, ok := strings.CutPrefix(line, "CapEff:"); ok {
			v, err := strconv.ParseUint(strings.TrimSpace(hex), 16, 64)
			return err == nil && v&(1<<21) != 0
		}
	}
	return false
}

// initialUserNS reports whether this process is in the machine's own user
// namespace (its uid map is the identity over every id).
func initialUserNS() bool {
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return true
	}
	f := strings.Fields(string(b))
	return len(f) == 3 && f[0] == "0" && f[1] == "0" && f[2] == "4294967295"
}

// startError explains why the init could not start, and how to fix it.
func startError(who identity, err error) string {
	if !who.newUser {
		return fmt.Sprintf("jail: cannot make the mount and PID namespaces: %v", err)
	}
	msg := fmt.Sprintf("jail: cannot make a user namespace for the program: %v", err)
	if v, _ := os.ReadFile("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"); strings.TrimSpace(string(v)) == "1" {
		msg += "; AppArmor restricts unprivileged user namespaces: `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`"
	}
	if v, _ := os.ReadFile("/proc/sys/user/max_user_namespaces"); strings.TrimSpace(string(v)) == "0" {
		msg += "; user namespaces are limited to 0: `sudo sysctl user.max_user_namespaces=15000`"
	}
	return msg + " (see docs/security.md)"
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// countedOutput counts the program's stdout and stderr together and stops
// both at max.
type countedOutput struct {
	mu   sync.Mutex
	n    int64
	max  int64
	done bool
	over func()
}

// outputSide is one of the program's output streams.
type outputSide struct {
	c    *countedOutput
	w    io.Writer
	tail *tailBuffer
}

type countedSide struct{ s *outputSide }

func (cs *countedSide) Write(b []byte) (int, error) {
	s := cs.s
	c := s.c
	c.mu.Lock()
	if c.done {
		c.mu.Unlock()
		return len(b), nil
	}
	keep := b
	over := false
	if room := c.max - c.n; int64(len(b)) > room {
		keep = b[:room]
		over = true
		c.done = true
	}
	c.n += int64(len(keep))
	c.mu.Unlock()
	if s.w != nil {
		s.w.Write(keep)
		if over {
			fmt.Fprintf(s.w, "\n[wirelab: output truncated after %d bytes]\n", c.max)
		}
	}
	if s.tail != nil {
		s.tail.Write(keep)
	}
	if over && c.over != nil {
		c.over()
	}
	return len(b), nil
}

// tailBuffer keeps the first (keepHead) or the last max bytes written.
type tailBuffer struct {
	mu       sync.Mutex
	buf      []byte
	max      int
	keepHead bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.keepHead {
		if room := t.max - len(t.buf); room > 0 {
			t.buf = append(t.buf, p[:min(len(p), room)]...)
		}
		return len(p), nil
	}
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
