package lualib

import (
	"context"
	"net/netip"
	"strconv"
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

var udpMethods = map[string]lua.LGFunction{
	"close":       sockClose("udp{any}"),
	"dirty":       sockDirty("udp{any}"),
	"getfamily":   sockGetfamily("udp{any}"),
	"getfd":       sockGetfd("udp{any}"),
	"setfd":       sockSetfd("udp{any}"),
	"getoption":   sockGetoption("udp{any}"),
	"setoption":   sockSetoption("udp{any}"),
	"getpeername": sockGetpeername("udp{connected}"),
	"getsockname": sockGetsockname("udp{any}"),
	"gettimeout":  sockGettimeout("udp{any}"),
	"settimeout":  sockSettimeout("udp{any}"),
	"setpeername": udpSetpeername,
	"setsockname": udpSetsockname,
	"send":        udpSend,
	"sendto":      udpSendto,
	"receive":     udpReceive,
	"receivefrom": udpReceivefrom,
}

func udpSetsockname(L *lua.LState) int {
	k := checkSock(L, "setsockname", "udp{unconnected}")
	host := sockString(L, 2, "setsockname", true)
	port := sockString(L, 3, "setsockname", true)
	if err := k.bindTo(ctxOf(L), stateOf(L), host, port); err != nil {
		return pushErr(L, err)
	}
	return pushOK(L)
}

func udpSetpeername(L *lua.LState) int {
	k := checkSock(L, "setpeername", "udp{any}")
	host := sockString(L, 2, "setpeername", true)
	if host == "*" {
		if k.d != nil {
			disconnect(k.d.fd)
		}
		setClass(L, k, classUnconnected)
		return pushOK(L)
	}
	port := sockString(L, 3, "setpeername", true)
	s := stateOf(L)
	aps, err := s.resolve(ctxOf(L), host, port, k.family, true)
	if err != nil {
		return pushErr(L, err)
	}
	for _, ap := range aps {
		if err = k.open(s, familyOf(ap.Addr())); err != nil {
			return pushErr(L, err)
		}
		if k.family != familyOf(ap.Addr()) {
			err = errAddrFamily
			continue
		}
		if err = k.bindSource(s); err != nil {
			return pushErr(L, err)
		}
		if err = syscall.Connect(k.d.fd, sockaddr(ap.Addr(), int(ap.Port()))); err == nil {
			setClass(L, k, classConnected)
			return pushOK(L)
		}
	}
	return pushErr(L, err)
}

// disconnect dissolves a UDP association: connect with an AF_UNSPEC address.
func disconnect(fd int) {
	var sa [16]byte // sockaddr with sa_family = AF_UNSPEC (0)
	syscall.Syscall(syscall.SYS_CONNECT, uintptr(fd), uintptrOf(&sa[0]), uintptr(len(sa)))
}

func udpSend(L *lua.LState) int {
	k := checkSock(L, "send", "udp{connected}")
	data := sockString(L, 2, "send", true)
	return udpSendData(L, k, data, nil)
}

func udpSendto(L *lua.LState) int {
	k := checkSock(L, "sendto", "udp{unconnected}")
	data := sockString(L, 2, "sendto", true)
	host := sockString(L, 3, "sendto", true)
	port := sockString(L, 4, "sendto", true)
	// LuaSocket 3.1 resolves neither names nor services here (getaddrinfo
	// with AI_NUMERICHOST | AI_NUMERICSERV): socket.dns.toip first.
	if _, err := netip.ParseAddr(host); err != nil {
		return pushErr(L, sockErr("Name or service not known"))
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return pushErr(L, sockErr("Name or service not known"))
	}
	s := stateOf(L)
	aps, err := s.resolve(ctxOf(L), host, port, k.family, true)
	if err != nil {
		if err == errNoName {
			err = sockErr("Name or service not known") // udp.c's sendto: gai_strerror
		}
		return pushErr(L, err)
	}
	ap := aps[0]
	if err := k.open(s, familyOf(ap.Addr())); err != nil {
		return pushErr(L, err)
	}
	if k.family != familyOf(ap.Addr()) {
		return pushErr(L, errAddrFamily)
	}
	if err := k.bindSource(s); err != nil {
		return pushErr(L, err)
	}
	return udpSendData(L, k, data, sockaddr(ap.Addr(), int(ap.Port())))
}

func udpSendData(L *lua.LState, k *sock, data string, to syscall.Sockaddr) int {
	if k.d == nil {
		return pushErr(L, errClosed)
	}
	k.tm.markStart()
	b := []byte(data)
	err := k.d.do(ctxOf(L), &k.tm, true, func(fd int) error {
		_, err := syscall.SendmsgN(fd, b, nil, to, syscall.MSG_NOSIGNAL)
		return err
	})
	if err != nil {
		return pushErr(L, err)
	}
	L.Push(lua.LNumber(len(b)))
	return 1
}

func (k *sock) recvfrom(ctx context.Context, size int) ([]byte, syscall.Sockaddr, error) {
	if k.d == nil {
		return nil, nil, errClosed
	}
	k.tm.markStart()
	buf := make([]byte, size)
	var n int
	var from syscall.Sockaddr
	err := k.d.do(ctx, &k.tm, false, func(fd int) error {
		var err error
		n, from, err = syscall.Recvfrom(fd, buf, 0)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return buf[:n], from, nil
}

func udpSize(L *lua.LState, fname string) int {
	n := satInt(sockOptNumber(L, 2, fname, true, datagramSize))
	if n < 0 {
		n = 0
	}
	return min(n, 65536)
}

func udpReceive(L *lua.LState) int {
	k := checkSock(L, "receive", "udp{any}")
	if negativeSize(L) {
		return pushErr(L, sockErr("out of memory"))
	}
	data, _, err := k.recvfrom(ctxOf(L), udpSize(L, "receive"))
	if err != nil {
		return pushErr(L, err)
	}
	L.Push(lua.LString(data))
	return 1
}

// negativeSize reports a negative receive size, which C LuaSocket 3.1 turns
// into a huge allocation that fails ("out of memory", the datagram left in
// the queue).
func negativeSize(L *lua.LState) bool {
	n, ok := L.Get(2).(lua.LNumber)
	return ok && n < 0
}

func udpReceivefrom(L *lua.LState) int {
	k := checkSock(L, "receivefrom", "udp{unconnected}")
	if negativeSize(L) {
		return pushErr(L, sockErr("out of memory"))
	}
	data, from, err := k.recvfrom(ctxOf(L), udpSize(L, "receivefrom"))
	if err != nil {
		return pushErr(L, err)
	}
	a, port, _ := fromSockaddr(from)
	L.Push(lua.LString(data))
	L.Push(lua.LString(a.String()))
	L.Push(lua.LNumber(port))
	return 3
}
