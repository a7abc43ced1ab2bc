package lualib

import (
	"context"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

func netResolverLookupAddr(ctx context.Context, addr string) ([]string, error) {
	return net.DefaultResolver.LookupAddr(ctx, addr)
}

var tcpMethods = map[string]lua.LGFunction{
	"accept":      tcpAccept,
	"bind":        tcpBind,
	"close":       sockClose("tcp{any}"),
	"connect":     tcpConnect,
	"dirty":       sockDirty("tcp{any}"),
	"getfamily":   sockGetfamily("tcp{any}"),
	"getfd":       sockGetfd("tcp{any}"),
	"setfd":       sockSetfd("tcp{any}"),
	"getoption":   sockGetoption("tcp{any}"),
	"setoption":   sockSetoption("tcp{any}"),
	"getpeername": sockGetpeername("tcp{any}"),
	"getsockname": sockGetsockname("tcp{any}"),
	"getstats":    tcpGetstats,
	"setstats":    tcpSetstats,
	"gettimeout":  sockGettimeout("tcp{any}"),
	"settimeout":  sockSettimeout("tcp{any}"),
	"listen":      tcpListen,
	"receive":     tcpReceive,
	"send":        tcpSend,
	"shutdown":    tcpShutdown,
	// C LuaSocket's tcp objects have these as other names of connect and
	// bind (LuaSocket's own test suite calls them).
	"setpeername": tcpConnect,
	"setsockname": tcpBind,
}

func tcpBind(L *lua.LState) int {
	k := checkSock(L, "bind", "tcp{master}")
	host := sockString(L, 2, "bind", true)
	port := sockOptString(L, 3, "bind", true, "0")
	if err := k.bindTo(ctxOf(L), stateOf(L), host, port); err != nil {
		return pushErr(L, err)
	}
	return pushOK(L)
}

func tcpListen(L *lua.LState) int {
	k := checkSock(L, "listen", "tcp{master}")
	backlog := min(max(satInt(sockOptNumber(L, 2, "listen", true, 32)), 0), 65535)
	if k.d == nil {
		if err := k.open(stateOf(L), syscall.AF_INET); err != nil {
			return pushErr(L, err)
		}
	}
	if err := syscall.Listen(k.d.fd, backlog); err != nil {
		return pushErr(L, err)
	}
	setClass(L, k, classServer)
	return pushOK(L)
}

func tcpConnect(L *lua.LState) int {
	k := checkSock(L, "connect", "tcp{any}")
	host := sockString(L, 2, "connect", true)
	port := sockString(L, 3, "connect", true)
	err := k.connectTo(ctxOf(L), stateOf(L), host, port)
	// LuaSocket makes it a client even when the connect failed or is still in
	// progress (a zero-timeout connect finished later by select).
	setClass(L, k, classClient)
	if err != nil {
		return pushErr(L, err)
	}
	return pushOK(L)
}

func tcpAccept(L *lua.LState) int {
	k := checkSock(L, "accept", "tcp{server}")
	if k.d == nil {
		return pushErr(L, errClosed)
	}
	k.tm.markStart()
	var nfd int
	err := k.d.do(ctxOf(L), &k.tm, false, func(fd int) error {
		var err error
		nfd, _, err = syscall.Accept4(fd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		if err == syscall.ECONNABORTED {
			return syscall.EAGAIN
		}
		return err
	})
	if err != nil {
		return pushErr(L, err)
	}
	d, err := wrapFd(nfd)
	if err != nil {
		syscall.Close(nfd)
		return pushErr(L, err)
	}
	c := &sock{class: classClient, family: k.family, d: d, birth: time.Now(), bound: true}
	c.tm = timeouts{block: -1, total: -1}
	c.untrack = stateOf(L).track(c)
	pushSock(L, c)
	return 1
}

// fill makes sure the receive buffer holds data, reading up to bufSize bytes.
func (k *sock) fill(ctx context.Context) error {
	if k.dirty() {
		return nil
	}
	if k.d == nil {
		return errClosed
	}
	if cap(k.buf) < bufSize {
		k.buf = make([]byte, bufSize)
	}
	k.buf = k.buf[:cap(k.buf)]
	var n int
	err := k.d.do(ctx, &k.tm, false, func(fd int) error {
		var err error
		n, err = syscall.Read(fd, k.buf)
		return err
	})
	if err != nil {
		k.buf, k.pos = k.buf[:0], 0
		return err
	}
	if n == 0 {
		k.buf, k.pos = k.buf[:0], 0
		return errClosed
	}
	k.recvd += float64(n)
	k.buf, k.pos = k.buf[:n], 0
	return nil
}

func (k *sock) pending() []byte { return k.buf[k.pos:] }

// recvRaw, recvLine and recvAll follow buffer.c: each takes what the buffer
// has, asks for more while it needs it, and leaves the rest buffered.
func (k *sock) recvRaw(ctx context.Context, b *strings.Builder, wanted int) error {
	total := 0
	for {
		if err := k.fill(ctx); err != nil {
			return err
		}
		p := k.pending()
		n := min(len(p), wanted-total)
		b.Write(p[:n])
		k.pos += n
		total += n
		if total >= wanted {
			return nil
		}
	}
}

func (k *sock) recvLine(ctx context.Context, b *strings.Builder) error {
	for {
		if err := k.fill(ctx); err != nil {
			return err
		}
		p := k.pending()
		for i, c := range p {
			if c == '\n' {
				k.pos += i + 1
				return nil
			}
			if c != '\r' {
				b.WriteByte(c)
			}
		}
		k.pos += len(p)
	}
}

func (k *sock) recvAll(ctx context.Context, b *strings.Builder) error {
	total := 0
	for {
		err := k.fill(ctx)
		if err == errClosed {
			if total > 0 {
				return nil
			}
			return err
		}
		if err != nil {
			return err
		}
		p := k.pending()
		b.Write(p)
		total += len(p)
		k.pos += len(p)
	}
}

func tcpReceive(L *lua.LState) int {
	k := checkSock(L, "receive", "tcp{client}")
	var b strings.Builder
	b.WriteString(sockOptString(L, 3, "receive", true, ""))
	ctx := ctxOf(L)
	k.tm.markStart()
	var err error
	switch v := L.Get(2).(type) {
	case lua.LNumber:
		if !(v >= 0) { // negative or NaN
			argErr(L, 2, "receive", true, "invalid receive pattern")
		}
		err = k.recvPrefixed(ctx, &b, int(min(v, 1<<40)))
	case lua.LString, *lua.LNilType:
		p := "*l"
		if s, ok := v.(lua.LString); ok {
			p = string(s)
		}
		if n, ok := numericString(p); ok {
			if n < 0 {
				argErr(L, 2, "receive", true, "invalid receive pattern")
			}
			err = k.recvPrefixed(ctx, &b, n)
			break
		}
		switch strings.TrimPrefix(p, "*")[:min(1, len(strings.TrimPrefix(p, "*")))] {
		case "l":
			err = k.recvLine(ctx, &b)
		case "a":
			err = k.recvAll(ctx, &b)
		default:
			argErr(L, 2, "receive", true, "invalid receive pattern")
		}
	default:
		argErr(L, 2, "receive", true, "string expected, got "+typeName(L, 2))
	}
	if err != nil {
		stopIfDone(L)
		L.Push(lua.LNil)
		L.Push(lua.LString(strerror(err)))
		L.Push(lua.LString(b.String()))
		return 3
	}
	L.Push(lua.LString(b.String()))
	L.Push(lua.LNil)
	L.Push(lua.LNil)
	return 3
}

// recvPrefixed reads receive(n, prefix)'s bytes: C LuaSocket counts the
// prefix in n (the non-blocking retry loop `repeat d, e, part =
// c:receive(10, part) until d` relies on it), so it reads n minus the prefix,
// and nothing when the prefix is already that long.
func (k *sock) recvPrefixed(ctx context.Context, b *strings.Builder, n int) error {
	have := b.Len()
	if have != 0 && n <= have {
		return nil
	}
	return k.recvRaw(ctx, b, n-have)
}

func numericString(s string) (int, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, false
	}
	if !(f >= 0) {
		return -1, true
	}
	return int(min(f, 1<<40)), true
}

func tcpSend(L *lua.LState) int {
	k := checkSock(L, "send", "tcp{client}")
	data := sockString(L, 2, "send", true)
	size := len(data)
	start := satInt(sockOptNumber(L, 3, "send", true, 1))
	end := satInt(sockOptNumber(L, 4, "send", true, -1))
	k.tm.markStart()
	if start < 0 {
		start = size + start + 1
	}
	if end < 0 {
		end = size + end + 1
	}
	if start < 1 {
		start = 1
	}
	if end > size {
		end = size
	}
	sent := 0
	var err error
	if start <= end {
		sent, err = k.sendRaw(ctxOf(L), data[start-1:end])
	}
	if err != nil {
		stopIfDone(L)
		L.Push(lua.LNil)
		L.Push(lua.LString(strerror(err)))
		L.Push(lua.LNumber(sent + start - 1))
		return 3
	}
	L.Push(lua.LNumber(sent + start - 1))
	L.Push(lua.LNil)
	L.Push(lua.LNil)
	return 3
}

func (k *sock) sendRaw(ctx context.Context, data string) (int, error) {
	if k.d == nil {
		return 0, errClosed
	}
	b := []byte(data)
	total := 0
	for total < len(b) {
		chunk := b[total:min(len(b), total+bufSize)]
		var n int
		err := k.d.do(ctx, &k.tm, true, func(fd int) error {
			var err error
			n, err = syscall.SendmsgN(fd, chunk, nil, nil, syscall.MSG_NOSIGNAL)
			return err
		})
		if n > 0 {
			total += n
			k.sent += float64(n)
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func tcpShutdown(L *lua.LState) int {
	k := checkSock(L, "shutdown", "tcp{client}")
	how := sockOptString(L, 2, "shutdown", true, "both")
	var h int
	switch how {
	case "both":
		h = syscall.SHUT_RDWR
	case "send":
		h = syscall.SHUT_WR
	case "receive":
		h = syscall.SHUT_RD
	default:
		argErr(L, 2, "shutdown", true, "invalid option '"+how+"'")
	}
	if k.d != nil {
		syscall.Shutdown(k.d.fd, h)
	}
	return pushOK(L)
}

func tcpGetstats(L *lua.LState) int {
	k := checkSock(L, "getstats", "tcp{client}")
	L.Push(lua.LNumber(k.recvd))
	L.Push(lua.LNumber(k.sent))
	L.Push(lua.LNumber(time.Since(k.birth).Seconds()))
	return 3
}

func tcpSetstats(L *lua.LState) int {
	k := checkSock(L, "setstats", "tcp{client}")
	k.recvd = sockOptNumber(L, 2, "setstats", true, k.recvd)
	k.sent = sockOptNumber(L, 3, "setstats", true, k.sent)
	if L.Get(4) != lua.LNil {
		age := sockNumber(L, 4, "setstats", true)
		k.birth = time.Now().Add(-secs(age))
	}
	return pushOK(L)
}

// Methods shared by TCP and UDP objects.

func sockClose(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		checkSock(L, "close", group).Close()
		return pushOK(L)
	}
}

func sockDirty(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "dirty", group)
		L.Push(lua.LBool(k.dirty()))
		return 1
	}
}

func sockGetfamily(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "getfamily", group)
		if k.family == syscall.AF_INET6 {
			L.Push(lua.LString("inet6"))
		} else {
			L.Push(lua.LString("inet4"))
		}
		return 1
	}
}

func sockGetfd(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "getfd", group)
		L.Push(lua.LNumber(k.fd()))
		return 1
	}
}

// sockSetfd supports only what scripts use it for: setfd(-1) makes the object
// forget its descriptor (wirelab closes it rather than leak it). Adopting an
// arbitrary descriptor number is not allowed in the sandbox.
func sockSetfd(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "setfd", group)
		if sockNumber(L, 2, "setfd", true) < 0 {
			k.Close()
		}
		return 0
	}
}

func sockGetpeername(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "getpeername", group)
		if k.d == nil {
			return pushErr(L, syscall.EBADF)
		}
		sa, err := syscall.Getpeername(k.d.fd)
		if err != nil {
			return pushErr(L, err)
		}
		return pushSockaddr(L, sa)
	}
}

func sockGetsockname(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "getsockname", group)
		if k.d == nil {
			return pushErr(L, syscall.EBADF)
		}
		sa, err := syscall.Getsockname(k.d.fd)
		if err != nil {
			return pushErr(L, err)
		}
		// LuaSocket 3.1 gives getsockname's port as a string (getnameinfo's
		// service), getpeername's as a number.
		a, port, fam := fromSockaddr(sa)
		L.Push(lua.LString(a.String()))
		L.Push(lua.LString(strconv.Itoa(port)))
		L.Push(lua.LString(fam))
		return 3
	}
}

func pushSockaddr(L *lua.LState, sa syscall.Sockaddr) int {
	a, port, fam := fromSockaddr(sa)
	L.Push(lua.LString(a.String()))
	L.Push(lua.LNumber(port))
	L.Push(lua.LString(fam))
	return 3
}

func sockGettimeout(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "gettimeout", group)
		L.Push(lua.LNumber(k.tm.block))
		L.Push(lua.LNumber(k.tm.total))
		return 2
	}
}

func sockSettimeout(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "settimeout", group)
		t := sockOptNumber(L, 2, "settimeout", true, -1)
		mode := sockOptString(L, 3, "settimeout", true, "b")
		if t < 0 {
			t = -1
		}
		// C LuaSocket looks at the first letter only: "total" and "block" work.
		first := ""
		if mode != "" {
			first = mode[:1]
		}
		switch first {
		case "b":
			k.tm.block = t
		case "r", "t":
			k.tm.total = t
		default:
			argErr(L, 3, "settimeout", true, "invalid timeout mode")
		}
		return pushOK(L)
	}
}

// Socket options: name -> level, option, kind ("bool", "int", "linger").
var sockOptions = map[string]struct {
	level, opt int
	kind       string
}{
	"keepalive":        {syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, "bool"},
	"reuseaddr":        {syscall.SOL_SOCKET, syscall.SO_REUSEADDR, "bool"},
	"reuseport":        {syscall.SOL_SOCKET, 0xf /* SO_REUSEPORT */, "bool"},
	"broadcast":        {syscall.SOL_SOCKET, syscall.SO_BROADCAST, "bool"},
	"dontroute":        {syscall.SOL_SOCKET, syscall.SO_DONTROUTE, "bool"},
	"linger":           {syscall.SOL_SOCKET, syscall.SO_LINGER, "linger"},
	"send-buffer-size": {syscall.SOL_SOCKET, syscall.SO_SNDBUF, "int"},
	"recv-buffer-size": {syscall.SOL_SOCKET, syscall.SO_RCVBUF, "int"},
	"tcp-nodelay":      {syscall.IPPROTO_TCP, syscall.TCP_NODELAY, "bool"},
	"tcp-keepidle":     {syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE, "int"},
	"tcp-keepcnt":      {syscall.IPPROTO_TCP, syscall.TCP_KEEPCNT, "int"},
	"tcp-keepintvl":    {syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL, "int"},
	"ipv6-v6only":      {syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, "bool"},
	"error":            {syscall.SOL_SOCKET, syscall.SO_ERROR, "error"}, // getoption only
	"ip-multicast-ttl": {syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL, "int"},
	// Not in C LuaSocket (which has only the multicast TTL and
	// ipv6-unicast-hops): the unicast TTL a traceroute sets.
	"ip-ttl":            {syscall.IPPROTO_IP, syscall.IP_TTL, "int"},
	"ipv6-unicast-hops": {syscall.IPPROTO_IPV6, syscall.IPV6_UNICAST_HOPS, "int"},
	"ip-multicast-loop": {syscall.IPPROTO_IP, syscall.IP_MULTICAST_LOOP,
		"bool"},
}

func sockSetoption(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "setoption", group)
		name := sockString(L, 2, "setoption", true)
		o, ok := sockOptions[name]
		if !ok || o.kind == "error" {
			argErr(L, 2, "setoption", true, "unsupported option `"+name+"'")
		}
		if k.d == nil {
			return pushErr(L, sockErr("setsockopt failed"))
		}
		var err error
		switch o.kind {
		case "bool":
			v := 0
			if lua.LVAsBool(L.Get(3)) {
				v = 1
			}
			err = syscall.SetsockoptInt(k.d.fd, o.level, o.opt, v)
		case "int":
			err = syscall.SetsockoptInt(k.d.fd, o.level, o.opt, int(int32(max(min(satInt(sockNumber(L, 3, "setoption", true)), 1<<31-1), -1<<31))))
		case "linger":
			t, ok := L.Get(3).(*lua.LTable)
			if !ok {
				argErr(L, 3, "setoption", true, "table expected, got "+typeName(L, 3))
			}
			var l syscall.Linger
			if lua.LVAsBool(t.RawGetString("on")) {
				l.Onoff = 1
			}
			l.Linger = int32(lua.LVAsNumber(t.RawGetString("timeout")))
			err = syscall.SetsockoptLinger(k.d.fd, o.level, o.opt, &l)
		}
		if err != nil {
			return pushErr(L, sockErr("setsockopt failed"))
		}
		return pushOK(L)
	}
}

func sockGetoption(group string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := checkSock(L, "getoption", group)
		name := sockString(L, 2, "getoption", true)
		o, ok := sockOptions[name]
		if !ok {
			argErr(L, 2, "getoption", true, "unsupported option `"+name+"'")
		}
		if k.d == nil {
			return pushErr(L, sockErr("getsockopt failed"))
		}
		switch o.kind {
		case "error":
			// The pending error (SO_ERROR, which reading clears), as
			// LuaSocket words it; nil when there is none.
			v, err := syscall.GetsockoptInt(k.d.fd, o.level, o.opt)
			if err != nil {
				return pushErr(L, sockErr("getsockopt failed"))
			}
			if v == 0 {
				L.Push(lua.LNil)
			} else {
				L.Push(lua.LString(strerror(syscall.Errno(v))))
			}
			return 1
		case "linger":
			l, err := getLinger(k.d.fd)
			if err != nil {
				return pushErr(L, sockErr("getsockopt failed"))
			}
			t := L.NewTable()
			t.RawSetString("on", lua.LBool(l.Onoff != 0))
			t.RawSetString("timeout", lua.LNumber(l.Linger))
			L.Push(t)
			return 1
		default:
			v, err := syscall.GetsockoptInt(k.d.fd, o.level, o.opt)
			if err != nil {
				return pushErr(L, sockErr("getsockopt failed"))
			}
			if o.kind == "bool" {
				L.Push(lua.LBool(v != 0))
			} else {
				L.Push(lua.LNumber(v))
			}
			return 1
		}
	}
}

func getLinger(fd int) (syscall.Linger, error) {
	var l syscall.Linger
	n := uint32(unsafe.Sizeof(l))
	_, _, e := syscall.Syscall6(syscall.SYS_GETSOCKOPT, uintptr(fd), syscall.SOL_SOCKET, syscall.SO_LINGER,
		uintptr(unsafe.Pointer(&l)), uintptr(unsafe.Pointer(&n)), 0)
	if e != 0 {
		return l, e
	}
	return l, nil
}

// satInt converts a Lua number to an int without Go's undefined results for
// NaN and out-of-range values: NaN is 0, the rest saturates at ±2^53.
func satInt(f float64) int {
	switch {
	case f != f:
		return 0
	case f > 1<<53:
		return 1 << 53
	case f < -(1 << 53):
		return -(1 << 53)
	}
	return int(f)
}
