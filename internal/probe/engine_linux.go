//go:build linux

package probe

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// haveEngine reports whether engineScan exists on this platform.
const haveEngine = true

// The connect engine. nmap's -sT is slow on loopback because every port costs
// socket, connect, poll, getsockopt and close, and the kernel hunts for a free
// ephemeral port on every connect. The engine instead binds each socket once
// to a port it names (the kernel keeps a port asked for by number through a
// refused connect; one it picked itself it releases) and reuses it after a
// refusal: on loopback and on a lab's veth pair the reset is handled
// before connect returns, so a closed port costs two connect calls and nothing
// else. Answers that are not immediate wait in an epoll set with a deadline.
// A few event loops, one per CPU, share the port list.

type engine struct {
	family   int
	dst      netip.Addr
	zone     uint32
	bindSA   syscall.Sockaddr
	timeout  time.Duration
	attempts int
	ports    []int
	res      []Result
	next     atomic.Int64

	portLo, portHi int          // the range local ports are taken from
	portNext       atomic.Int64 // the next of them, modulo the range
	// bound marks every local port a socket of this scan has been bound
	// to, when the scan targets its own source address: there two of its
	// probes can cross (socket A on port P probing Q while B on Q probes
	// P) and open each other by TCP's simultaneous open. A port the scan
	// holds cannot have had a listener on that address, so a handshake
	// with it is one of those crossings, not an open port.
	bound   []atomic.Uint64
	ownAddr bool

	stop  atomic.Bool // set when ctx ends or a loop fails
	wakeR int         // read end of a pipe written once stop is set
	wakeW int
	mu    sync.Mutex // guards wakeW against close, and err
	shut  bool
	err   error
}

// tsock is a bound TCP socket and its local port. A socket whose port the
// kernel picked (locked false) loses it at its first refused connect and is
// not used again.
type tsock struct {
	fd, lport int
	locked    bool
}

// slot is one probe in flight in an event loop.
type slot struct {
	sock     tsock
	k        int // index in its loop's slots
	i        int // index into ports and res
	attempt  int
	gen      int32 // tells a stale epoll event from a current one
	start    time.Time
	deadline time.Time
	busy     bool
}

func engineScan(ctx context.Context, host netip.Addr, ports []int, opt Options, res []Result) error {
	e := &engine{
		dst:      host,
		timeout:  opt.timeout(),
		attempts: opt.attempts(false),
		ports:    ports,
		res:      res,
	}
	e.portLo, e.portHi = ephemeralRange()
	e.portNext.Store(rand.Int64N(int64(e.portHi - e.portLo + 1)))
	if !opt.Source.IsValid() {
		// Bind to the address the kernel would pick anyway: a socket bound
		// to a specific address spares connect a second route lookup.
		opt.Source = sourceFor(host)
	}
	if host.Is4() {
		e.family = syscall.AF_INET
		sa := &syscall.SockaddrInet4{}
		if opt.Source.IsValid() {
			sa.Addr = opt.Source.As4()
		}
		e.bindSA = sa
	} else {
		e.family = syscall.AF_INET6
		sa := &syscall.SockaddrInet6{}
		if opt.Source.IsValid() {
			sa.Addr = opt.Source.As16()
			z, err := zoneID(opt.Source.Zone())
			if err != nil {
				return err
			}
			sa.ZoneId = z
		}
		e.bindSA = sa
		z, err := zoneID(host.Zone())
		if err != nil {
			return err
		}
		e.zone = z
	}
	if e.ownAddr = opt.Source == host || (!opt.Source.IsValid() && host.IsLoopback()); e.ownAddr {
		e.bound = make([]atomic.Uint64, (MaxPort+1+63)/64)
	}

	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	e.wakeR, e.wakeW = p[0], p[1]
	stop := context.AfterFunc(ctx, func() { e.abort(nil) })
	defer func() {
		stop()
		e.mu.Lock()
		e.shut = true
		syscall.Close(e.wakeR)
		syscall.Close(e.wakeW)
		e.mu.Unlock()
	}()

	conc := opt.concurrency(len(ports))
	loops := min(runtime.GOMAXPROCS(0), conc, 8)
	var wg sync.WaitGroup
	for k := range loops {
		capacity := conc / loops
		if k < conc%loops {
			capacity++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.loop(capacity); err != nil {
				e.abort(err)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

// abort stops every loop; err, when not nil, is the scan's error.
func (e *engine) abort(err error) {
	e.stop.Store(true)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil && e.err == nil {
		e.err = err
	}
	if !e.shut {
		syscall.Write(e.wakeW, []byte{0})
	}
}

// sourceFor returns the local address the kernel picks to reach host, found
// by connecting a UDP socket (which sends nothing); the zero Addr if none.
func sourceFor(host netip.Addr) netip.Addr {
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(host, 9)))
	if err != nil {
		return netip.Addr{}
	}
	defer c.Close()
	a := c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
	if a.Is4() != host.Is4() || a.Zone() != host.Zone() {
		return netip.Addr{}
	}
	return a
}

func zoneID(zone string) (uint32, error) {
	if zone == "" {
		return 0, nil
	}
	ifi, err := net.InterfaceByName(zone)
	if err != nil {
		return 0, fmt.Errorf("zone %q: %w", zone, err)
	}
	return uint32(ifi.Index), nil
}

// loop runs one event loop with up to capacity probes in flight.
func (e *engine) loop(capacity int) error {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	l := &loop{e: e, epfd: epfd, slots: make([]slot, capacity)}
	defer l.close()
	// A Sockaddr holds the raw form the syscall fills in: one per loop.
	switch sa := e.bindSA.(type) {
	case *syscall.SockaddrInet4:
		c := *sa
		l.bind = &c
	case *syscall.SockaddrInet6:
		c := *sa
		l.bind = &c
	}
	if e.family == syscall.AF_INET {
		l.dst = &syscall.SockaddrInet4{Addr: e.dst.As4()}
	} else {
		l.dst = &syscall.SockaddrInet6{Addr: e.dst.As16(), ZoneId: e.zone}
	}
	wake := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: -1}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, e.wakeR, &wake); err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	free := make([]int, capacity)
	for k := range free {
		free[k] = capacity - 1 - k
		l.slots[k].k = k
	}
	carry := -1 // a port to launch again once resources free up
	exhausted := false
	events := make([]syscall.EpollEvent, 128)
	for {
		// Launch probes while slots are free; most finish on the spot.
		for len(free) > 0 && (carry >= 0 || !exhausted) {
			if e.stop.Load() {
				return nil
			}
			i := carry
			if i >= 0 {
				carry = -1
			} else if i = int(e.next.Add(1) - 1); i >= len(e.ports) {
				exhausted = true
				break
			}
			s := &l.slots[free[len(free)-1]]
			s.i, s.attempt = i, 0
			busy, err := l.launch(s)
			if err != nil {
				if !isResource(err) || l.pending == 0 {
					return err
				}
				carry = i
				break
			}
			if busy {
				free = free[:len(free)-1]
			}
		}
		if l.pending == 0 {
			if exhausted && carry < 0 {
				return nil
			}
			continue
		}

		// Wait for answers or the earliest deadline.
		now := time.Now()
		first := now.Add(time.Hour)
		for k := range l.slots {
			if s := &l.slots[k]; s.busy && s.deadline.Before(first) {
				first = s.deadline
			}
		}
		ms := 0
		if d := first.Sub(now); d > 0 {
			ms = int((d + time.Millisecond - 1) / time.Millisecond)
		}
		n, err := syscall.EpollWait(epfd, events, ms)
		if err != nil && err != syscall.EINTR {
			return fmt.Errorf("scan: %w", err)
		}
		if e.stop.Load() {
			return nil
		}
		for _, ev := range events[:max(n, 0)] {
			if ev.Fd < 0 || int(ev.Fd) >= len(l.slots) {
				continue
			}
			k := int(ev.Fd)
			s := &l.slots[k]
			if !s.busy || s.gen != ev.Pad {
				continue
			}
			v, err := syscall.GetsockoptInt(s.sock.fd, syscall.SOL_SOCKET, syscall.SO_ERROR)
			if err == nil && v != 0 {
				err = syscall.Errno(v)
			}
			if err == nil && ev.Events&syscall.EPOLLOUT == 0 {
				continue // not yet writable: still connecting
			}
			l.done(s, err, false)
			free = append(free, k)
		}
		now = time.Now()
		for k := range l.slots {
			s := &l.slots[k]
			if !s.busy || now.Before(s.deadline) {
				continue
			}
			l.pending--
			s.busy = false
			syscall.Close(s.sock.fd)
			if s.attempt+1 < e.attempts {
				s.attempt++
				busy, err := l.launch(s)
				if err != nil && !isResource(err) {
					return err
				}
				if err == nil && busy {
					continue
				}
				if err != nil {
					e.res[s.i] = Result{Port: e.ports[s.i], State: Filtered, RTT: e.timeout}
				}
			} else {
				e.res[s.i] = Result{Port: e.ports[s.i], State: Filtered, RTT: e.timeout}
			}
			free = append(free, k)
		}
	}
}

// loop is the state of one event loop.
type loop struct {
	e       *engine
	epfd    int
	bind    syscall.Sockaddr // this loop's copy of e.bindSA
	dst     syscall.Sockaddr
	slots   []slot
	spare   []tsock // sockets reset by a refusal, ready for another connect
	pending int     // slots waiting in epoll
}

func (l *loop) close() {
	for _, s := range l.spare {
		syscall.Close(s.fd)
	}
	for k := range l.slots {
		if l.slots[k].busy {
			syscall.Close(l.slots[k].sock.fd)
		}
	}
	syscall.Close(l.epfd)
}

// socket returns a bound socket whose local port is not port: connecting a
// socket to its own port on a local address would connect it to itself.
//
// The socket is bound to a port the engine names, not to port 0: only a port
// asked for by number stays with the socket after a refused connect (the
// kernel releases an automatically chosen one when the connection fails), so
// a spare socket keeps the port it is known by, and its next connect skips
// the kernel's search for a free port.
func (l *loop) socket(port int) (tsock, error) {
	for k := len(l.spare) - 1; k >= 0; k-- {
		if s := l.spare[k]; s.lport != port {
			l.spare[k] = l.spare[len(l.spare)-1]
			l.spare = l.spare[:len(l.spare)-1]
			return s, nil
		}
	}
	fd, err := syscall.Socket(l.e.family, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return tsock{}, fmt.Errorf("scan: socket: %w", err)
	}
	lport := 0
	for tries := 0; ; tries++ {
		lport = 0
		if tries < 64 {
			// Ports in use by others, or the one being probed, are
			// skipped; after many misses the kernel picks (and the
			// self-connect check in done stays the guard).
			if lport = l.e.sourcePort(); lport == port {
				continue
			}
		}
		setPort(l.bind, lport)
		err = syscall.Bind(fd, l.bind)
		if err == nil || lport == 0 || (err != syscall.EADDRINUSE && err != syscall.EACCES) {
			break
		}
	}
	if err != nil {
		syscall.Close(fd)
		return tsock{}, fmt.Errorf("scan: bind: %w", err)
	}
	locked := lport != 0
	if lport == 0 {
		sa, err := syscall.Getsockname(fd)
		if err != nil {
			syscall.Close(fd)
			return tsock{}, fmt.Errorf("scan: %w", err)
		}
		switch sa := sa.(type) {
		case *syscall.SockaddrInet4:
			lport = sa.Port
		case *syscall.SockaddrInet6:
			lport = sa.Port
		}
	}
	l.e.markBound(lport)
	return tsock{fd: fd, lport: lport, locked: locked}, nil
}

// markBound records that a socket of the scan holds port (see engine.bound).
func (e *engine) markBound(port int) {
	if e.bound != nil && port > 0 && port <= MaxPort {
		e.bound[port/64].Or(1 << (port % 64))
	}
}

// heldByScan reports whether a socket of this scan has held port on the
// target address.
func (e *engine) heldByScan(port int) bool {
	return e.bound != nil && e.bound[port/64].Load()&(1<<(port%64)) != 0
}

func setPort(sa syscall.Sockaddr, port int) {
	switch sa := sa.(type) {
	case *syscall.SockaddrInet4:
		sa.Port = port
	case *syscall.SockaddrInet6:
		sa.Port = port
	}
}

// sourcePort returns the next local port to bind to: the ports of the
// kernel's ephemeral range in turn, from a random start.
func (e *engine) sourcePort() int {
	n := e.portHi - e.portLo + 1
	return e.portLo + int(uint64(e.portNext.Add(1))%uint64(n))
}

// ephemeralRange reads the kernel's range of local ports for connections.
func ephemeralRange() (lo, hi int) {
	lo, hi = 32768, 60999
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return lo, hi
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return lo, hi
	}
	a, err1 := strconv.Atoi(f[0])
	z, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || a < 1 || z > MaxPort || a > z {
		return lo, hi
	}
	return a, z
}

// launch starts attempt s.attempt on port s.i. It reports whether the probe is
// now waiting in epoll; otherwise its result is already recorded.
func (l *loop) launch(s *slot) (bool, error) {
	port := l.e.ports[s.i]
	for tries := 0; ; tries++ {
		sock, err := l.socket(port)
		if err != nil {
			return false, err
		}
		switch sa := l.dst.(type) {
		case *syscall.SockaddrInet4:
			sa.Port = port
		case *syscall.SockaddrInet6:
			sa.Port = port
		}
		s.sock = sock
		s.start = time.Now()
		err = syscall.Connect(sock.fd, l.dst)
		if err == syscall.EINPROGRESS {
			// A second connect reports an answer that already came (and
			// resets the socket after a refusal), or EALREADY.
			err = syscall.Connect(sock.fd, l.dst)
		}
		switch err {
		case syscall.EALREADY, syscall.EINPROGRESS:
			s.gen++
			s.busy = true
			s.deadline = s.start.Add(l.e.timeout)
			ev := syscall.EpollEvent{Events: syscall.EPOLLOUT, Fd: int32(s.k), Pad: s.gen}
			if err := syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_ADD, sock.fd, &ev); err != nil {
				s.busy = false
				syscall.Close(sock.fd)
				return false, fmt.Errorf("scan: %w", err)
			}
			l.pending++
			return true, nil
		case syscall.EADDRINUSE, syscall.EADDRNOTAVAIL:
			// The four-tuple is taken (a TIME_WAIT of an earlier
			// connection): try once more from another local port.
			syscall.Close(sock.fd)
			if tries == 0 {
				continue
			}
			return false, fmt.Errorf("scan: connect to port %d: %w", port, err)
		}
		l.done(s, err, true)
		return false, nil
	}
}

// done records the answer err (nil or EISCONN for a completed handshake) for
// the probe in s and disposes of its socket. reusable tells whether the socket
// never entered epoll, so that after a refusal it can serve again.
func (l *loop) done(s *slot, err error, reusable bool) {
	if s.busy {
		s.busy = false
		l.pending--
	}
	r := Result{Port: l.e.ports[s.i], RTT: time.Since(s.start)}
	switch {
	case (err == nil || err == syscall.EISCONN) && (selfConnected(s.sock.fd) || l.e.heldByScan(r.Port)):
		// The kernel gave the socket the target port as its own (a
		// connection to itself, which only happens when nothing
		// listens there: a listener's port is never handed out), or
		// two probes of this scan crossed (see engine.bound).
		r.State = Closed
		syscall.SetsockoptLinger(s.sock.fd, syscall.SOL_SOCKET, syscall.SO_LINGER, &syscall.Linger{Onoff: 1})
		syscall.Close(s.sock.fd)
	case err == nil || err == syscall.EISCONN:
		r.State = Open
		syscall.SetsockoptLinger(s.sock.fd, syscall.SOL_SOCKET, syscall.SO_LINGER, &syscall.Linger{Onoff: 1})
		syscall.Close(s.sock.fd)
	case err == syscall.ECONNREFUSED || err == syscall.ECONNRESET:
		r.State = Closed
		if reusable && s.sock.locked {
			l.spare = append(l.spare, s.sock)
		} else {
			syscall.Close(s.sock.fd)
		}
	default:
		// ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, EACCES, EPERM (a local
		// firewall) and the like: no reset came back.
		r.State = Filtered
		syscall.Close(s.sock.fd)
	}
	l.e.res[s.i] = r
}

// isResource tells errors that free up when probes in flight finish.
func isResource(err error) bool {
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.EADDRINUSE, syscall.EADDRNOTAVAIL} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// selfConnected reports whether the connected socket fd has the same local
// and remote endpoint (TCP's simultaneous open with itself).
func selfConnected(fd int) bool {
	la, err := syscall.Getsockname(fd)
	if err != nil {
		return false
	}
	ra, err := syscall.Getpeername(fd)
	if err != nil {
		return false
	}
	switch la := la.(type) {
	case *syscall.SockaddrInet4:
		ra, ok := ra.(*syscall.SockaddrInet4)
		return ok && la.Port == ra.Port && la.Addr == ra.Addr
	case *syscall.SockaddrInet6:
		ra, ok := ra.(*syscall.SockaddrInet6)
		return ok && la.Port == ra.Port && la.Addr == ra.Addr
	}
	return false
}
