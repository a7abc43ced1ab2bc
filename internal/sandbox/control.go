package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wirelab-dev/wirelab/internal/netlab"
)

// The control protocol between `wirelab exec` and the worker of a lab that
// is up, over the lab's unix socket: exec sends one JSON line (an
// execRequest) carrying its standard input, output and error as SCM_RIGHTS
// descriptors; the worker answers a line saying the command started (or why
// not) and, when it ends, a line with its exit status. While it runs, exec
// may send lines naming a signal for the command (Ctrl-C at a terminal that
// is not the command's); closing the connection kills the command.

// ExecRequest is what `wirelab exec` asks of a lab that is up.
type ExecRequest struct {
	Host string   `json:"host"`
	Argv []string `json:"argv"`
	Env  []string `json:"env,omitempty"` // KEY=VALUE on top of the jail's own
	Dir  string   `json:"dir"`           // the caller's folder: the command's working directory
	TTY  bool     `json:"tty,omitempty"` // standard input is a terminal (a pty exec made)
}

// execReply is one line from the worker.
type execReply struct {
	Started bool        `json:"started,omitempty"`
	Error   string      `json:"error,omitempty"`
	Code    int         `json:"code,omitempty"` // with Error: exec's status
	Exit    *ExecStatus `json:"exit,omitempty"`
}

// execSignal is one line from exec: a signal for the command.
type execSignal struct {
	Signal string `json:"signal"`
}

// ExecStatus is how a command started by exec ended.
type ExecStatus struct {
	Code    int    `json:"code"`             // its exit status; 128+n when killed by signal n, as a shell says it
	Signal  string `json:"signal,omitempty"` // "SIGKILL", "" if none
	Message string `json:"message,omitempty"`
}

// signals are the signals exec passes on, by name.
var signals = map[string]syscall.Signal{
	"SIGINT": syscall.SIGINT, "SIGTERM": syscall.SIGTERM, "SIGHUP": syscall.SIGHUP,
	"SIGQUIT": syscall.SIGQUIT, "SIGKILL": syscall.SIGKILL,
}

// signalNumbers are the numbers of the signals a command dies of, for its
// status as a shell gives it (128+n).
var signalNumbers = map[string]int{
	"SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGBUS": 7,
	"SIGFPE": 8, "SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12, "SIGPIPE": 13,
	"SIGALRM": 14, "SIGTERM": 15, "SIGXCPU": 24, "SIGXFSZ": 25, "SIGSYS": 31,
}

func signalName(s syscall.Signal) string {
	for n, v := range signals {
		if v == s {
			return n
		}
	}
	return fmt.Sprintf("signal %d", int(s))
}

// ErrNotUp is a control socket with no lab behind it.
var ErrNotUp = errNotUp

// maxRequest bounds an exec request line.
const maxRequest = 1 << 20

// control serves exec requests in the worker of an Up run.
type control struct {
	lnet     *labNetwork
	hosts    map[string]netip.Addr
	etcHosts []byte
	mu       sync.Mutex
	procs    map[proc]bool
	stopping bool // stopAll has begun: a command starting now is killed at once
	wg       sync.WaitGroup
}

// stoppedWithLab is an exec command's message when the lab's end killed it.
const stoppedWithLab = "the lab is no longer up (its wirelab up was stopped), so the command was stopped with it"

// proc is a command exec started.
type proc interface {
	signal(syscall.Signal)
	kill()
	wait() ExecStatus
}

func newControl(cfg *Config, lnet *labNetwork, hosts map[string]netip.Addr) *control {
	return &control{lnet: lnet, hosts: hosts, etcHosts: etcHosts(cfg.Hosts), procs: map[proc]bool{}}
}

// serve accepts connections until ln is closed.
func (c *control) serve(ln *net.UnixListener) {
	for {
		conn, err := ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // EMFILE and the like: let them pass
			continue
		}
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.handle(conn)
		}()
	}
}

// stopAll kills every command still running and waits for their
// connections to be answered.
func (c *control) stopAll() {
	c.mu.Lock()
	c.stopping = true
	for p := range c.procs {
		p.kill()
	}
	c.mu.Unlock()
	done := make(chan struct{})
	go func() {
		c.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(upStop / 2):
	}
}

// host is the namespace of a lab host, by its name or any of the lab's
// names for its addresses.
func (c *control) host(name string) (*netlab.NS, error) {
	if ns := c.lnet.lab.Host(name); ns != nil {
		return ns, nil
	}
	if a, ok := c.hosts[name]; ok {
		if ns, ok := c.lnet.at(a).(*netlab.NS); ok {
			return ns, nil
		}
	}
	var names []string
	for _, h := range c.lnet.spec.Hosts {
		names = append(names, h.Name)
	}
	for n := range c.hosts {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return nil, fmt.Errorf("the lab has no host %q (hosts: %s)", name, strings.Join(names, ", "))
}

func (c *control) handle(conn *net.UnixConn) {
	defer conn.Close()
	buf := make([]byte, 64<<10)
	oob := make([]byte, syscall.CmsgSpace(3*4))
	n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
	if err != nil {
		return
	}
	files := receivedFiles(oob[:oobn])
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	src := io.MultiReader(bytes.NewReader(buf[:n]), conn)
	dec := json.NewDecoder(io.LimitReader(src, maxRequest))
	var mu sync.Mutex
	enc := json.NewEncoder(conn)
	reply := func(r execReply) {
		mu.Lock()
		defer mu.Unlock()
		enc.Encode(r)
	}
	var req ExecRequest
	if err := dec.Decode(&req); err != nil {
		reply(execReply{Error: "a malformed exec request: " + err.Error()})
		return
	}
	if len(files) != 3 {
		reply(execReply{Error: fmt.Sprintf("an exec request must carry 3 descriptors (stdin, stdout, stderr), not %d", len(files))})
		return
	}
	if len(req.Argv) == 0 {
		reply(execReply{Error: "no command to run"})
		return
	}
	ns, err := c.host(req.Host)
	if err != nil {
		reply(execReply{Error: err.Error()})
		return
	}
	started := make(chan error, 1)
	ended := make(chan ExecStatus, 1)
	var p proc
	go ns.Do(func() error {
		// The command is started, and waited for, on this thread locked in
		// the host's namespace: the child inherits the thread's namespace,
		// and its parent-death signal is tied to the thread's life.
		var err error
		p, err = c.start(req, files)
		started <- err
		if err != nil {
			return nil
		}
		ended <- p.wait()
		return nil
	})
	if err := <-started; err != nil {
		reply(execReply{Error: err.Error(), Code: 125})
		return
	}
	c.mu.Lock()
	c.procs[p] = true
	stopping := c.stopping
	c.mu.Unlock()
	if stopping {
		p.kill() // it started while stopAll killed the others
	}
	defer func() {
		c.mu.Lock()
		delete(c.procs, p)
		c.mu.Unlock()
	}()
	// The command holds its own copies of the terminal: exec sees end of
	// file on it once the command and its children are gone. Output that
	// is not a terminal is copied by the jail (and closed by the deferred
	// close, once the command ended).
	files[0].Close()
	if req.TTY {
		files[1].Close()
		files[2].Close()
		files = nil
	} else {
		files = files[1:]
	}
	reply(execReply{Started: true})
	// maxRequest bounds the request, not the signals that follow it.
	sigs := json.NewDecoder(io.MultiReader(dec.Buffered(), src))
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for {
			var s execSignal
			if err := sigs.Decode(&s); err != nil {
				return
			}
			if sig, ok := signals[s.Signal]; ok {
				p.signal(sig)
			}
		}
	}()
	select {
	case st := <-ended:
		c.mu.Lock()
		if c.stopping && st.Signal == "SIGKILL" {
			st.Message = stoppedWithLab // not "the program was stopped", which says nothing of why
		}
		c.mu.Unlock()
		reply(execReply{Exit: &st})
	case <-gone:
		// exec went away (killed, or its terminal closed): so does the
		// command.
		p.kill()
		<-ended
	}
}

// receivedFiles are the descriptors of an SCM_RIGHTS message.
func receivedFiles(oob []byte) []*os.File {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return nil
	}
	var files []*os.File
	for _, m := range msgs {
		fds, err := syscall.ParseUnixRights(&m)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			syscall.CloseOnExec(fd)
			files = append(files, os.NewFile(uintptr(fd), "exec"))
		}
	}
	return files
}

// Exec runs a command in a host of the lab whose control socket is socket,
// with stdin, stdout and stderr passed through (a terminal on stdin gets a
// pseudo-terminal of its own for the command: see execTTY), and returns its
// exit status. The error says why the command could not be run: ErrNotUp
// when no lab listens on socket, or the worker's refusal; the status is then
// 125, as env(1) has it. A command that was not found (127) or could not be
// executed (126) is a status, its message written to stderr.
func Exec(socket string, req ExecRequest, stdin, stdout, stderr *os.File) (int, error) {
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
			return 125, ErrNotUp
		}
		return 125, err
	}
	defer conn.Close()
	fds := []*os.File{stdin, stdout, stderr}
	var tty *execTTY
	if isTerminal(stdin) {
		if tty, err = newExecTTY(stdin, stdout, stderr); err != nil {
			return 125, fmt.Errorf("a terminal for the command: %w", err)
		}
		defer tty.close()
		fds = tty.fds
		req.TTY = true
	}
	line, err := json.Marshal(req)
	if err != nil {
		return 125, err
	}
	// Ctrl-C and friends reach the command: through its terminal when it
	// has one, else passed on here; exec itself lives until the command ends.
	// They are caught from before the request is sent: the command may
	// write to exec's own output (no terminal) before the lab's answer is
	// read here, and a SIGINT sent on seeing that output killed exec itself
	// (status -1) instead of reaching the command. Until it has started
	// they wait in sigc.
	sigc := make(chan os.Signal, 4)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigc)
	line = append(line, '\n')
	if len(line) > maxRequest {
		return 125, fmt.Errorf("the command line is too long for exec: %d bytes with its variables, at most %d", len(line), maxRequest)
	}
	raw := make([]int, len(fds))
	for i, f := range fds {
		raw[i] = int(f.Fd())
	}
	// A line longer than the socket's buffer goes in more than one write
	// (the descriptors with its first bytes).
	n, _, err := conn.WriteMsgUnix(line, syscall.UnixRights(raw...), nil)
	if err == nil && n < len(line) {
		_, err = conn.Write(line[n:])
	}
	if err != nil {
		return 125, fmt.Errorf("sending the command: %w", err)
	}
	if tty != nil {
		tty.sent()
	}
	dec := json.NewDecoder(conn)
	var r execReply
	if err := dec.Decode(&r); err != nil {
		return 125, fmt.Errorf("the lab did not answer: %w", err)
	}
	if r.Error != "" {
		if r.Code == 0 {
			r.Code = 125
		}
		return r.Code, errors.New(r.Error)
	}
	var wmu sync.Mutex
	enc := json.NewEncoder(conn)
	go func() {
		for s := range sigc {
			if sig, ok := s.(syscall.Signal); ok {
				wmu.Lock()
				enc.Encode(execSignal{Signal: signalName(sig)})
				wmu.Unlock()
			}
		}
	}()
	if tty != nil {
		tty.start()
	}
	for {
		var r execReply
		if err := dec.Decode(&r); err != nil {
			return 125, fmt.Errorf("the lab stopped while the command ran")
		}
		if r.Exit != nil {
			if tty != nil {
				tty.drain()
				tty.close() // the terminal as it was, for the message
			}
			if r.Exit.Message != "" {
				fmt.Fprintf(stderr, "wirelab exec: %s\n", r.Exit.Message)
			}
			return r.Exit.Code, nil
		}
	}
}
