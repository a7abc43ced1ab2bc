package lualib

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// The socket module: LuaSocket 3.x's API, return values and error strings. See
// docs/lua-api.md for what a script sees, and socketfd.go for the descriptor
// handling beneath it.

const (
	classMaster      = "tcp{master}"
	classClient      = "tcp{client}"
	classServer      = "tcp{server}"
	classUnconnected = "udp{unconnected}"
	classConnected   = "udp{connected}"

	bufSize      = 8192 // LuaSocket's BUF_SIZE: one recv into the buffer
	datagramSize = 8192 // UDP_DATAGRAMSIZE: receive's default size
)

// groups are the names LuaSocket puts in "calling 'x' on bad self (... expected)".
var groups = map[string][]string{
	"tcp{any}":         {classMaster, classClient, classServer},
	"tcp{client}":      {classClient},
	"tcp{server}":      {classServer},
	"tcp{master}":      {classMaster},
	"udp{any}":         {classUnconnected, classConnected},
	"udp{connected}":   {classConnected},
	"udp{unconnected}": {classUnconnected},
}

// sock is a TCP or UDP socket object.
type sock struct {
	class   string
	udp     bool
	family  int    // AF_UNSPEC until the first bind or connect of socket.tcp()/udp()
	d       *fdesc // nil: no descriptor (not created yet, or closed)
	tm      timeouts
	buf     []byte // received, not yet consumed: buf[pos:]
	pos     int
	recvd   float64
	sent    float64
	birth   time.Time
	bound   bool
	untrack func()
}

// Close closes the descriptor and forgets it in the state's tracking, so
// that the state counts only the sockets that are open (Env.MaxOpen): a
// failed connect or bind closes its descriptor here too.
func (k *sock) Close() error {
	if k.untrack != nil {
		k.untrack()
		k.untrack = nil
	}
	if k.d == nil {
		return nil
	}
	err := k.d.Close()
	k.d = nil
	k.buf, k.pos = nil, 0
	return err
}

func (k *sock) fd() int {
	if k.d == nil {
		return -1
	}
	return k.d.fd
}

func (k *sock) dirty() bool { return k.pos < len(k.buf) }

// open creates the descriptor for family, if the socket has none yet.
func (k *sock) open(s *State, family int) error {
	if k.d != nil {
		return nil
	}
	typ := syscall.SOCK_STREAM
	if k.udp {
		typ = syscall.SOCK_DGRAM
	}
	d, err := newFdesc(s.env.Socket, family, typ)
	if err != nil {
		return err
	}
	k.d = d
	k.family = family
	k.untrack = s.track(k)
	return nil
}

// bindSource binds an unbound client socket to Env.Source, as the lab's own
// address, before it connects or sends.
func (k *sock) bindSource(s *State) error {
	if k.bound || !s.env.Source.IsValid() || familyOf(s.env.Source) != k.family {
		return nil
	}
	if err := syscall.Bind(k.d.fd, sockaddr(s.env.Source, 0)); err != nil {
		return err
	}
	k.bound = true
	return nil
}

func openSocket(s *State) lua.LValue {
	L := s.L
	for _, c := range []struct {
		class   string
		methods map[string]lua.LGFunction
	}{
		{classMaster, tcpMethods}, {classClient, tcpMethods}, {classServer, tcpMethods},
		{classUnconnected, udpMethods}, {classConnected, udpMethods},
	} {
		mt := L.NewTypeMetatable(c.class)
		idx := L.SetFuncs(L.NewTable(), c.methods)
		idx.RawSetString("class", lua.LString(c.class))
		mt.RawSetString("__index", idx)
		mt.RawSetString("__tostring", L.NewFunction(sockToString))
		protect(mt)
	}
	marker := L.NewTable()
	L.G.Registry.RawSetString("wirelab.try", marker)

	mod := L.SetFuncs(L.NewTable(), socketFuncs)
	mod.RawSetString("_VERSION", lua.LString("LuaSocket 3.0.0"))
	mod.RawSetString("_SETSIZE", lua.LNumber(1024))
	mod.RawSetString("_DATAGRAMSIZE", lua.LNumber(datagramSize))
	mod.RawSetString("BLOCKSIZE", lua.LNumber(2048))
	mod.RawSetString("_SOCKETINVALID", lua.LNumber(-1))
	mod.RawSetString("try", L.NewClosure(tryCall, lua.LNil))
	mod.RawSetString("dns", L.SetFuncs(L.NewTable(), dnsFuncs))
	lazySocketHelpers(s, mod)
	return mod
}

var socketFuncs = map[string]lua.LGFunction{
	"tcp":      func(L *lua.LState) int { return newSock(L, false, syscall.AF_UNSPEC) },
	"tcp4":     func(L *lua.LState) int { return newSock(L, false, syscall.AF_INET) },
	"tcp6":     func(L *lua.LState) int { return newSock(L, false, syscall.AF_INET6) },
	"udp":      func(L *lua.LState) int { return newSock(L, true, syscall.AF_UNSPEC) },
	"udp4":     func(L *lua.LState) int { return newSock(L, true, syscall.AF_INET) },
	"udp6":     func(L *lua.LState) int { return newSock(L, true, syscall.AF_INET6) },
	"connect":  func(L *lua.LState) int { return socketConnect(L, "unspec") },
	"connect4": func(L *lua.LState) int { return socketConnect(L, "inet") },
	"connect6": func(L *lua.LState) int { return socketConnect(L, "inet6") },
	"bind":     socketBind,
	"select":   socketSelect,
	"gettime":  socketGettime,
	"sleep":    socketSleep,
	"skip":     socketSkip,
	"protect":  socketProtect,
	"newtry":   socketNewtry,
}

// Argument helpers. Methods number arguments from the first after self, as
// luaL_argerror does for a method call.

// argErr raises luaL_argerror's message for the argument at stack index n.
// Called from Lua, a method's arguments count from the one after self and the
// message carries the caller's position; called through pcall, C Lua knows no
// name and no position: "bad argument #2 to '?' (...)".
func argErr(L *lua.LState, n int, fname string, method bool, msg string) {
	if !callerIsLua(L) {
		L.Error(lua.LString(fmt.Sprintf("bad argument #%d to '?' (%s)", n, msg)), 0)
	}
	L.RaiseError("bad argument #%d to '%s' (%s)", argNum(n, method), fname, msg)
}

// argError raises "bad argument #n to 'fname' (msg)" with n counted as the
// script sees it (for a method, from the first argument after self).
func argError(L *lua.LState, n int, fname, msg string) {
	L.RaiseError("bad argument #%d to '%s' (%s)", n, fname, msg)
}

func callerIsLua(L *lua.LState) bool {
	dbg, ok := L.GetStack(1)
	if !ok {
		return false
	}
	if _, err := L.GetInfo("S", dbg, lua.LNil); err != nil {
		return false
	}
	return dbg.What != "G"
}

func typeName(L *lua.LState, n int) string {
	if L.GetTop() < n {
		return "no value"
	}
	return L.Get(n).Type().String()
}

// sockString is luaL_checklstring as LuaSocket's C functions raise it.
func sockString(L *lua.LState, n int, fname string, method bool) string {
	return toString(L, n, fname, method, argErr)
}

func sockOptString(L *lua.LState, n int, fname string, method bool, def string) string {
	if L.Get(n) == lua.LNil {
		return def
	}
	return sockString(L, n, fname, method)
}

func sockNumber(L *lua.LState, n int, fname string, method bool) float64 {
	return toNumber(L, n, fname, method, argErr)
}

func sockOptNumber(L *lua.LState, n int, fname string, method bool, def float64) float64 {
	if L.Get(n) == lua.LNil {
		return def
	}
	return sockNumber(L, n, fname, method)
}

// namedArgErr always names the function ("bad argument #1 to 'tcp' (...)"),
// the clearer form wirelab's own modules use.
func namedArgErr(L *lua.LState, n int, fname string, method bool, msg string) {
	argError(L, argNum(n, method), fname, msg)
}

// checkString is luaL_checklstring (strings and numbers) for wirelab's own
// modules; the error always names the function.
func checkString(L *lua.LState, n int, fname string, method bool) string {
	return toString(L, n, fname, method, namedArgErr)
}

func toString(L *lua.LState, n int, fname string, method bool, fail func(*lua.LState, int, string, bool, string)) string {
	switch v := L.Get(n).(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return v.String()
	}
	fail(L, n, fname, method, "string expected, got "+typeName(L, n))
	return ""
}

func checkNumber(L *lua.LState, n int, fname string, method bool) float64 {
	return toNumber(L, n, fname, method, namedArgErr)
}

func toNumber(L *lua.LState, n int, fname string, method bool, fail func(*lua.LState, int, string, bool, string)) float64 {
	switch v := L.Get(n).(type) {
	case lua.LNumber:
		return float64(v)
	case lua.LString:
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return f
		}
	}
	fail(L, n, fname, method, "number expected, got "+typeName(L, n))
	return 0
}

func optNumber(L *lua.LState, n int, fname string, method bool, def float64) float64 {
	if L.Get(n) == lua.LNil {
		return def
	}
	return checkNumber(L, n, fname, method)
}

func argNum(n int, method bool) int {
	if method {
		return n - 1
	}
	return n
}

// checkSock returns the socket at argument 1 if its class is in group, or raises
// LuaSocket's "calling 'fname' on bad self (group expected)".
func checkSock(L *lua.LState, fname, group string) *sock {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if k, ok := ud.Value.(*sock); ok {
			for _, c := range groups[group] {
				if c == k.class {
					return k
				}
			}
		}
	}
	if !callerIsLua(L) {
		L.Error(lua.LString(fmt.Sprintf("bad argument #1 to '?' (%s expected)", group)), 0)
	}
	L.RaiseError("calling '%s' on bad self (%s expected)", fname, group)
	return nil
}

func setClass(L *lua.LState, k *sock, class string) {
	k.class = class
	L.Get(1).(*lua.LUserData).Metatable = L.GetTypeMetatable(class)
}

func pushSock(L *lua.LState, k *sock) {
	ud := L.NewUserData()
	ud.Value = k
	ud.Metatable = L.GetTypeMetatable(k.class)
	L.Push(ud)
}

// stopIfDone raises the run's context error once the run is over, so a script
// whose blocking call the deadline cut short stops there instead of carrying
// on with a "timeout" it did not ask for.
func stopIfDone(L *lua.LState) {
	if err := ctxOf(L).Err(); err != nil {
		L.RaiseError("%s", err.Error())
	}
}

func pushErr(L *lua.LState, err error) int {
	stopIfDone(L)
	L.Push(lua.LNil)
	L.Push(lua.LString(strerror(err)))
	return 2
}

func pushOK(L *lua.LState) int {
	L.Push(lua.LNumber(1))
	return 1
}

func newSockValue(s *State, udp bool, family int) (*sock, error) {
	k := &sock{udp: udp, family: family, class: classMaster, birth: time.Now()}
	k.tm = timeouts{block: -1, total: -1}
	if udp {
		k.class = classUnconnected
	}
	if family != syscall.AF_UNSPEC {
		if err := k.open(s, family); err != nil {
			return nil, err
		}
	}
	return k, nil
}

func newSock(L *lua.LState, udp bool, family int) int {
	k, err := newSockValue(stateOf(L), udp, family)
	if err != nil {
		return pushErr(L, err)
	}
	pushSock(L, k)
	return 1
}

func sockToString(L *lua.LState) int {
	ud := L.CheckUserData(1)
	k, ok := ud.Value.(*sock)
	if !ok {
		L.Push(lua.LString("userdata"))
		return 1
	}
	L.Push(lua.LString(fmt.Sprintf("%s: %p", k.class, k)))
	return 1
}

// resolve turns host and port into socket addresses for the socket's family.
func (s *State) resolve(ctx context.Context, host, port string, family int, udp bool) ([]netip.AddrPort, error) {
	network := "tcp"
	if udp {
		network = "udp"
	}
	p, err := parsePort(port, network)
	if err != nil {
		return nil, err
	}
	addrs, err := s.lookup(ctx, host, family)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, errNoName
	}
	out := make([]netip.AddrPort, len(addrs))
	for i, a := range addrs {
		out[i] = netip.AddrPortFrom(a, uint16(p))
	}
	return out, nil
}

// bindTo is inet_trybind: resolve (passively, for the socket's family), create
// the descriptor if needed, and bind.
func (k *sock) bindTo(ctx context.Context, s *State, host, port string) error {
	return k.bindFamily(ctx, s, host, port, k.family)
}

// bindFamily binds with family as getaddrinfo's hint: socket.connect's fifth
// argument is such a hint for the local address only.
func (k *sock) bindFamily(ctx context.Context, s *State, host, port string, family int) error {
	if host == "*" && family == syscall.AF_UNSPEC {
		family = syscall.AF_INET
	}
	aps, err := s.resolve(ctx, host, port, family, k.udp)
	if err != nil {
		return err
	}
	for i, ap := range aps {
		if err = k.open(s, familyOf(ap.Addr())); err != nil {
			return err
		}
		if k.family != familyOf(ap.Addr()) {
			err = errAddrFamily
			continue
		}
		err = syscall.Bind(k.d.fd, sockaddr(ap.Addr(), int(ap.Port())))
		if err == nil {
			k.bound = true
			return nil
		}
		if i < len(aps)-1 && k.family == syscall.AF_UNSPEC {
			k.Close()
		}
	}
	return err
}

// connectTo is inet_tryconnect for TCP: each resolved address (of the socket's
// family, once it has one) in turn until one connects or a wait times out. A
// descriptor made here for one family is made anew for an address of the other.
func (k *sock) connectTo(ctx context.Context, s *State, host, port string) error {
	aps, err := s.resolve(ctx, host, port, k.family, false)
	if err != nil {
		return err
	}
	k.tm.markStart()
	created := k.d == nil
	for _, ap := range aps {
		if created && k.d != nil && k.family != familyOf(ap.Addr()) {
			k.Close()
		}
		if k.d == nil {
			if err = k.open(s, familyOf(ap.Addr())); err != nil {
				return err
			}
		}
		if k.family != familyOf(ap.Addr()) {
			err = errAddrFamily
			continue
		}
		if err = k.bindSource(s); err != nil {
			return err
		}
		err = connectFd(ctx, k.d, &k.tm, ap)
		if err == nil || err == errTimeout {
			return err
		}
	}
	return err
}

func connectFd(ctx context.Context, d *fdesc, tm *timeouts, ap netip.AddrPort) error {
	err := syscall.Connect(d.fd, sockaddr(ap.Addr(), int(ap.Port())))
	switch err {
	case nil, syscall.EISCONN:
		return nil
	case syscall.EINPROGRESS, syscall.EALREADY, syscall.EAGAIN, syscall.EINTR:
	default:
		return err
	}
	first := true
	return d.do(ctx, tm, true, func(fd int) error {
		if first {
			first = false
			return syscall.EAGAIN
		}
		v, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_ERROR)
		if err != nil {
			return err
		}
		if v != 0 {
			return syscall.Errno(v)
		}
		if _, err := syscall.Getpeername(fd); err != nil {
			if err == syscall.ENOTCONN {
				return syscall.EAGAIN
			}
			return err
		}
		return nil
	})
}

// Module functions.

// socketConnect is socket.connect: family ("unspec", "inet", "inet6") is
// the hint for the local address only, as in C LuaSocket; the remote address is
// resolved for the family the bind gave (any, without a local address), so
// connect4("::1", port) connects over IPv6. connect4 and connect6 are
// socket.connect with "inet" and "inet6" and no fifth argument.
func socketConnect(L *lua.LState, def string) int {
	s := stateOf(L)
	host := sockString(L, 1, "connect", false)
	port := sockString(L, 2, "connect", false)
	locaddr := L.Get(3) != lua.LNil
	addr := sockOptString(L, 3, "connect", false, "")
	locport := sockOptString(L, 4, "connect", false, "0")
	fam := def
	if def == "unspec" {
		fam = sockOptString(L, 5, "connect", false, "unspec")
	}
	family := syscall.AF_UNSPEC
	switch fam {
	case "unspec":
	case "inet":
		family = syscall.AF_INET
	case "inet6":
		family = syscall.AF_INET6
	default:
		argErr(L, 5, "connect", false, fmt.Sprintf("invalid option '%s'", fam))
	}
	k, err := newSockValue(s, false, syscall.AF_UNSPEC)
	if err != nil {
		return pushErr(L, err)
	}
	ctx := ctxOf(L)
	if locaddr {
		if err := k.bindFamily(ctx, s, addr, locport, family); err != nil {
			k.Close()
			return pushErr(L, err)
		}
	}
	if err := k.connectTo(ctx, s, host, port); err != nil {
		k.Close()
		return pushErr(L, err)
	}
	k.class = classClient
	pushSock(L, k)
	return 1
}

// socketBind is socket.lua's bind: a reuseaddr listening socket.
func socketBind(L *lua.LState) int {
	s := stateOf(L)
	host := sockString(L, 1, "bind", false)
	port := sockString(L, 2, "bind", false)
	backlog := min(max(satInt(sockOptNumber(L, 3, "bind", false, 32)), 0), 65535)
	family := syscall.AF_UNSPEC
	if host == "*" {
		host = "0.0.0.0"
	}
	ctx := ctxOf(L)
	aps, err := s.resolve(ctx, host, port, family, false)
	if err != nil {
		return pushErr(L, err)
	}
	for _, ap := range aps {
		k, e := newSockValue(s, false, familyOf(ap.Addr()))
		if e != nil {
			return pushErr(L, e)
		}
		syscall.SetsockoptInt(k.d.fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
		if err = syscall.Bind(k.d.fd, sockaddr(ap.Addr(), int(ap.Port()))); err != nil {
			k.Close()
			continue
		}
		if err = syscall.Listen(k.d.fd, backlog); err != nil {
			k.Close()
			continue
		}
		k.bound = true
		k.class = classServer
		pushSock(L, k)
		return 1
	}
	return pushErr(L, err)
}

func socketGettime(L *lua.LState) int {
	L.Push(lua.LNumber(float64(time.Now().UnixNano()) / 1e9))
	return 1
}

func socketSleep(L *lua.LState) int {
	n := sockNumber(L, 1, "sleep", false)
	if n <= 0 {
		return 0
	}
	t := time.NewTimer(secs(n))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctxOf(L).Done():
		stopIfDone(L)
	}
	return 0
}

func socketSkip(L *lua.LState) int {
	d := satInt(sockNumber(L, 1, "skip", false))
	top := L.GetTop()
	if d < 0 {
		d = 0
	}
	n := top - 1 - d
	if n <= 0 {
		return 0
	}
	for i := 2 + d; i <= top; i++ {
		L.Push(L.Get(i))
	}
	return n
}

// protect and newtry: try raises its error wrapped in a table carrying a marker
// metatable; a protected function turns exactly those back into nil, err and
// lets every other error through.

func socketProtect(L *lua.LState) int {
	fn := L.CheckFunction(1)
	L.Push(L.NewClosure(protectedCall, fn))
	return 1
}

func protectedCall(L *lua.LState) int {
	fn := L.Get(lua.UpvalueIndex(1))
	nargs := L.GetTop()
	L.Insert(fn, 1)
	if err := L.PCall(nargs, lua.MultRet, nil); err != nil {
		obj := lua.LValue(lua.LString(err.Error()))
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
		}
		if t, ok := obj.(*lua.LTable); ok && t.Metatable == L.G.Registry.RawGetString("wirelab.try") {
			L.SetTop(0)
			L.Push(lua.LNil)
			L.Push(t.RawGetInt(1))
			return 2
		}
		L.Error(obj, 0)
	}
	return L.GetTop()
}

func socketNewtry(L *lua.LState) int {
	fin := L.Get(1)
	if fin != lua.LNil {
		L.CheckFunction(1)
	}
	L.Push(L.NewClosure(tryCall, fin))
	return 1
}

func tryCall(L *lua.LState) int {
	if lua.LVAsBool(L.Get(1)) {
		return L.GetTop()
	}
	if fin := L.Get(lua.UpvalueIndex(1)); fin != lua.LNil {
		L.Push(fin)
		L.Call(0, 0)
	}
	t := L.NewTable()
	t.RawSetInt(1, L.Get(2))
	t.Metatable = L.G.Registry.RawGetString("wirelab.try")
	L.Error(t, 0)
	return 0
}

// dns

var dnsFuncs = map[string]lua.LGFunction{
	"toip":        dnsToIP,
	"tohostname":  dnsToHostname,
	"gethostname": dnsGethostname,
	"getaddrinfo": dnsGetaddrinfo,
	"getnameinfo": dnsGetnameinfo,
}

func hostInfo(L *lua.LState, name string, addrs []netip.Addr) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("name", lua.LString(name))
	t.RawSetString("alias", L.NewTable())
	ips := L.NewTable()
	for _, a := range addrs {
		ips.Append(lua.LString(a.String()))
	}
	t.RawSetString("ip", ips)
	return t
}

// v4only keeps the IPv4 addresses (gethostbyname, which toip uses, is IPv4).
func v4only(addrs []netip.Addr) []netip.Addr {
	var out []netip.Addr
	for _, a := range addrs {
		if a.Is4() {
			out = append(out, a)
		}
	}
	return out
}

func dnsToIP(L *lua.LState) int {
	name := sockString(L, 1, "toip", false)
	s := stateOf(L)
	// A numeric IPv4 address in any inet_aton form (trailing blanks and
	// what follows them ignored) is looked up backwards, as gethostbyaddr.
	if a, err := inetAton(cutAtSpace(name)); err == nil {
		hname := s.hostName(ctxOf(L), a)
		if hname == "" {
			L.Push(lua.LNil)
			L.Push(lua.LString("host not found"))
			return 2
		}
		L.Push(lua.LString(a.String()))
		L.Push(hostInfo(L, hname, []netip.Addr{a}))
		return 2
	}
	var addrs []netip.Addr
	var err error
	if _, perr := netip.ParseAddr(name); perr != nil && name != "*" {
		// gethostbyname is IPv4 only: an IPv6 literal is not found
		addrs, err = s.lookup(ctxOf(L), name, syscall.AF_UNSPEC)
		addrs = v4only(addrs)
	}
	if err != nil || len(addrs) == 0 {
		L.Push(lua.LNil)
		L.Push(lua.LString("host not found"))
		return 2
	}
	L.Push(lua.LString(addrs[0].String()))
	L.Push(hostInfo(L, name, addrs))
	return 2
}

// cutAtSpace is what inet_aton reads of s: up to its first blank.
func cutAtSpace(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || (c >= '\t' && c <= '\r') {
			return s[:i]
		}
	}
	return s
}

func dnsToHostname(L *lua.LState) int {
	arg := sockString(L, 1, "tohostname", false)
	s := stateOf(L)
	ctx := ctxOf(L)
	addrs, err := s.lookup(ctx, arg, syscall.AF_UNSPEC)
	addrs = v4only(addrs)
	if err != nil || len(addrs) == 0 {
		L.Push(lua.LNil)
		L.Push(lua.LString("host not found"))
		return 2
	}
	name := s.hostName(ctx, addrs[0])
	if name == "" {
		L.Push(lua.LNil)
		L.Push(lua.LString("host not found"))
		return 2
	}
	L.Push(lua.LString(name))
	L.Push(hostInfo(L, name, addrs))
	return 2
}

// hostName is gethostbyaddr's name for a: the lab's name for it, or the
// system's (/etc/hosts, then DNS) without a lab; "" when it has none.
func (s *State) hostName(ctx context.Context, a netip.Addr) string {
	name := ""
	if a == netip.AddrFrom4([4]byte{127, 0, 0, 1}) || a == netip.IPv6Loopback() {
		name = "localhost" // /etc/hosts names these two only
	}
	if s.env.Hosts != nil {
		name = s.labName(a, name)
	} else if name == "" {
		if names, err := netResolverLookupAddr(ctx, a.String()); err == nil && len(names) > 0 {
			name = trimDot(names[0])
		}
	}
	return name
}

func trimDot(s string) string {
	if len(s) > 1 && s[len(s)-1] == '.' {
		return s[:len(s)-1]
	}
	return s
}

func dnsGethostname(L *lua.LState) int {
	h, err := os.Hostname()
	if err != nil {
		return pushErr(L, err)
	}
	L.Push(lua.LString(h))
	return 1
}

func dnsGetaddrinfo(L *lua.LState) int {
	name := sockString(L, 1, "getaddrinfo", false)
	addrs, err := stateOf(L).lookup(ctxOf(L), name, syscall.AF_UNSPEC)
	if err != nil {
		return pushErr(L, err)
	}
	t := L.NewTable()
	for _, a := range addrs {
		e := L.NewTable()
		fam := "inet"
		if !a.Is4() {
			fam = "inet6"
		}
		e.RawSetString("family", lua.LString(fam))
		e.RawSetString("addr", lua.LString(a.String()))
		t.Append(e)
	}
	L.Push(t)
	return 1
}
