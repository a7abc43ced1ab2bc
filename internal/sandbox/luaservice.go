package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/lualib"
)

// luaDriver runs a lua service inside its own Lua state: it binds the
// service's socket with the socket module, reports readiness, and calls the
// lab's handle(conn) for each connection (one at a time, in arrival order;
// others wait in the listen backlog) or each datagram. An error that handle
// raises is the lab's fault, not the submission's: w.fault records it as a
// lab-error event, and the run is graded lab-error. For UDP, conn is a
// table: conn.data (also conn:receive()), conn:send(s) answers the sender,
// conn:getpeername(), conn:close().
//
// Between connections or datagrams the driver waits in w.wait(fd), which
// returns false once the run is over and nothing more is waiting: the
// service answers every question that reached it, whenever its Close came,
// so the same run always captures the same answers.
const luaDriver = `
local socket = require("socket")
local w = __wirelab
__wirelab = nil
if type(handle) ~= "function" then error(w.script .. " does not define function handle(conn)", 0) end
if w.proto == "udp" then
  local u = assert(socket.udp())
  assert(u:setsockname(w.host, w.port))
  local fd = u:getfd()
  w.ready()
  while true do
    u:settimeout(0)
    local data, ip, port = u:receivefrom()
    u:settimeout(-1)
    if data then
      local conn = {data = data}
      function conn:receive() local d = self.data; self.data = nil; return d end
      function conn:send(s) return u:sendto(s, ip, port) end
      function conn:getpeername() return ip, port end
      function conn:close() return 1 end
      local ok, err = pcall(handle, conn)
      if not ok then w.fault("handle: " .. tostring(err)) end
    elseif ip ~= "timeout" or not w.wait(fd) then
      return
    end
  end
else
  local srv = assert(socket.bind(w.host, w.port))
  srv:settimeout(0)
  local fd = srv:getfd()
  w.ready()
  while true do
    local c, err = srv:accept()
    if c then
      local ok, herr = pcall(handle, c)
      if not ok then w.fault("handle: " .. tostring(herr)) end
      c:close()
    elseif err ~= "timeout" or not w.wait(fd) then
      return
    end
  end
end
`

// Deadlines of a lua service, its own: a service that does not listen is
// the lab's fault, said as soon as it is plain, not at the end of the run's
// setup deadline; one still answering well after the run is over is cut.
const (
	// luaListenWait bounds the time from loading a service's script to
	// its listening: a script's top level only defines handle(conn).
	luaListenWait = 5 * time.Second
	// luaFinishWait bounds how long a service may take, after the run,
	// to answer what reached it before the run ended.
	luaFinishWait = 5 * time.Second
	// luaStopWait bounds how long a service cut at a deadline has to stop
	// (a Go call of the script's that does not watch the context).
	luaStopWait = 2 * time.Second
)

type luaSvc struct {
	addr   net.Addr
	cancel context.CancelFunc
	done   chan struct{}
	st     *lualib.State
	stop   *stopSignal
	fault  func(string)
	once   sync.Once
}

func (s *luaSvc) Addr() net.Addr { return s.addr }

// Close lets the service answer what reached it (see luaDriver), for up to
// luaFinishWait; one still busy then is the lab's fault, and is cut.
func (s *luaSvc) Close() error {
	s.once.Do(func() {
		s.stop.stop()
		t := time.NewTimer(luaFinishWait)
		defer t.Stop()
		select {
		case <-s.done:
		case <-t.C:
			s.fault(fmt.Sprintf("still answering %v after the run ended, and stopped (does handle(conn) return once its peer has closed?)", luaFinishWait))
		}
		s.cancel()
		if waitDone(s.done, luaStopWait) {
			s.st.Close()
			s.stop.close()
		}
	})
	return nil
}

// waitDone reports whether done closed within d.
func waitDone(done <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// lineLogger turns what a service script prints into services.log lines.
type lineLogger struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	emit func(string)
}

func (l *lineLogger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() < 64<<10 {
		l.buf.Write(p)
	}
	for {
		i := bytes.IndexByte(l.buf.Bytes(), '\n')
		if i < 0 {
			break
		}
		l.emit(string(l.buf.Next(i + 1)[:i]))
	}
	return len(p), nil
}

// labFault is a lab service that failed to start because of the lab's own
// script (an error, no handle or run function, a server that never
// listened): the run is the lab's fault, graded lab-error, not a machine's.
type labFault struct {
	service string
	err     error
}

func (e *labFault) Error() string { return e.err.Error() }
func (e *labFault) Unwrap() error { return e.err }

// luaService returns how the worker starts lua services.
func luaService(cfg *Config, hosts map[string]netip.Addr, lnet *labNetwork, logf func(svc, line string), events func(lualib.Event)) service.LuaStarter {
	return func(ctx context.Context, spec service.Spec, script string, listen netip.AddrPort) (service.Service, error) {
		ctx, cancel := context.WithCancel(ctx)
		log := func(line string) { logf(spec.Name, line) }
		fault := func(msg string) {
			log(msg)
			events(lualib.Event{Time: time.Now(), Kind: lualib.EventLabError, Name: spec.Name, Message: msg})
		}
		stop, err := newStopSignal()
		if err != nil {
			cancel()
			return nil, err
		}
		st, err := lualib.NewState(&lualib.Env{
			Socket: socketIn(lnet.at(listen.Addr())),
			Ctx:    ctx,
			Stdout: &lineLogger{emit: log},
			Dirs:   []string{filepath.Dir(script), cfg.LabDir},
			Hosts:  hosts,
			Args:   cfg.Args,
			LabDir: cfg.LabDir,
			// Hosts with several addresses resolve to all of them.
			HostsMore: hostsMore(cfg.Hosts),
		})
		if err != nil {
			cancel()
			stop.close()
			return nil, err
		}
		proto := spec.Protocol
		if proto == "" {
			proto = "tcp"
		}
		s := &luaSvc{cancel: cancel, done: make(chan struct{}), st: st, stop: stop, fault: fault}
		ready := make(chan struct{})
		var loaded atomic.Bool
		errc := make(chan error, 1)
		// The script and the driver run in one goroutine, which owns the
		// state from here: a script whose top level loops is given up at
		// luaListenWait instead of holding the run's setup.
		go func() {
			defer close(s.done)
			if err := st.DoFile(script); err != nil {
				errc <- err
				return
			}
			loaded.Store(true)
			L := st.L
			w := L.NewTable()
			w.RawSetString("host", lua.LString(listen.Addr().String()))
			w.RawSetString("port", lua.LNumber(listen.Port()))
			w.RawSetString("proto", lua.LString(proto))
			w.RawSetString("script", lua.LString(filepath.Base(script)))
			var once sync.Once
			w.RawSetString("ready", L.NewFunction(func(*lua.LState) int { once.Do(func() { close(ready) }); return 0 }))
			w.RawSetString("log", L.NewFunction(func(L *lua.LState) int { log(L.CheckString(1)); return 0 }))
			w.RawSetString("fault", L.NewFunction(func(L *lua.LState) int { fault(L.CheckString(1)); return 0 }))
			w.RawSetString("wait", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LBool(stop.wait(L.CheckInt(1)))); return 1 }))
			L.SetGlobal("__wirelab", w)
			errc <- st.DoString(luaDriver, spec.Name)
		}()
		// The run's end (ctx) wakes a driver waiting for its next question.
		context.AfterFunc(ctx, stop.stop)
		t := time.NewTimer(luaListenWait)
		defer t.Stop()
		select {
		case <-ready:
		case err := <-errc:
			cancel()
			st.Close()
			stop.close()
			if err == nil {
				err = errors.New("the service stopped before listening")
			}
			return nil, &labFault{spec.Name, err}
		case <-t.C:
			cancel()
			if waitDone(s.done, luaStopWait) {
				st.Close()
				stop.close()
			}
			err := fmt.Errorf("did not listen on %s within %v", listen, luaListenWait)
			if !loaded.Load() {
				err = fmt.Errorf("%w: the top level of %s was still running (a loop, or a server of its own? the top level only defines handle(conn), which the service calls for each connection)", err, filepath.Base(script))
			}
			return nil, &labFault{spec.Name, err}
		}
		if proto == "udp" {
			s.addr = net.UDPAddrFromAddrPort(listen)
		} else {
			s.addr = net.TCPAddrFromAddrPort(listen)
		}
		go func() {
			if err := <-errc; err != nil && ctx.Err() == nil {
				fault(fmt.Sprintf("stopped: %v", err))
			}
		}()
		return s, nil
	}
}

// luaClientDriver runs a lua client service: the lab's run(target) with
// target = {host, addr, port, from} and target:connect(), which connects to
// the submission's server from the client's host. Until something listens
// there it waits (w.await watches the kernel's socket table, so no refused
// SYN lands in the capture), and a connect refused all the same (the
// listener closed in between, or the table is unreadable) is retried with a
// short backoff; both until the run's deadline.
const luaClientDriver = `
local socket = require("socket")
local w = __wirelab
__wirelab = nil
if type(run) ~= "function" then error(w.script .. " does not define function run(target)", 0) end
local target = {host = w.host, addr = w.addr, port = w.port, from = w.from}
function target.connect()
  local delay = 0.005
  while true do
    w.await()
    local c, err
    if w.proto == "udp" then
      c, err = socket.udp()
      if c then
        local ok, perr = c:setpeername(w.addr, w.port)
        if not ok then c:close(); c, err = nil, perr end
      end
    else
      c, err = socket.connect(w.addr, w.port)
    end
    if c then
      w.connected()
      return c
    end
    if err ~= "connection refused" then
      w.failed("connect " .. w.target .. ": " .. tostring(err))
      return nil, err
    end
    w.refused()
    socket.sleep(delay)
    delay = math.min(delay * 2, 0.1)
  end
end
w.wait()
local ok, msg = run(target)
if ok == false then w.fail(tostring(msg or "run returned false")) end
`

// luaClient is a running lua client service.
type luaClient struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error
	st     *lualib.State
	stop   sync.Once
}

func (c *luaClient) Done() <-chan struct{} { return c.done }

func (c *luaClient) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

func (c *luaClient) Stop() {
	c.cancel()
	<-c.done
	c.stop.Do(func() {
		c.st.Close() // closed already by the goroutine; a no-op
	})
}

// clientProgress is what a client's driver reports while it runs, to explain
// a client stopped before it finished.
type clientProgress struct {
	mu        sync.Mutex
	refused   int       // connects refused since the last success
	waits     int       // times await found nobody listening since the last success
	since     time.Time // the first wait or refusal
	connected int       // connections made
	failure   string    // the last connect error other than a refusal
	failed    string    // run returned false, msg
}

// luaClientService returns how the worker starts lua client services.
// events receives the client script's lab.log and lab.check records.
// Clients call run(target) once begin is closed.
func luaClientService(cfg *Config, hosts map[string]netip.Addr, lnet *labNetwork, logf func(svc, line string), events func(lualib.Event), begin <-chan struct{}) service.LuaClientStarter {
	return func(ctx context.Context, spec service.Spec, script string, target netip.AddrPort, from netip.Addr) (service.Client, error) {
		ctx, cancel := context.WithCancel(ctx)
		log := func(line string) { logf(spec.Name, line) }
		st, err := lualib.NewState(&lualib.Env{
			Socket: socketIn(lnet.at(from)),
			Ctx:    ctx,
			Stdout: &lineLogger{emit: log},
			Dirs:   []string{filepath.Dir(script), cfg.LabDir},
			Hosts:  hosts,
			Source: from,
			Args:   cfg.Args,
			LabDir: cfg.LabDir,
			Events: events,
			// Hosts with several addresses resolve to all of them.
			HostsMore: hostsMore(cfg.Hosts),
		})
		if err != nil {
			cancel()
			return nil, err
		}
		if err := loadClient(st, cancel, script); err != nil {
			return nil, &labFault{spec.Name, err}
		}
		if st.L.GetGlobal("run").Type() != lua.LTFunction {
			cancel()
			st.Close()
			return nil, &labFault{spec.Name, fmt.Errorf("%s does not define function run(target)", filepath.Base(script))}
		}
		c := &luaClient{cancel: cancel, done: make(chan struct{}), st: st}
		var pr clientProgress
		L := st.L
		w := L.NewTable()
		host, _, _ := net.SplitHostPort(spec.Connect)
		w.RawSetString("host", lua.LString(host))
		w.RawSetString("addr", lua.LString(target.Addr().String()))
		w.RawSetString("port", lua.LNumber(target.Port()))
		w.RawSetString("from", lua.LString(from.String()))
		w.RawSetString("target", lua.LString(spec.Connect))
		proto := spec.Protocol
		if proto == "" {
			proto = "tcp"
		}
		w.RawSetString("proto", lua.LString(proto))
		w.RawSetString("script", lua.LString(filepath.Base(script)))
		w.RawSetString("refused", L.NewFunction(func(*lua.LState) int {
			pr.mu.Lock()
			if pr.refused == 0 && pr.waits == 0 {
				pr.since = time.Now()
				log(fmt.Sprintf("connect %s: connection refused; retrying until the server listens", spec.Connect))
			}
			pr.refused++
			pr.mu.Unlock()
			return 0
		}))
		w.RawSetString("connected", L.NewFunction(func(*lua.LState) int {
			pr.mu.Lock()
			pr.refused, pr.waits = 0, 0
			pr.connected++
			n := pr.connected
			pr.mu.Unlock()
			log(fmt.Sprintf("connection %d to %s from %s", n, spec.Connect, from))
			return 0
		}))
		w.RawSetString("failed", L.NewFunction(func(L *lua.LState) int {
			pr.mu.Lock()
			pr.failure = L.CheckString(1)
			pr.mu.Unlock()
			return 0
		}))
		w.RawSetString("fail", L.NewFunction(func(L *lua.LState) int {
			pr.mu.Lock()
			pr.failed = L.CheckString(1)
			pr.mu.Unlock()
			return 0
		}))
		w.RawSetString("await", L.NewFunction(func(*lua.LState) int {
			awaitListener(ctx, lnet.at(target.Addr()), target, spec.Protocol, func() {
				pr.mu.Lock()
				if pr.waits == 0 {
					pr.since = time.Now()
					log(fmt.Sprintf("waiting for the submission to listen on %s (%s)", spec.Connect, target))
				}
				pr.waits++
				pr.mu.Unlock()
			})
			return 0
		}))
		w.RawSetString("wait", L.NewFunction(func(*lua.LState) int {
			select {
			case <-begin:
			case <-ctx.Done():
			}
			return 0
		}))
		L.SetGlobal("__wirelab", w)
		log(fmt.Sprintf("loaded: connects to %s (%s) from %s", spec.Connect, target, from))
		go func() {
			defer close(c.done)
			err := st.DoString(luaClientDriver, spec.Name)
			// A finished client holds nothing open: the connections it left
			// open are closed now, not when the run ends, so a server serving
			// one client at a time moves on to the next.
			st.Close()
			pr.mu.Lock()
			defer pr.mu.Unlock()
			switch {
			case ctx.Err() != nil && pr.refused > 0:
				c.err = fmt.Errorf("could not connect to %s: connection refused (%d attempts over %.1fs); is the server listening on that port?", spec.Connect, pr.refused, time.Since(pr.since).Seconds())
			case ctx.Err() != nil && pr.waits > 0:
				c.err = fmt.Errorf("could not connect to %s: nothing listened there (waited %.1fs after %d connection(s)); is the server listening on that port?", spec.Connect, time.Since(pr.since).Seconds(), pr.connected)
			case ctx.Err() != nil:
				c.err = fmt.Errorf("stopped before run(target) finished (after %d connection(s))", pr.connected)
			case err != nil:
				c.err = err
				if pr.failure != "" && !strings.Contains(err.Error(), pr.failure) {
					c.err = fmt.Errorf("%w (%s)", err, pr.failure)
				}
				if pr.failure == "" && isLuaBug(err) {
					// run hit a bug of its own (an index of nil, a bad
					// argument), not a verdict (error() or a failed
					// assert about the answer): the lab is at fault, and
					// the run is graded lab-error.
					events(lualib.Event{Time: time.Now(), Kind: lualib.EventLabError, Name: spec.Name, Message: "run: " + err.Error()})
				}
			case pr.failed != "":
				c.err = errors.New(pr.failed)
			}
		}()
		return c, nil
	}
}

// loadClient runs the top level of a client service's script, for up to
// luaListenWait: one that loops is given up then, not at the end of the
// run's setup deadline. On an error the state is closed.
func loadClient(st *lualib.State, cancel context.CancelFunc, script string) error {
	errc := make(chan error, 1)
	go func() { errc <- st.DoFile(script) }()
	t := time.NewTimer(luaListenWait)
	defer t.Stop()
	select {
	case err := <-errc:
		if err != nil {
			cancel()
			st.Close()
		}
		return err
	case <-t.C:
		cancel()
		select {
		case <-errc:
			st.Close()
		case <-time.After(luaStopWait):
			// Still in a Go call that does not watch the context: the
			// state is left to the worker's exit.
		}
		return fmt.Errorf("the top level of %s did not return within %v (a loop? the top level only defines run(target), which the service calls once the submission has started)", filepath.Base(script), luaListenWait)
	}
}

// isLuaBug reports whether err is one the Lua machine or a library raised
// on a bug of the script (an index, call, comparison or arithmetic on the
// wrong value, a bad argument, a stack overflow), rather than a value the
// script raised itself with error or assert: lualib tells them apart by the
// value raised (Error.Raised), so a lab's own error("attempt to ...") is
// its verdict.
func isLuaBug(err error) bool {
	var le *lualib.Error
	return errors.As(err, &le) && !le.Raised
}

// awaitListener returns once a socket listens on target, or ctx ends; it
// calls waiting each time it finds none. It polls the kernel's socket table
// with a backoff from 1 ms to 50 ms: a server that binds a moment after it
// starts is met at once, an absent one costs little.
func awaitListener(ctx context.Context, at place, target netip.AddrPort, proto string, waiting func()) {
	delay := time.Millisecond
	for {
		var yes, known bool
		at.Do(func() error { yes, known = listeningOn(target, proto); return nil })
		if yes || !known {
			return
		}
		waiting()
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
		delay = min(2*delay, 50*time.Millisecond)
	}
}
