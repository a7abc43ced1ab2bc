package lualib

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The socket module works on real non-blocking file descriptors, as LuaSocket's
// C code does, so that every state (a master that is bound then connected, a
// socket option set before connect, a zero-timeout connect finished by select)
// behaves the same. The descriptor is wrapped in an *os.File only to wait on
// Go's poller with deadlines; the syscalls themselves are made on the raw fd.

// Errors with LuaSocket's own strings (pierror.h, io.c).
var (
	errTimeout = errors.New("timeout")
	errClosed  = errors.New("closed")
)

// sockErr is an error whose message is exactly what LuaSocket returns.
type sockErr string

func (e sockErr) Error() string { return string(e) }

// strerror maps an error to LuaSocket's message for it (socket_strerror in
// usocket.c: a few errnos get LuaSocket's words, the rest glibc's strerror).
func strerror(err error) string {
	if err == nil {
		return ""
	}
	switch {
	case errors.Is(err, errTimeout), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, errClosed), errors.Is(err, os.ErrClosed):
		return "closed"
	}
	var se sockErr
	if errors.As(err, &se) {
		return string(se)
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		switch en {
		case syscall.EADDRINUSE:
			return "address already in use"
		case syscall.EISCONN:
			return "already connected"
		case syscall.EACCES:
			return "permission denied"
		case syscall.ECONNREFUSED:
			return "connection refused"
		case syscall.ECONNABORTED, syscall.ECONNRESET, syscall.EPIPE:
			return "closed"
		case syscall.ETIMEDOUT:
			return "timeout"
		}
		return capitalize(en.Error())
	}
	return err.Error()
}

// capitalize turns Go's errno text into glibc's ("network is unreachable" ->
// "Network is unreachable").
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// fdesc is one non-blocking socket descriptor registered with Go's poller.
type fdesc struct {
	fd int
	f  *os.File
	rc syscall.RawConn
}

func newFdesc(mk func(domain, typ, proto int) (int, error), family, typ int) (*fdesc, error) {
	if mk == nil {
		mk = syscall.Socket
	}
	fd, err := mk(family, typ|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return wrapFd(fd)
}

func wrapFd(fd int) (*fdesc, error) {
	f := os.NewFile(uintptr(fd), "socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &fdesc{fd: fd, f: f, rc: rc}, nil
}

func (d *fdesc) Close() error { return d.f.Close() }

// timeouts are LuaSocket's two timeouts: block bounds each wait, total the whole
// call; negative means none.
type timeouts struct {
	block, total float64
	start        time.Time
}

func (tm *timeouts) markStart() { tm.start = time.Now() }

// deadline returns the deadline of the next wait, zero for none.
func (tm *timeouts) deadline() time.Time {
	var d time.Time
	if tm.block >= 0 {
		d = time.Now().Add(secs(tm.block))
	}
	if tm.total >= 0 {
		t := tm.start.Add(secs(tm.total))
		if d.IsZero() || t.Before(d) {
			d = t
		}
	}
	return d
}

func secs(f float64) time.Duration {
	if f > 1e9 {
		f = 1e9
	}
	return time.Duration(f * float64(time.Second))
}

// longAgo is a deadline in the past, used to wake a waiter when the run ends.
var longAgo = time.Unix(1, 0)

// do runs op (a syscall on the fd) until it stops returning EAGAIN, waiting for
// readiness (read or write) with the timeouts and the run's context.
func (d *fdesc) do(ctx context.Context, tm *timeouts, write bool, op func(fd int) error) error {
	err := op(d.fd)
	if !again(err) {
		return err
	}
	for {
		dl := tm.deadline()
		if !dl.IsZero() && !dl.After(time.Now()) {
			return errTimeout
		}
		if ctx.Err() != nil {
			return errTimeout
		}
		if write {
			d.f.SetWriteDeadline(dl)
		} else {
			d.f.SetReadDeadline(dl)
		}
		stop := context.AfterFunc(ctx, func() { d.f.SetDeadline(longAgo) })
		cb := func(fd uintptr) bool {
			err = op(int(fd))
			return !again(err)
		}
		var werr error
		if write {
			werr = d.rc.Write(cb)
		} else {
			werr = d.rc.Read(cb)
		}
		stop()
		if werr == nil {
			return err
		}
		if errors.Is(werr, os.ErrDeadlineExceeded) {
			return errTimeout
		}
		if errors.Is(werr, os.ErrClosed) {
			return errClosed
		}
		return werr
	}
}

func again(err error) bool {
	return err == syscall.EAGAIN || err == syscall.EINTR
}

// Name resolution.

// errNoName is getaddrinfo's EAI_NONAME as LuaSocket words it for connect and bind.
var errNoName = sockErr("host or service not provided, or not known")

// errAddrFamily is EAI_ADDRFAMILY (gai_strerror's words): the host has no
// address of the family asked for.
var errAddrFamily = sockErr("Address family for hostname not supported")

// lookup resolves host the way the state's Env says: through Env.Hosts only when
// it is set, else the system resolver. Literal addresses, "localhost" and "*"
// (any address, for bind) always resolve.
func (s *State) lookup(ctx context.Context, host string, family int) ([]netip.Addr, error) {
	if host == "*" {
		if family == syscall.AF_INET6 {
			return []netip.Addr{netip.IPv6Unspecified()}, nil
		}
		return []netip.Addr{netip.IPv4Unspecified()}, nil
	}
	var addrs []netip.Addr
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if err != nil {
		a, err = inetAton(host)
	}
	literal := err == nil
	if literal {
		addrs = []netip.Addr{a.WithZone("")}
	}
	switch {
	case addrs != nil:
	case strings.EqualFold(host, "localhost") && s.env.Hosts != nil:
		// in a lab; on the host's own network the system resolver says
		// (from /etc/hosts) what localhost is, as it does for C LuaSocket
		addrs = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}
	case s.env.Hosts != nil:
		key := host
		a, ok := s.env.Hosts[key]
		if !ok {
			key = strings.ToLower(host)
			a, ok = s.env.Hosts[key]
		}
		if !ok || !a.IsValid() {
			return nil, errNoName
		}
		addrs = []netip.Addr{a.Unmap()}
		for _, b := range s.env.HostsMore[key] {
			addrs = append(addrs, b.Unmap())
		}
	default:
		if host == "" {
			return nil, errNoName
		}
		res, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			var de *net.DNSError
			if errors.As(err, &de) && de.IsTemporary {
				return nil, sockErr("temporary failure in name resolution")
			}
			if ctx.Err() != nil {
				return nil, errTimeout
			}
			return nil, errNoName
		}
		for _, a := range res {
			addrs = append(addrs, a.Unmap())
		}
	}
	if family == syscall.AF_UNSPEC {
		return addrs, nil
	}
	var out []netip.Addr
	for _, a := range addrs {
		if familyOf(a) == family {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		if literal {
			return nil, errAddrFamily
		}
		return nil, errNoName // glibc: a name without an address of the family
	}
	return out, nil
}

func familyOf(a netip.Addr) int {
	if a.Is4() {
		return syscall.AF_INET
	}
	return syscall.AF_INET6
}

// inetAton reads the IPv4 forms glibc's getaddrinfo takes as numeric besides
// the dotted quad (inet_aton's): one to four parts, each decimal, octal with a
// leading 0 or hex with 0x, the last filling the bytes left: "127.1" is
// 127.0.0.1, "2130706433" the same, "127" is 0.0.0.127.
func inetAton(host string) (netip.Addr, error) {
	bad := errors.New("not an inet_aton address")
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return netip.Addr{}, bad
	}
	var b [4]byte
	for i, p := range parts {
		base := 10
		switch {
		case len(p) > 1 && (p[:2] == "0x" || p[:2] == "0X"):
			base, p = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, p = 8, p[1:]
		}
		if p == "" || strings.IndexFunc(p, func(r rune) bool { return r == '+' || r == '-' || r == '_' }) >= 0 {
			return netip.Addr{}, bad
		}
		// the last part fills 4-i bytes, the others one each
		width := 8
		if i == len(parts)-1 {
			width = 8 * (4 - i)
		}
		v, err := strconv.ParseUint(p, base, width)
		if err != nil {
			return netip.Addr{}, bad
		}
		if i < len(parts)-1 {
			b[i] = byte(v)
			continue
		}
		for j := 3; j >= i; j-- {
			b[j], v = byte(v), v>>8
		}
	}
	return netip.AddrFrom4(b), nil
}

// parsePort reads a port as getaddrinfo does for a socket of network ("tcp"
// or "udp"): a number is the whole string in decimal (a Lua number arrives
// formatted, so 80.5 is "80.5": not a port, as in C LuaSocket), else a service
// name (servicePort).
func parsePort(p string, network string) (int, error) {
	n, ok := servicePort(p, network)
	if !ok {
		return 0, sockErr("service not supported for socket type")
	}
	return n, nil
}

func sockaddr(a netip.Addr, port int) syscall.Sockaddr {
	if a.Is4() {
		return &syscall.SockaddrInet4{Port: port, Addr: a.As4()}
	}
	return &syscall.SockaddrInet6{Port: port, Addr: a.As16()}
}

func fromSockaddr(sa syscall.Sockaddr) (netip.Addr, int, string) {
	switch sa := sa.(type) {
	case *syscall.SockaddrInet4:
		return netip.AddrFrom4(sa.Addr), sa.Port, "inet"
	case *syscall.SockaddrInet6:
		return netip.AddrFrom16(sa.Addr), sa.Port, "inet6"
	}
	return netip.Addr{}, 0, ""
}
