package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wirelab-dev/wirelab/internal/jail"
	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// WorkerArg is the argument the worker is started with: the wirelab binary
// runs WorkerMain for it (the hidden `__worker` command).
const WorkerArg = "__worker"

const workerEnv = "WIRELAB_WORKER"

// IsWorker reports whether this process was started by Run as a worker, or
// by a worker as a program's jail (internal/jail): a worker starts jails
// from its own binary, so whatever hosts workers hosts their jails too; or
// by a Checker as a check worker.
func IsWorker() bool {
	v := os.Getenv(workerEnv)
	return v == "1" || v == upMode || v == checkMode || jail.IsJail()
}

// Errors that end the script early, and the reasons they stand for.
var (
	errOutputLimit  = errors.New("output limit")
	errSocketsLimit = errors.New("sockets limit")
	errCaptureLimit = errors.New("capture limit")
	// errClientsDone stops a submission once the lab's client services have
	// finished: the normal end of a run whose submission is a server.
	errClientsDone = errors.New("the lab's clients finished")
)

// clientDrain is how long a submission may go on once the lab's clients have
// finished (to close its side of their connections itself) before it is
// stopped.
const clientDrain = 300 * time.Millisecond

// defaultMaxCapture bounds capture.pcapng: a script sending as fast as it can
// is stopped there, like an output flood.
const defaultMaxCapture = 256 << 20

// status is one message from the worker to the parent, a line of JSON.
type status struct {
	Ready   bool   `json:"ready,omitempty"`
	Start   int64  `json:"start,omitempty"` // unix nanoseconds
	Exit    *Exit  `json:"exit,omitempty"`
	Warning string `json:"warning,omitempty"`
}

// maxMessage bounds an exit message.
const maxMessage = 8 << 10

// WorkerMain is the worker process: it reads its Config from fd 3, reports on
// fd 4, and returns the process's exit code.
func WorkerMain() int {
	if jail.IsJail() {
		return jail.Main()
	}
	if os.Getenv(workerEnv) == checkMode {
		return checkWorkerMain()
	}
	if os.Getenv(workerEnv) == upMode {
		closeStrayFiles(controlFd)
	} else {
		closeStrayFiles(4)
	}
	cfgFile := os.NewFile(3, "config")
	statFile := os.NewFile(4, "status")
	if cfgFile == nil || statFile == nil {
		fmt.Fprintln(os.Stderr, "wirelab worker: started without its pipes; the worker is started by `wirelab run`")
		return 2
	}
	var cfg Config
	if err := json.NewDecoder(cfgFile).Decode(&cfg); err != nil {
		fmt.Fprintf(os.Stderr, "wirelab worker: reading the configuration: %v\n", err)
		return 2
	}
	cfgFile.Close()
	enc := json.NewEncoder(statFile)
	var mu sync.Mutex
	send := func(s status) {
		mu.Lock()
		defer mu.Unlock()
		enc.Encode(s)
	}
	var exit Exit
	if cfg.Up {
		exit = up(&cfg, send)
	} else {
		exit = work(&cfg, send)
	}
	if len(exit.Message) > maxMessage {
		// A script's error message is the script's to choose: keep the
		// status line, and the result, a sane size.
		exit.Message = strings.ToValidUTF8(exit.Message[:maxMessage], "") + " [...]"
	}
	send(status{Exit: &exit})
	statFile.Close()
	return 0
}

// work sets up the lab, runs the script and tears the lab down, in phases:
// limits, network, artifacts, capture, services, clients, script, stop and
// drain. Each phase that fails ends the run with an error Exit; what was set
// up is torn down by the deferred calls in reverse.
func work(cfg *Config, send func(status)) Exit {
	lim := cfg.Limits.WithDefaults()
	applyLimits(lim)

	hosts := map[string]netip.Addr{}
	for _, h := range cfg.Hosts {
		hosts[h.Name] = h.Addr
	}
	lnet, err := buildNetwork(cfg)
	if err != nil {
		return Exit{Reason: result.ExitError, Message: "setting up the lab's network: " + err.Error()}
	}
	defer lnet.close()

	art, err := openArtifacts(cfg.Dir)
	if err != nil {
		return Exit{Reason: result.ExitError, Message: err.Error()}
	}
	defer art.close()

	runCtx, stopRun := context.WithCancelCause(context.Background())
	defer stopRun(nil)

	maxCapture := cfg.MaxCapture
	if maxCapture <= 0 {
		maxCapture = defaultMaxCapture
	}
	capt, err := startCapture(cfg, lnet, filepath.Join(cfg.Dir, CaptureFile), maxCapture, func() { stopRun(errCaptureLimit) })
	if err != nil {
		return Exit{Reason: result.ExitError, Message: "starting the capture: " + err.Error()}
	}
	defer capt.Close()

	events := &eventWriter{w: art.events, max: lim.Output, over: func() { stopRun(errOutputLimit) }}
	begin := make(chan struct{})
	senv := &service.Env{LabDir: cfg.LabDir, Hosts: hosts, Log: art.svcLog}
	senv.Lua = luaService(cfg, hosts, lnet, art.svcLog, func(e lualib.Event) { events.write(e) })
	senv.LuaClient = luaClientService(cfg, hosts, lnet, art.svcLog, func(e lualib.Event) { events.write(e) }, begin)
	var services []service.Service
	var clients []*client
	defer func() {
		for _, c := range clients {
			c.Stop()
		}
		for i := len(services) - 1; i >= 0; i-- {
			services[i].Close()
		}
	}()
	services, err = startServers(runCtx, cfg, lnet, senv)
	if lf := (*labFault)(nil); errors.As(err, &lf) {
		return labFailed(lf, capt, events, art.svcLog, send)
	}
	if err != nil {
		return Exit{Reason: result.ExitError, Message: err.Error()}
	}
	if err := capt.Ready(); err != nil {
		return Exit{Reason: result.ExitError, Message: "the capture did not become ready: " + err.Error()}
	}

	// A program is built first, in its host; a build that fails is the
	// run's end (Reason error, the compiler's message), after a start
	// like any other so that it is graded.
	progDir := ""
	if cfg.Program != nil {
		dir, cleanup, failed := buildProgram(cfg, lnet.subPlace(), send)
		defer cleanup()
		if failed != nil {
			send(status{Ready: true, Start: time.Now().UnixNano()})
			if err := capt.Drain(); err != nil {
				send(status{Warning: "draining the capture: " + err.Error()})
			}
			return *failed
		}
		progDir = dir
	}

	// The run's deadline bounds the script and the client services, which
	// are loaded now (a broken client script is the lab's fault, reported
	// before the script starts) and call run(target) once it has started.
	start := time.Now()
	deadlineCtx, cancelDeadline := context.WithDeadline(runCtx, start.Add(lim.Timeout))
	defer cancelDeadline()
	clients, err = startClients(deadlineCtx, cfg, senv)
	if lf := (*labFault)(nil); errors.As(err, &lf) {
		return labFailed(lf, capt, events, art.svcLog, send)
	}
	if err != nil {
		return Exit{Reason: result.ExitError, Message: err.Error()}
	}
	send(status{Ready: true, Start: start.UnixNano()})
	defer watchHeap(lim.Memory*3/4, func() { stopRun(errMemoryLimit) })()
	exit := Exit{}
	var progExit *Exit // set before scriptDone is sent
	scriptCtx, stopScript := context.WithCancelCause(deadlineCtx)
	defer stopScript(nil)
	scriptDone := make(chan error, 1)
	// ended marks the clients still running when the submission ends: a
	// client that fails once the submission's sockets close failed because
	// it ended, whichever of the two the worker hears of first.
	ended := func() {
		for _, c := range clients {
			c.markEarly()
		}
	}
	switch {
	case cfg.Program != nil:
		go func() {
			// A program's sockets close as it exits, before Wait returns:
			// a client may see that first (then it is not marked).
			e := runProgram(scriptCtx, cfg, progDir, lnet.subPlace(), lim, art, send)
			ended()
			progExit = &e
			scriptDone <- nil
		}()
	case cfg.Script != "":
		out := &limitWriter{w: art.output, max: lim.Output, over: func() { stopRun(errOutputLimit) }}
		go func() {
			scriptDone <- runScript(scriptCtx, cfg, scriptEnv{iface: lnet.mainInterface(), hosts: hosts, out: out, events: events, sockets: lim.Sockets, onSockets: func() { stopRun(errSocketsLimit) }, ended: ended})
		}()
	default:
		scriptDone <- nil
	}
	close(begin)
	err = waitScript(scriptDone, clients, lnet.subPlace(), stopScript)
	cause := context.Cause(scriptCtx)
	if progExit != nil {
		exit = *progExit
	}
	if cfg.Script != "" {
		exit = classify(err, cause, lim)
		if exit.Reason == result.ExitOutput && errors.Is(cause, errCaptureLimit) {
			exit.Message = fmt.Sprintf("the script sent more than %s of packets; the capture ends there and the script was stopped", mib(maxCapture))
		}
	}
	// Stop the services before the capture drains: their goodbyes (FINs)
	// belong in it. The clients go first (one still running is stopped: the
	// submission ended, or the deadline came), then the servers.
	for _, c := range clients {
		c.finish(deadlineCtx, art.svcLog, events)
	}
	clients = nil
	for i := len(services) - 1; i >= 0; i-- {
		services[i].Close()
	}
	services = nil
	if err := capt.Drain(); err != nil && exit.Reason == result.ExitOK {
		exit = Exit{Reason: result.ExitError, Message: "draining the capture: " + err.Error()}
	}
	if dropped := capt.Dropped(); dropped > 0 {
		send(status{Warning: fmt.Sprintf("the capture dropped %d packets: the machine was too busy to keep up; the grade may miss them", dropped)})
	}
	return exit
}

// labFailed ends a run whose lab service did not start through the lab's
// own fault (a labFault: its script raised, defines no handle or run, or
// never listened): the submission is not run, and the run is reported
// started, with the fault as a lab-error event, so that it is graded
// lab-error, naming the service, like a service that fails later.
func labFailed(lf *labFault, capt *liveCapture, events *eventWriter, logf func(svc, line string), send func(status)) Exit {
	logf(lf.service, "did not start: "+lf.err.Error())
	events.write(lualib.Event{Time: time.Now(), Kind: lualib.EventLabError, Name: lf.service, Message: "did not start: " + lf.err.Error()})
	if err := capt.Ready(); err != nil {
		return Exit{Reason: result.ExitError, Message: "the capture did not become ready: " + err.Error()}
	}
	send(status{Ready: true, Start: time.Now().UnixNano()})
	if err := capt.Drain(); err != nil {
		send(status{Warning: "draining the capture: " + err.Error()})
	}
	return Exit{Reason: result.ExitError, Message: fmt.Sprintf("the submission was not run: the lab's service %q did not start", lf.service)}
}

// applyLimits sets the worker's own backstops behind the parent's watch: the
// Go heap's soft limit keeps the collector working before the cap;
// RLIMIT_DATA makes a huge allocation fail at once ("out of memory") instead
// of racing the parent's poll.
func applyLimits(lim Limits) {
	debug.SetMemoryLimit(lim.Memory * 3 / 4)
	setRlimit(syscall.RLIMIT_DATA, uint64(lim.Memory)+512<<20)
	// Services run in this process too: their side of every connection the
	// script opens counts against the same table, hence twice the limit,
	// and a service closes its side only when its goroutine next runs: a
	// client churning through connections one at a time got "too many open
	// files" at 80 descriptors with limits.sockets 8, hence the 1024 more.
	setRlimit(syscall.RLIMIT_NOFILE, uint64(2*lim.Sockets+64+1024))
}

// artifacts are the run's files the worker writes besides the capture.
type artifacts struct {
	output, events, log *os.File
	logMu               sync.Mutex
	logged              int64
}

func openArtifacts(dir string) (*artifacts, error) {
	a := &artifacts{}
	var err error
	if a.output, err = os.Create(filepath.Join(dir, OutputFile)); err != nil {
		return nil, err
	}
	if a.events, err = os.Create(filepath.Join(dir, EventsFile)); err != nil {
		a.close()
		return nil, err
	}
	if a.log, err = os.Create(filepath.Join(dir, ServiceLog)); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

func (a *artifacts) close() {
	for _, f := range []*os.File{a.output, a.events, a.log} {
		if f != nil {
			f.Close()
		}
	}
}

// svcLog writes one line of services.log, up to maxServiceLog bytes of them.
func (a *artifacts) svcLog(svc, line string) {
	a.logMu.Lock()
	defer a.logMu.Unlock()
	if a.logged > maxServiceLog {
		return
	}
	n, _ := fmt.Fprintf(a.log, "%s %s: %.1000s\n", time.Now().UTC().Format("15:04:05.000000"), svc, line)
	a.logged += int64(n)
	if a.logged > maxServiceLog {
		fmt.Fprintf(a.log, "[wirelab: services log truncated after %d bytes]\n", a.logged)
	}
}

// startServers starts the lab's servers, each in the namespace of the host
// it listens on: its sockets belong there.
func startServers(ctx context.Context, cfg *Config, lnet *labNetwork, senv *service.Env) ([]service.Service, error) {
	var services []service.Service
	for _, spec := range cfg.Services {
		if service.IsClient(spec) {
			continue
		}
		var at place = here{}
		if ap, err := service.ResolveListen(spec.Listen, senv.Hosts); err == nil {
			at = lnet.at(ap.Addr())
		}
		var s service.Service
		err := at.Do(func() error {
			var err error
			s, err = service.Start(ctx, spec, senv)
			return err
		})
		if err != nil {
			for i := len(services) - 1; i >= 0; i-- {
				services[i].Close()
			}
			return nil, builtinFault(spec, err)
		}
		services = append(services, s)
	}
	return services, nil
}

// builtinFault makes a built-in service's failure to start the lab's fault
// (graded lab-error, naming the service): in the lab's own network nothing
// else holds its address, so what stops it is the lab's (its capture has no
// such stream, a route's file went missing, two services on one port). Lua
// services say which of their failures are the lab's themselves; a machine
// out of descriptors or memory is the machine's.
func builtinFault(spec service.Spec, err error) error {
	if spec.Kind == "lua" || errors.As(err, new(*labFault)) {
		return err
	}
	for _, e := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOMEM, syscall.ENOBUFS} {
		if errors.Is(err, e) {
			return err
		}
	}
	if inner := errors.Unwrap(err); inner != nil {
		err = inner // Start's error starts with the service's name, which the lab-error says already
	}
	return &labFault{spec.Name, err}
}

// startClients loads the lab's client services (each makes its sockets in
// its own host: see luaClientService).
func startClients(ctx context.Context, cfg *Config, senv *service.Env) ([]*client, error) {
	labHosts := make([]service.Host, len(cfg.Hosts))
	for i, h := range cfg.Hosts {
		labHosts[i] = service.Host{Name: h.Name, Addr: h.Addr}
	}
	var clients []*client
	for _, spec := range cfg.Services {
		if !service.IsClient(spec) {
			continue
		}
		c, err := service.StartClient(ctx, spec, senv, labHosts, cfg.Source)
		if err != nil {
			for _, c := range clients {
				c.Stop()
			}
			return nil, err
		}
		clients = append(clients, &client{Client: c, name: spec.Name})
	}
	return clients, nil
}

// classify turns the script's error and its context's cause into an Exit.
func classify(err, cause error, lim Limits) Exit {
	switch {
	case errors.Is(cause, errClientsDone):
		return Exit{}
	case errors.Is(cause, errOutputLimit):
		return Exit{Reason: result.ExitOutput, Message: fmt.Sprintf("the script printed more than %d bytes of output and was stopped", lim.Output)}
	case errors.Is(cause, errCaptureLimit):
		return Exit{Reason: result.ExitOutput, Message: "the script sent too many packets"}
	case errors.Is(cause, errMemoryLimit):
		return Exit{Reason: result.ExitMemory, Message: fmt.Sprintf("the script ran out of memory (its live data passed %s, three quarters of the %s limit) and was stopped", mib(lim.Memory*3/4), mib(lim.Memory))}
	case errors.Is(cause, errSocketsLimit):
		return Exit{Reason: result.ExitSockets, Message: fmt.Sprintf("the script opened more than %d sockets and was stopped", lim.Sockets)}
	case errors.Is(cause, context.DeadlineExceeded):
		return Exit{Reason: result.ExitTimeout, Message: fmt.Sprintf("the script ran past its %v deadline and was stopped", lim.Timeout)}
	case err != nil:
		ex := Exit{Reason: result.ExitError, Message: err.Error()}
		if le := (*lualib.Error)(nil); errors.As(err, &le) {
			ex.Traceback = le.Traceback
		}
		return ex
	}
	return Exit{}
}

// waitScript waits for the script to end. With client services, the script
// (a server, typically looping on accept) is stopped with errClientsDone once
// every client has finished and the submission's host (at) has closed its
// side of their connections, or clientDrain has passed.
func waitScript(scriptDone <-chan error, clients []*client, at place, stop context.CancelCauseFunc) error {
	if len(clients) == 0 {
		return <-scriptDone
	}
	all := make(chan struct{})
	go func() {
		for _, c := range clients {
			<-c.Done()
		}
		close(all)
	}()
	select {
	case err := <-scriptDone:
		return err
	case <-all:
	}
	// Wait for the submission to close its side of the clients'
	// connections (no socket of its host established or in CLOSE_WAIT), not
	// a fixed pause: most servers close at once, and the run ends then.
	t := time.NewTimer(clientDrain)
	defer t.Stop()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-scriptDone:
			return err
		case <-tick.C:
			var open, known bool
			at.Do(func() error { open, known = openTCP(); return nil })
			if open || !known {
				continue
			}
		case <-t.C:
		}
		stop(errClientsDone)
		return <-scriptDone
	}
}

// client is a client service the worker runs.
type client struct {
	service.Client
	name  string
	early bool // still running when the submission ended (markEarly)
}

// markEarly records whether the client is still running, once the
// submission has ended; finish reads it after the script's end is received.
func (c *client) markEarly() {
	select {
	case <-c.Done():
	default:
		c.early = true
	}
}

// finish stops the client if it still runs and records how it ended in
// services.log and as an event (kind "service"): a client that failed or
// did not finish is something a check or a person reading the run wants to
// see.
func (c *client) finish(runCtx context.Context, logf func(svc, line string), events *eventWriter) {
	early := c.early
	select {
	case <-c.Done():
	default:
		early = true
	}
	c.Stop()
	err := c.Err()
	ev := lualib.Event{Time: time.Now(), Kind: "service", Name: c.name, OK: err == nil, Message: "finished"}
	if err != nil {
		msg := err.Error()
		switch {
		case errors.Is(context.Cause(runCtx), context.DeadlineExceeded):
			msg = "did not finish by the run's deadline: " + msg
		case early && runCtx.Err() != nil:
			msg = "stopped with the run: " + msg
		case early:
			msg = "the submission ended before the client finished: " + msg
		}
		ev.Message = msg
		logf(c.name, "failed: "+msg)
	} else {
		logf(c.name, "finished")
	}
	events.write(ev)
}

func setRlimit(res int, n uint64) {
	var cur syscall.Rlimit
	if syscall.Getrlimit(res, &cur) == nil && cur.Max != ^uint64(0) && cur.Max < n {
		n = cur.Max
	}
	syscall.Setrlimit(res, &syscall.Rlimit{Cur: n, Max: n})
}

// limitWriter passes the first max bytes through, then writes a marker line,
// calls over once and drops the rest.
type limitWriter struct {
	mu   sync.Mutex
	w    io.Writer
	n    int64
	max  int64
	done bool
	over func()
}

func (l *limitWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return len(p), nil
	}
	if room := l.max - l.n; int64(len(p)) > room {
		l.w.Write(p[:room])
		l.n = l.max
		fmt.Fprintf(l.w, "\n[wirelab: output truncated after %d bytes]\n", l.max)
		l.done = true
		if l.over != nil {
			l.over()
		}
		return len(p), nil
	}
	l.n += int64(len(p))
	return l.w.Write(p)
}

// maxServiceLog bounds services.log: a script hammering a service must not
// fill the disk.
const maxServiceLog = 4 << 20

// eventWriter writes events as JSON lines, at most max bytes of them: lab.log
// in a loop counts like output, and is stopped like it.
type eventWriter struct {
	mu   sync.Mutex
	w    io.Writer
	n    int64
	max  int64
	done bool
	over func()
}

func (e *eventWriter) write(v any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	if e.max > 0 && e.n+int64(len(b))+1 > e.max {
		e.done = true
		b, _ = json.Marshal(map[string]any{"time": time.Now(), "kind": "log", "ok": false,
			"message": fmt.Sprintf("[wirelab: events truncated after %d bytes]", e.n)})
		e.w.Write(append(b, '\n'))
		if e.over != nil {
			e.over()
		}
		return
	}
	e.n += int64(len(b)) + 1
	e.w.Write(append(b, '\n'))
}
