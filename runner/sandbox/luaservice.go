package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"sync"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/service"
)

// luaDriver runs a lua service inside its own Lua state: it binds the
// service's socket with the socket module, reports readiness, and calls the
// lab's handle(conn) for each connection (one at a time, in arrival order;
// others wait in the listen backlog) or each datagram. For UDP, conn is a
// table: conn.data (also conn:receive()), conn:send(s) answers the sender,
// conn:getpeername(), conn:close().
const luaDriver = `
local socket = require("socket")
local w = __wirelab
__wirelab = nil
if type(handle) ~= "function" then error(w.script .. " does not define function handle(conn)", 0) end
if w.proto == "udp" then
  local u = assert(socket.udp())
  assert(u:setsockname(w.host, w.port))
  w.ready()
  while true do
    local data, ip, port = u:receivefrom()
    if data then
      local conn = {data = data}
      function conn:receive() local d = self.data; self.data = nil; return d end
      function conn:send(s) return u:sendto(s, ip, port) end
      function conn:getpeername() return ip, port end
      function conn:close() return 1 end
      local ok, err = pcall(handle, conn)
      if not ok then w.log("handle: " .. tostring(err)) end
    elseif ip ~= "timeout" then
      return
    end
  end
else
  local srv = assert(socket.bind(w.host, w.port))
  w.ready()
  while true do
    local c, err = srv:accept()
    if c then
      w.conns(1)
      local ok, herr = pcall(handle, c)
      if not ok then w.log("handle: " .. tostring(herr)) end
      c:close()
      w.conns(-1)
    elseif err ~= "timeout" then
      return
    end
  end
end
`

type luaSvc struct {
	addr   net.Addr
	cancel context.CancelFunc
	done   chan struct{}
	st     *lualib.State
}

func (s *luaSvc) Addr() net.Addr { return s.addr }

func (s *luaSvc) Close() error {
	s.cancel()
	<-s.done
	s.st.Close()
	return nil
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

// luaService returns how the worker starts lua services.
func luaService(cfg *Config, hosts map[string]netip.Addr, conns *atomic.Int64, logf func(svc, line string)) service.LuaStarter {
	return func(ctx context.Context, spec service.Spec, script string, listen netip.AddrPort) (service.Service, error) {
		ctx, cancel := context.WithCancel(ctx)
		log := func(line string) { logf(spec.Name, line) }
		st, err := lualib.NewState(&lualib.Env{
			Ctx:    ctx,
			Stdout: &lineLogger{emit: log},
			Dirs:   []string{filepath.Dir(script), cfg.LabDir},
			Hosts:  hosts,
			Args:   cfg.Args,
			LabDir: cfg.LabDir,
		})
		if err != nil {
			cancel()
			return nil, err
		}
		if err := st.DoFile(script); err != nil {
			cancel()
			st.Close()
			return nil, err
		}
		ready := make(chan struct{})
		L := st.L
		w := L.NewTable()
		w.RawSetString("host", lua.LString(listen.Addr().String()))
		w.RawSetString("port", lua.LNumber(listen.Port()))
		proto := spec.Protocol
		if proto == "" {
			proto = "tcp"
		}
		w.RawSetString("proto", lua.LString(proto))
		w.RawSetString("script", lua.LString(filepath.Base(script)))
		var once sync.Once
		w.RawSetString("ready", L.NewFunction(func(*lua.LState) int { once.Do(func() { close(ready) }); return 0 }))
		w.RawSetString("log", L.NewFunction(func(L *lua.LState) int { log(L.CheckString(1)); return 0 }))
		w.RawSetString("conns", L.NewFunction(func(L *lua.LState) int { conns.Add(int64(L.CheckInt(1))); return 0 }))
		L.SetGlobal("__wirelab", w)
		s := &luaSvc{cancel: cancel, done: make(chan struct{}), st: st}
		errc := make(chan error, 1)
		go func() {
			defer close(s.done)
			errc <- st.DoString(luaDriver, spec.Name)
		}()
		select {
		case <-ready:
		case err := <-errc:
			cancel()
			st.Close()
			if err == nil {
				err = errors.New("the service stopped before listening")
			}
			return nil, err
		}
		if proto == "udp" {
			s.addr = net.UDPAddrFromAddrPort(listen)
		} else {
			s.addr = net.TCPAddrFromAddrPort(listen)
		}
		go func() {
			if err := <-errc; err != nil && ctx.Err() == nil {
				log(fmt.Sprintf("stopped: %v", err))
			}
		}()
		return s, nil
	}
}
