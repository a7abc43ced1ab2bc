package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// A lab's Lua checks are code wirelab did not write, like a submission: a
// lab is often downloaded from someone else. They run in a check worker, the
// wirelab binary re-executed (WorkerArg, mode "checks"), one per evaluation
// for all of its Lua checks, never in the grading process. The worker has a
// network namespace of its own with nothing in it (its loopback is down) and
// its Lua states are offline (no socket, scan, banner or capture.start); the
// parent holds a memory cap and a deadline (CPU time) per check with SIGKILL, which
// reaches a check stuck in a Go built-in (a backtracking string.find) as it
// reaches a submission.

// defaultCheckMemory is a check worker's memory cap.
const defaultCheckMemory = 256 << 20

// checkOffline is why a check's Lua has no network.
const checkOffline = "a lab's Lua check has no network: it grades what the run left, ctx.packets, ctx.output and ctx.events"

// CheckEnv is what every Lua check of one evaluation sees.
type CheckEnv struct {
	LabDir string         `json:"lab_dir"` // the check files' folder: require and capture.open look here
	Args   map[string]any `json:"args"`    // ctx.args and lab.args
	Hosts  []Host         `json:"hosts"`   // names lab.* resolves
	// Capture is the capture file to grade, "" for none. The parent opens
	// it and hands the worker the open file: the worker needs no access to
	// the run's folder.
	Capture string `json:"-"`
	// CaptureFilter (pcap-filter syntax) keeps what a live run would have
	// captured of a recorded capture; "" keeps every packet.
	CaptureFilter string         `json:"capture_filter"`
	Output        string         `json:"output"`
	Events        []lualib.Event `json:"events"`
	Timeout       time.Duration  `json:"timeout"` // one check's CPU time (checkclock.go); 0: 5 s
	// Grace is how long past Timeout a check has to notice it before the
	// worker is killed; 0: 1 s.
	Grace  time.Duration `json:"-"`
	Memory int64         `json:"memory"` // the worker's memory cap; 0: defaultCheckMemory
}

// CheckCall asks for one check: FUNC(ctx) from FILE.
type CheckCall struct {
	File   string  `json:"file"`
	Func   string  `json:"func"`
	Name   string  `json:"name"` // FILE:FUNC as messages show it
	Points float64 `json:"points"`
}

// CheckReply is how a check ended: its status, message and points.
type CheckReply struct {
	Status  result.CheckStatus `json:"status"`
	Message string             `json:"message,omitempty"`
	Points  float64            `json:"points"`
}

// Checker runs the Lua checks of one evaluation in one check worker,
// started at the first call. A worker killed at a limit is replaced for the
// next call. Close ends it. A Checker is safe for concurrent use; calls are
// served one at a time.
type Checker struct {
	env CheckEnv

	mu     sync.Mutex
	proc   *checkProc
	starts int // workers started, for tests
	closed bool
}

// NewChecker returns a Checker for env. It starts nothing yet.
func NewChecker(env CheckEnv) *Checker {
	if env.Timeout <= 0 {
		env.Timeout = 5 * time.Second
	}
	if env.Grace <= 0 {
		env.Grace = time.Second
	}
	if env.Memory <= 0 {
		env.Memory = defaultCheckMemory
	}
	return &Checker{env: env}
}

// Run runs one check and says how it ended. Everything that goes wrong
// (the check's own error, a limit, a worker that would not start) is a reply
// of status error, never a failure of the student.
func (c *Checker) Run(ctx context.Context, call CheckCall) CheckReply {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return CheckReply{Status: result.CheckError, Message: "the evaluation is over"}
	}
	if err := ctx.Err(); err != nil {
		return CheckReply{Status: result.CheckError, Message: "evaluation was cancelled: " + err.Error()}
	}
	if c.proc == nil {
		p, err := startChecker(ctx, &c.env)
		if err != nil {
			return CheckReply{Status: result.CheckError, Message: fmt.Sprintf("%s: cannot start the check's sandbox: %v", call.Name, err)}
		}
		c.proc = p
		c.starts++
	}
	rep, alive := c.proc.call(ctx, &c.env, call)
	if !alive {
		c.proc.stop()
		c.proc = nil
	}
	return rep
}

// Close ends the worker, if one runs. Run refuses calls after it.
func (c *Checker) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.proc != nil {
		c.proc.stop()
		c.proc = nil
	}
}

// checkProc is a running check worker.
type checkProc struct {
	pid     int
	enc     *json.Encoder
	in      *os.File
	replies chan []byte
	waited  chan error
	stderr  *tailBuffer
	waitErr error
	reaped  bool
}

// checkHello is the worker's first line: it is set up and waits for calls.
type checkHello struct {
	Ready bool `json:"ready"`
}

// startChecker starts a check worker in a network namespace of its own
// (a user namespace too for an ordinary user), or, where none can be had, in
// none: its Lua is offline either way.
func startChecker(ctx context.Context, env *CheckEnv) (*checkProc, error) {
	if IsWorker() {
		// A worker never grades; a test binary without the worker hook in
		// its TestMain would otherwise start itself again and again.
		return nil, errors.New("a worker cannot start a check worker")
	}
	exe, err := workerBinary()
	if err != nil {
		return nil, fmt.Errorf("cannot find the wirelab binary: %w", err)
	}
	var capFile *os.File
	if env.Capture != "" {
		if capFile, err = os.Open(env.Capture); err != nil {
			return nil, fmt.Errorf("capture: %w", err)
		}
		defer capFile.Close()
	}
	var lastErr error
	for _, iso := range []Isolation{IsolationNamespace, IsolationNone} {
		attr, err := sysProcAttr(iso)
		if err != nil {
			lastErr = err
			continue
		}
		p, err := spawnChecker(ctx, exe, attr, env, capFile)
		if err == nil {
			return p, nil
		}
		lastErr = err
		var se *spawnError // no namespace to be had: the next isolation is worth a try
		if !errors.As(err, &se) {
			return nil, err
		}
	}
	return nil, lastErr
}

// spawnChecker starts one check worker as attr says, sends it env and waits
// for its hello.
func spawnChecker(ctx context.Context, exe string, attr *syscall.SysProcAttr, env *CheckEnv, capFile *os.File) (*checkProc, error) {
	var extra []*os.File
	if capFile != nil {
		extra = append(extra, capFile)
	}
	w, err := startWorker(exe, checkMode, "/", attr, extra...)
	if err != nil {
		return nil, err
	}
	inW, outR := w.in, w.out
	p := &checkProc{in: inW, enc: json.NewEncoder(inW), replies: make(chan []byte, 1), waited: w.waited, stderr: w.stderr}
	p.pid = w.cmd.Process.Pid
	go func() {
		defer close(p.replies)
		defer outR.Close()
		sc := bufio.NewScanner(outR)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			p.replies <- append([]byte(nil), sc.Bytes()...)
		}
	}()
	setup := struct {
		*CheckEnv
		HasCapture bool `json:"has_capture"`
	}{env, capFile != nil}
	go json.NewEncoder(inW).Encode(&setup) // a large output must not hold up the wait below
	timer := time.NewTimer(setupTimeout)
	defer timer.Stop()
	select {
	case line, ok := <-p.replies:
		var h checkHello
		if ok && json.Unmarshal(line, &h) == nil && h.Ready {
			return p, nil
		}
		p.stop()
		return nil, fmt.Errorf("the check worker did not start: %s", firstLines(stderrOr(p), 6))
	case <-timer.C:
		p.stop()
		return nil, fmt.Errorf("the check worker was not ready after %v", setupTimeout)
	case <-ctx.Done():
		p.stop()
		return nil, ctx.Err()
	}
}

func stderrOr(p *checkProc) string {
	if s := p.stderr.String(); s != "" {
		return s
	}
	if p.waitErr != nil {
		return p.waitErr.Error()
	}
	return "it exited without a word"
}

// call runs one check in the worker and waits for its reply under the
// check's deadline and the worker's memory cap. alive is false when the
// worker was killed or died: it must not be used again.
func (p *checkProc) call(ctx context.Context, env *CheckEnv, call CheckCall) (rep CheckReply, alive bool) {
	fail := func(format string, args ...any) (CheckReply, bool) {
		return CheckReply{Status: result.CheckError, Message: fmt.Sprintf(format, args...)}, false
	}
	if err := p.enc.Encode(&call); err != nil {
		return fail("%s: the check worker is gone: %s", call.Name, firstLines(stderrOr(p), 6))
	}
	// The check's limit is CPU time (see watchCPU), the worker's own: it
	// is idle between calls. The wall clock only bounds a check that
	// waits on nothing.
	cpu0, limit := procCPU(p.pid), env.Timeout+env.Grace
	deadline := time.NewTimer(checkWallFactor*env.Timeout + env.Grace)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case line, ok := <-p.replies:
			if !ok {
				p.kill()
				p.reap()
				return fail("%s: %s", call.Name, checkCrash(p.waitErr, p.stderr.String(), env.Memory))
			}
			var r CheckReply
			if err := json.Unmarshal(line, &r); err != nil {
				return fail("%s: the check worker answered %.100q", call.Name, line)
			}
			return r, true
		case <-deadline.C:
			p.kill()
			return fail("%s took longer than %s and was killed", call.Name, env.Timeout)
		case <-tick.C:
			if procCPU(p.pid)-cpu0 > limit {
				p.kill()
				return fail("%s took longer than %s and was killed", call.Name, env.Timeout)
			}
			if rss := readRSS(p.pid); rss > env.Memory {
				p.kill()
				return fail("%s used %s of memory, over the checks' %s limit, and was stopped", call.Name, mib(rss), mib(env.Memory))
			}
		case <-ctx.Done():
			p.kill()
			return fail("evaluation was cancelled: %v", ctx.Err())
		}
	}
}

// checkCrash explains a worker that died during a check.
func checkCrash(waitErr error, stderr string, limit int64) string {
	e := crashExit(waitErr, stderr, limit)
	if e.Reason == result.ExitMemory {
		return fmt.Sprintf("the check ran out of memory (an allocation failed under the checks' %s limit) and was stopped", mib(limit))
	}
	return e.Message
}

func (p *checkProc) kill() {
	if p.reaped {
		return // the pid may be another process's now
	}
	syscall.Kill(-p.pid, syscall.SIGKILL)
	syscall.Kill(p.pid, syscall.SIGKILL)
}

// reap waits for the worker to exit (once) and keeps how it did.
func (p *checkProc) reap() {
	if !p.reaped {
		p.waitErr = <-p.waited
		p.reaped = true
	}
}

// stop ends the worker: closing its input ends a worker waiting for calls;
// the kill ends one that is not.
func (p *checkProc) stop() {
	p.in.Close()
	p.kill()
	p.reap()
	for range p.replies {
	}
}
