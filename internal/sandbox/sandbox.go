package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wirelab-dev/wirelab/internal/jail"
	"github.com/wirelab-dev/wirelab/internal/netlab"
	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// Isolation says how a run is separated from the machine it runs on.
type Isolation string

// Isolation modes, as `--isolation` spells them.
const (
	// IsolationAuto is IsolationNamespace: a run is never silently unisolated.
	IsolationAuto Isolation = "auto"
	// IsolationNamespace runs the worker in its own network namespace (and, for
	// an ordinary user, its own user namespace).
	IsolationNamespace Isolation = "namespace"
	// IsolationNone runs the worker on the host's loopback: the explicit,
	// warned opt-out for machines without namespaces.
	IsolationNone Isolation = "none"
)

// ParseIsolation parses an `--isolation` value.
func ParseIsolation(s string) (Isolation, error) {
	switch Isolation(s) {
	case "", IsolationAuto:
		return IsolationAuto, nil
	case IsolationNamespace, IsolationNone:
		return Isolation(s), nil
	}
	return "", fmt.Errorf("unknown isolation %q (known: auto, namespace, none)", s)
}

// Default limits.
const (
	defaultTimeout = 30 * time.Second
	defaultMemory  = jail.DefaultMemory // a program's tree gets what a script gets
	defaultOutput  = jail.DefaultOutput
	defaultSockets = jail.DefaultFiles // a program's files per process are a script's sockets
	// defaultGrace is how long past its deadline the worker has to stop the
	// script, drain the capture and exit before the parent kills it.
	defaultGrace = 2 * time.Second
	// setupTimeout bounds the time from starting the worker to the script's
	// start (network, services, capture readiness).
	setupTimeout = 15 * time.Second
	// upStop is how long the worker of an Up run has to stop its commands
	// and services once told to before it is killed.
	upStop = 5 * time.Second
)

// Limits bound one run. Zero fields take the defaults. They are the
// student's view of a run (the script's deadline, memory, output and open
// sockets); a program submission runs under the jail.Limits they translate
// to (runProgram: Sockets become Files, the process count the jail's own).
type Limits struct {
	Timeout time.Duration `json:"timeout"`
	Memory  int64         `json:"memory"`
	Output  int64         `json:"output"`
	Sockets int           `json:"sockets"`
}

// WithDefaults returns l with every zero field set to its default: the
// jail's, but for the deadline.
func (l Limits) WithDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = defaultTimeout
	}
	j := jail.Limits{Memory: l.Memory, Output: l.Output, Files: l.Sockets}.WithDefaults()
	l.Memory, l.Output, l.Sockets = j.Memory, j.Output, j.Files
	return l
}

// Host is a lab host: a name that resolves only inside the run.
type Host = service.Host

// Config is everything the worker needs; it crosses to the worker as JSON.
type Config struct {
	Dir           string         `json:"dir"`     // the run's folder, where artifacts go; must exist
	LabDir        string         `json:"lab_dir"` // relative paths of services resolve here
	Modules       string         `json:"modules"` // the lab's helper-modules folder a submission may require from; "" for none
	Hosts         []Host         `json:"hosts"`
	Services      []service.Spec `json:"services"`
	CaptureFilter string         `json:"capture_filter"` // pcap-filter syntax; "" captures all
	Snaplen       int            `json:"snaplen"`
	// Network is the lab's network; nil puts every host of Hosts on one
	// segment (see flatNetwork). Its host names are those of Hosts.
	Network *netlab.Spec `json:"network,omitempty"`
	// Firewalls are the hosts' firewalls, added to Network or the flat one.
	Firewalls []netlab.Firewall `json:"firewalls,omitempty"`
	// Links are the lab's impaired links, added likewise.
	Links []netlab.Link `json:"links,omitempty"`
	// Capture are the capture points, host:ifname (host:lo for a host's
	// loopback, "any" for every interface); nil: every interface of the
	// submission's host.
	Capture    []string       `json:"capture,omitempty"`
	Script     string         `json:"script"`      // the Lua file to run; "" runs no script
	ScriptArgs []string       `json:"script_args"` // arg[1..n] for the script (arg[0] is Script); nil: no arg table
	Args       map[string]any `json:"args"`
	Source     string         `json:"source"` // host name whose address the script's sockets use
	Limits     Limits         `json:"limits"`
	Isolation  Isolation      `json:"isolation"`
	Grace      time.Duration  `json:"grace"`       // 0: defaultGrace
	MaxCapture int64          `json:"max_capture"` // bytes of capture.pcapng; 0: defaultMaxCapture
	// Program is a submission that is a program; nil: Script is a Lua
	// submission.
	Program *Program `json:"program,omitempty"`
	// Up keeps the lab up instead of running a script (`wirelab up`): the
	// worker builds the network, starts the servers and then serves
	// `wirelab exec` on Control until the run's context ends. There is no
	// capture and no deadline.
	Up bool `json:"up,omitempty"`
	// Control is the listening unix socket the worker of an Up run accepts
	// exec requests on; OnReady is called once the lab is up.
	Control *os.File `json:"-"`
	OnReady func()   `json:"-"`
}

// Exit is how a run ended.
type Exit struct {
	Reason  result.ExitReason `json:"reason"`
	Message string            `json:"message,omitempty"`
	// Traceback is the Lua stack when a script's error ended it, as C Lua
	// 5.1 prints it ("stack traceback:" ...); "" otherwise.
	Traceback string `json:"traceback,omitempty"`
	// Code and Signal are a program's exit status (-1 when a signal killed
	// it) and the signal ("SIGSEGV"); 0 and "" for a Lua script.
	Code   int    `json:"code,omitempty"`
	Signal string `json:"signal,omitempty"`
	// Build is set when a program's build failed: the program never ran.
	Build bool `json:"build,omitempty"`
}

// Artifact file names in the run's folder.
const (
	CaptureFile = "capture.pcapng"
	OutputFile  = "output.txt"
	EventsFile  = "events.jsonl"
	ServiceLog  = "services.log"
)

// Outcome is what a run left behind.
type Outcome struct {
	Exit      Exit
	Start     time.Time     // when the script started (or the worker, if it never did)
	Duration  time.Duration // the script's run time
	Started   bool          // the script started: network, services and capture were ready
	Capture   string        // paths of the artifacts
	Output    string
	Events    string
	Isolation Isolation // what was used
	Warnings  []string  // e.g. running unisolated
}

// SetupError is a run that could not be carried out (no namespace, a service
// that would not start, a capture that could not open): the lab or the machine
// is at fault, not the submission.
type SetupError struct{ Msg string }

func (e *SetupError) Error() string { return e.Msg }

// workerExe, when set (by tests), is the binary started as the worker instead
// of this one.
var workerExe string

// onReady, when set (by tests), is called with the worker's pid when it says
// it is ready.
var onReady func(pid int)

// Run runs cfg in a worker process and returns how it ended. The error is a
// *SetupError (or ctx's error) when the run could not be carried out; a script
// that failed or hit a limit is an Outcome with an Exit reason, not an error.
func Run(ctx context.Context, cfg Config) (*Outcome, error) {
	cfg.Limits = cfg.Limits.WithDefaults()
	if cfg.Grace <= 0 {
		cfg.Grace = defaultGrace
	}
	if cfg.Isolation == "" {
		cfg.Isolation = IsolationAuto
	}
	if cfg.Isolation == IsolationAuto {
		cfg.Isolation = IsolationNamespace
	}
	out := &Outcome{
		Capture:   filepath.Join(cfg.Dir, CaptureFile),
		Output:    filepath.Join(cfg.Dir, OutputFile),
		Events:    filepath.Join(cfg.Dir, EventsFile),
		Isolation: cfg.Isolation,
	}
	if cfg.Isolation == IsolationNone {
		out.Warnings = append(out.Warnings, "running without isolation (--isolation=none): the script shares the host's loopback and can reach the host's network; lab hosts are mapped to 127.0.0.x")
		cfg.Hosts = mapToLoopback(cfg.Hosts)
	}
	exe, err := workerBinary()
	if err != nil {
		return nil, &SetupError{fmt.Sprintf("cannot find the wirelab binary to start the worker: %v", err)}
	}
	attr, err := sysProcAttr(cfg.Isolation)
	if err != nil {
		return nil, &SetupError{err.Error()}
	}
	mode, extra := "1", []*os.File(nil)
	if cfg.Up {
		mode, extra = upMode, []*os.File{cfg.Control} // controlFd
	}
	begin := time.Now()
	w, err := startWorker(exe, mode, cfg.Dir, attr, extra...)
	if err != nil {
		var se *spawnError
		if errors.As(err, &se) {
			return nil, &SetupError{namespaceError(cfg.Isolation, se.err)}
		}
		return nil, err
	}
	cfgW, statR, stderr, waited := w.in, w.out, w.stderr, w.waited
	pid := w.cmd.Process.Pid
	kill := func() { syscall.Kill(-pid, syscall.SIGKILL); syscall.Kill(pid, syscall.SIGKILL) }

	go func() {
		json.NewEncoder(cfgW).Encode(&cfg)
		cfgW.Close()
	}()

	msgs := make(chan status, 4)
	go func() {
		defer close(msgs)
		sc := bufio.NewScanner(statR)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var s status
			if json.Unmarshal(sc.Bytes(), &s) == nil {
				msgs <- s
			}
		}
		statR.Close()
	}()

	out.Start = begin
	// A program's build runs before the run starts: its budget adds to
	// the setup's.
	deadline := time.NewTimer(setupTimeout + cfg.Program.buildBudget())
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var killed *Exit
	var reported *Exit
	var waitErr error
	msgCh := msgs
	ctxDone := ctx.Done()
	for done := false; !done; {
		select {
		case s, ok := <-msgCh:
			if !ok {
				msgCh = nil
				continue
			}
			if s.Ready && cfg.Up {
				out.Started = true
				out.Start = startTime(s.Start)
				deadline.Stop()
				tick.Reset(time.Second) // the services only: a lab stays up for hours
				if cfg.OnReady != nil {
					cfg.OnReady()
				}
			} else if s.Ready {
				out.Started = true
				out.Start = startTime(s.Start)
				if onReady != nil {
					onReady(pid)
				}
				// The parent's own clock sets the kill.
				deadline.Reset(cfg.Limits.Timeout + cfg.Grace)
			}
			if s.Exit != nil {
				reported = s.Exit
			}
			if s.Warning != "" {
				out.Warnings = append(out.Warnings, s.Warning)
			}
		case <-deadline.C:
			if killed != nil && cfg.Up {
				kill() // it did not stop by itself in time
			}
			if killed == nil {
				if out.Started {
					killed = &Exit{Reason: result.ExitTimeout, Message: fmt.Sprintf("the script ran past its %v deadline and was killed", cfg.Limits.Timeout)}
				} else {
					killed = &Exit{Reason: result.ExitError, Message: fmt.Sprintf("the lab's network, services and capture were not ready after %v", setupTimeout+cfg.Program.buildBudget())}
				}
				kill()
			}
		case <-tick.C:
			if killed == nil {
				if rss := readRSS(pid); rss > cfg.Limits.Memory {
					killed = &Exit{Reason: result.ExitMemory, Message: fmt.Sprintf("the script used %s of memory, over the %s limit, and was killed", mib(rss), mib(cfg.Limits.Memory))}
					kill()
				}
			}
		case <-ctxDone:
			ctxDone = nil // closed for good: once is enough
			if killed == nil && cfg.Up && out.Started {
				// The end of an up: the worker stops the commands, the
				// servers and the network itself; SIGKILL is the backstop.
				killed = &Exit{Reason: result.ExitOK, Message: "stopped"}
				syscall.Kill(pid, syscall.SIGTERM)
				deadline.Reset(upStop)
			} else if killed == nil {
				killed = &Exit{Reason: result.ExitError, Message: "the run was interrupted: " + ctx.Err().Error()}
				kill()
			}
		case waitErr = <-waited:
			done = true
		}
	}
	// Drain what the worker said before it exited (msgCh is nil once closed).
	for s := range msgs {
		if s.Exit != nil {
			reported = s.Exit
		}
		if s.Warning != "" {
			out.Warnings = append(out.Warnings, s.Warning)
		}
		if s.Ready && !out.Started {
			out.Started = true
			out.Start = startTime(s.Start)
		}
	}
	end := time.Now()
	if out.Started {
		out.Duration = end.Sub(out.Start)
	}
	switch {
	case killed != nil:
		out.Exit = *killed
	case reported != nil:
		out.Exit = *reported
	default:
		out.Exit = crashExit(waitErr, stderr.String(), cfg.Limits.Memory)
	}
	if ctx.Err() != nil && !(cfg.Up && out.Started) {
		return out, ctx.Err()
	}
	if !out.Started {
		return out, &SetupError{out.Exit.Message}
	}
	return out, nil
}

// startTime is the script's start as the worker reported it, or now when the
// report is not plausible.
func startTime(ns int64) time.Time {
	t := time.Unix(0, ns)
	if d := time.Since(t); d < 0 || d > time.Minute {
		return time.Now()
	}
	return t
}

// crashExit explains a worker that exited without reporting how the run ended.
// A failed allocation is said in the student's terms, not the Go runtime's.
func crashExit(waitErr error, stderr string, limit int64) Exit {
	stderr = strings.TrimSpace(stderr)
	if strings.Contains(stderr, "out of memory") || strings.Contains(stderr, "cannot allocate memory") {
		if limit > 0 {
			return Exit{Reason: result.ExitMemory, Message: fmt.Sprintf("the script ran out of memory (an allocation failed under the %s limit) and was stopped", mib(limit))}
		}
		return Exit{Reason: result.ExitMemory, Message: "the script ran out of memory (an allocation failed) and was stopped"}
	}
	// A new thread's stack counts against RLIMIT_DATA too: near the limit, the
	// runtime's next thread (more of them on a busy machine) fails before the
	// script's next allocation does, and the worker aborts on that instead.
	// So does the GC's own bookkeeping, and Go 1.26's green tea GC does not
	// check that allocation: it faults on the nil ring instead (runtime
	// .(*spanQueue).tryDrain, addr=0x0), about 1 run in 20 of a program that
	// asks for 2 GB under RLIMIT_DATA.
	gcFault := strings.Contains(stderr, "SIGSEGV") && strings.Contains(stderr, "runtime.(*spanQueue)")
	if gcFault || strings.Contains(stderr, "pthread_create failed") || strings.Contains(stderr, "failed to create new OS thread") {
		if limit > 0 {
			return Exit{Reason: result.ExitMemory, Message: fmt.Sprintf("the script ran out of memory (no room for another thread under the %s limit) and was stopped", mib(limit))}
		}
		return Exit{Reason: result.ExitMemory, Message: "the script ran out of memory (no room for another thread) and was stopped"}
	}
	msg := "the worker exited without a result"
	if waitErr != nil {
		msg = "the worker died: " + waitErr.Error()
	}
	if stderr != "" {
		msg += ": " + firstLines(stderr, 6)
	}
	return Exit{Reason: result.ExitCrash, Message: msg}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// readRSS returns the resident set size of a process in bytes, or 0.
func readRSS(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	i := bytes.Index(b, []byte("VmRSS:"))
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+6 : i+6+bytes.IndexByte(b[i+6:], '\n')]))
	if len(f) == 0 {
		return 0
	}
	kb, _ := strconv.ParseInt(f[0], 10, 64)
	return kb << 10
}

// mapToLoopback gives each lab host an address on the host's loopback, for
// runs without a namespace: 127.0.0.2, 127.0.0.3, ... in the order of hosts:
// (::1 for IPv6 hosts, loopback addresses unchanged).
func mapToLoopback(hosts []Host) []Host {
	out := make([]Host, len(hosts))
	next := 2
	for i, h := range hosts {
		out[i] = h
		out[i].More = nil // one loopback address a name
		switch {
		case h.Addr.IsLoopback():
		case h.Addr.Is6() && !h.Addr.Is4In6():
			out[i].Addr = netip.IPv6Loopback()
		default:
			out[i].Addr = netip.AddrFrom4([4]byte{127, 0, byte(next / 256), byte(next % 256)})
			next++
		}
	}
	return out
}

// tailBuffer keeps the first max bytes written to it (a Go panic's message and
// the top of its trace come first).
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if room := t.max - t.buf.Len(); room > 0 {
		t.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

var _ io.Writer = (*tailBuffer)(nil)

var errNoNamespaces = errors.New("network namespaces are not available on this system")
