//go:build linux

package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// listen opens a TCP listener on 127.0.0.1 port 0, closed when the test ends.
func listen(t testing.TB) (net.Listener, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, ln.Addr().(*net.TCPAddr).Port
}

// closedPort returns a port nothing listens on, held for the test so that no
// other test (or package running beside it) can take it: for TCP a socket
// bound to it that never listens (a SYN gets a reset), for UDP a socket
// bound to it and connected elsewhere (a datagram from anyone else gets port
// unreachable). A port a listener just gave up could be anyone's again.
func closedPort(t testing.TB, network string) int {
	t.Helper()
	if network == "udp" {
		c, err := net.DialUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c.LocalAddr().(*net.UDPAddr).Port
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, _ := syscall.Getsockname(fd)
	return sa.(*syscall.SockaddrInet4).Port
}

// filteredPort returns a port whose listener drops every SYN: its accept
// queue (backlog 0) is already full with one connection never accepted.
func filteredPort(t testing.TB) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := syscall.Getsockname(fd)
	port := sa.(*syscall.SockaddrInet4).Port
	// Connect until one attempt gets no answer: the queue is full.
	for k := 0; k < 8; k++ {
		c, err := net.DialTimeout("tcp", netip.AddrPortFrom(loopback, uint16(port)).String(), 2*time.Second) // 200ms could pass on a loaded machine with the queue not full
		if err != nil {
			return port
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Fatal("could not fill the accept queue of a backlog-0 listener")
	return 0
}

// engines are the two TCP scanners: the built-in engine and the dial path.
var engines = []struct {
	name string
	opt  Options
}{
	{"engine", Options{}},
	{"dial", Options{Dial: (&net.Dialer{}).DialContext}},
}

func TestTCPScan(t *testing.T) {
	_, open := listen(t)
	closed := closedPort(t, "tcp")
	filtered := filteredPort(t)
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			opt := e.opt
			opt.Timeout = 150 * time.Millisecond
			res, err := TCPScan(context.Background(), loopback, []int{filtered, closed, open, open}, opt)
			if err != nil {
				t.Fatal(err)
			}
			want := map[int]string{open: Open, closed: Closed, filtered: Filtered}
			if len(res) != 3 {
				t.Fatalf("got %d results, want 3: %v", len(res), res)
			}
			if !slices.IsSortedFunc(res, func(a, b Result) int { return a.Port - b.Port }) {
				t.Errorf("results not sorted by port: %v", res)
			}
			for _, r := range res {
				if r.State != want[r.Port] {
					t.Errorf("port %d: state %q, want %q", r.Port, r.State, want[r.Port])
				}
				if r.RTT <= 0 || (r.State != Filtered && r.RTT > time.Second) {
					t.Errorf("port %d: rtt %v", r.Port, r.RTT)
				}
				if r.State == Filtered && r.RTT != opt.Timeout && e.name == "engine" {
					t.Errorf("filtered port: rtt %v, want the timeout %v", r.RTT, opt.Timeout)
				}
			}
		})
	}
}

// TestTCPScanRange scans a range holding several listeners and checks every
// listener is found and every other port of the range is closed. As root it
// runs in a network namespace of its own, where nothing else listens; else
// other processes' listeners may appear, and a port reported open or filtered
// fails the test only when a dial is refused.
func TestTCPScanRange(t *testing.T) {
	private := os.Getenv(netnsEnv) != ""
	if !private && os.Geteuid() == 0 {
		inNetns(t, "^TestTCPScanRange$")
		return
	}
	host := netip.AddrFrom4([4]byte{127, 77, byte(os.Getpid() >> 8), byte(os.Getpid())})
	var open []int
	for range 5 {
		ln, err := net.Listen("tcp", netip.AddrPortFrom(host, 0).String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		open = append(open, ln.Addr().(*net.TCPAddr).Port)
	}
	slices.Sort(open)
	lo, hi := max(open[0]-300, 1), min(open[len(open)-1]+300, MaxPort)
	ports := seq(lo, hi)
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			opt := e.opt
			opt.Timeout = 5 * time.Second // a loaded machine may be slow to answer
			res, err := TCPScan(context.Background(), host, ports, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != len(ports) {
				t.Fatalf("%d results for %d ports", len(res), len(ports))
			}
			for k, r := range res {
				if r.Port != ports[k] {
					t.Fatalf("result %d is port %d, want %d", k, r.Port, ports[k])
				}
				if slices.Contains(open, r.Port) {
					if r.State != Open {
						t.Errorf("listener port %d: %q", r.Port, r.State)
					}
				} else if r.State != Closed && private {
					t.Errorf("port %d: %q in a namespace where nothing else listens", r.Port, r.State)
				} else if r.State != Closed {
					// A wildcard listener of another process may be
					// in the range: believe the scan unless a plain
					// dial is refused, which means nothing listens.
					c, err := net.DialTimeout("tcp", netip.AddrPortFrom(host, uint16(r.Port)).String(), time.Second)
					if err == nil {
						c.Close()
					} else if errors.Is(err, syscall.ECONNREFUSED) {
						t.Errorf("port %d reported %s, but a dial is refused", r.Port, r.State)
					}
				}
			}
		})
	}
}

// TestTCPScanSelfConnect scans the local port of the engine's own spare
// socket: connecting a socket to its own port would "find" it open.
func TestTCPScanSelfConnect(t *testing.T) {
	e := &engine{family: syscall.AF_INET, dst: loopback, bindSA: &syscall.SockaddrInet4{}, timeout: time.Second, attempts: 1}
	l := &loop{e: e, bind: &syscall.SockaddrInet4{}, dst: &syscall.SockaddrInet4{Addr: loopback.As4()}, slots: make([]slot, 1), epfd: -1}
	sock, err := l.socket(1)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, s := range l.spare {
			syscall.Close(s.fd)
		}
	}()
	l.spare = append(l.spare, sock)
	e.ports, e.res = []int{sock.lport}, make([]Result, 1)
	if busy, err := l.launch(&l.slots[0]); err != nil || busy {
		t.Fatalf("launch: busy %v, err %v", busy, err)
	}
	if got := e.res[0].State; got != Closed {
		t.Errorf("own port %d: %q, want closed", sock.lport, got)
	}
}

func TestTCPScanRetries(t *testing.T) {
	filtered := filteredPort(t)
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			opt := e.opt
			opt.Timeout, opt.Retries = 100*time.Millisecond, 2
			start := time.Now()
			res, err := TCPScan(context.Background(), loopback, []int{filtered}, opt)
			if err != nil || len(res) != 1 || res[0].State != Filtered {
				t.Fatalf("got %v, %v", res, err)
			}
			if d := time.Since(start); d < 3*opt.Timeout {
				t.Errorf("3 attempts of %v took only %v", opt.Timeout, d)
			}
		})
	}
}

func TestTCPScanCancel(t *testing.T) {
	filtered := filteredPort(t)
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			var res []Result
			var err error
			returns(t, "the cancelled scan of a filtered port", func() {
				res, err = TCPScan(ctx, loopback, []int{filtered}, Options{Timeout: time.Hour, Dial: e.opt.Dial})
			})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("res %v, err = %v, want deadline exceeded", res, err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res, err := TCPScan(ctx, loopback, []int{80}, Options{}); err == nil || res != nil {
		t.Errorf("scan with a cancelled context: %v, %v", res, err)
	}
}

func TestTCPScanErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := TCPScan(ctx, netip.Addr{}, []int{80}, Options{}); err == nil {
		t.Error("no error for a missing host")
	}
	if _, err := TCPScan(ctx, loopback, []int{0}, Options{}); err == nil {
		t.Error("no error for port 0")
	}
	if _, err := TCPScan(ctx, loopback, []int{80}, Options{Source: netip.MustParseAddr("::1")}); err == nil {
		t.Error("no error for a source of the wrong family")
	}
}

func TestTCPScanIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	res, err := TCPScan(context.Background(), netip.MustParseAddr("::1"), []int{port}, Options{Source: netip.MustParseAddr("::1")})
	if err != nil || len(res) != 1 || res[0].State != Open {
		t.Fatalf("got %v, %v", res, err)
	}
}

func TestTCPScanSource(t *testing.T) {
	ln, port := listen(t)
	got := make(chan netip.Addr, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			got <- c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr()
			c.Close()
		}
	}()
	src := netip.MustParseAddr("127.0.0.2")
	res, err := TCPScan(context.Background(), loopback, []int{port}, Options{Source: src})
	if err != nil || len(res) != 1 || res[0].State != Open {
		t.Fatalf("got %v, %v", res, err)
	}
	if a := <-got; a != src {
		t.Errorf("connection came from %v, want %v", a, src)
	}
}

func BenchmarkTCPScanFull(b *testing.B) {
	for range 3 {
		listen(b)
	}
	ports := seq(1, MaxPort)
	b.ResetTimer()
	for b.Loop() {
		if _, err := TCPScan(context.Background(), loopback, ports, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTCPScanLateAnswer makes the answer come after connect has returned, so
// the probe waits in epoll: the listener's full accept queue drops the SYN,
// the test then frees the queue, and the kernel's SYN retransmission (after
// about a second) is answered.
func TestTCPScanLateAnswer(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			fd, port, queued := backlogFull(t)
			type out struct {
				res []Result
				err error
			}
			done := make(chan out, 1)
			go func() {
				opt := e.opt
				opt.Timeout = 5 * time.Second
				res, err := TCPScan(context.Background(), loopback, []int{port}, opt)
				done <- out{res, err}
			}()
			waitSynSent(t, port)
			// Free the queue: accept the connection that fills it.
			nfd, _, err := syscall.Accept(fd)
			if err != nil {
				t.Fatal(err)
			}
			defer syscall.Close(nfd)
			queued.Close()
			o := <-done
			if o.err != nil || len(o.res) != 1 || o.res[0].State != Open {
				t.Fatalf("got %v, %v", o.res, o.err)
			}
			if o.res[0].RTT < 500*time.Millisecond {
				t.Errorf("rtt %v: the answer was not late", o.res[0].RTT)
			}
		})
	}
}

// backlogFull returns a listener (a raw fd) whose backlog-0 accept queue is
// full, its port, and the client connection that fills it.
func backlogFull(t *testing.T) (int, int, net.Conn) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := syscall.Getsockname(fd)
	port := sa.(*syscall.SockaddrInet4).Port
	c, err := net.Dial("tcp", netip.AddrPortFrom(loopback, uint16(port)).String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return fd, port, c
}

// waitSynSent returns once a socket is in SYN_SENT towards port (its SYN was
// dropped), as /proc/net/tcp shows.
func waitSynSent(t *testing.T, port int) {
	t.Helper()
	want := fmt.Sprintf(":%04X 02 ", port)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile("/proc/net/tcp")
		if err != nil {
			t.Skip("no /proc/net/tcp:", err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			// "sl local rem st": rem is "0100007F:PPPP", st follows.
			f := strings.Fields(line)
			if len(f) > 3 && strings.HasSuffix(f[2]+" "+f[3]+" ", want) {
				return
			}
		}
		runtime.Gosched()
	}
	t.Fatal("no SYN_SENT socket towards the port")
}

// netnsEnv marks a test process that inNetns started.
const netnsEnv = "WIRELAB_PROBE_NETNS"

// inNetns runs the tests matching run in a child process in a new network
// namespace (with its loopback up), and fails if they fail.
func inNetns(t *testing.T, run string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run="+run, "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), netnsEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("in a network namespace of its own: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("the test did not run in the namespace:\n%s", out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "_test.go:") {
			t.Log("in the namespace: " + strings.TrimSpace(line))
		}
	}
}

// TestMain brings the loopback up in a namespace inNetns created.
func TestMain(m *testing.M) {
	if os.Getenv(udpTargetEnv) != "" {
		os.Exit(runUDPTarget())
	}
	if os.Getenv(netnsEnv) != "" {
		if out, err := exec.Command("ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "ip link set lo up: %v\n%s", err, out)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// phantomRunsEnv sets how many full-range scans TestTCPScanNoPhantoms makes;
// CI makes fullPhantomRuns.
const phantomRunsEnv = "WIRELAB_PHANTOM_RUNS"

const fullPhantomRuns = 50

// TestTCPScanNoPhantoms scans all of 127.0.0.1 again and again, with ten
// listeners and with none, and fails on any port reported open that nothing
// listens on. A connect from an automatically chosen port can be handed the
// very port it targets and connect to itself (TCP simultaneous open): before
// the engine guarded against it, most full scans "found" such ports in the
// ephemeral range. Every other port must read closed: nothing in the test's
// own network namespace drops a SYN, so filtered would be a timeout misread.
//
// The scans run in a network namespace of their own (as root), where
// nothing else listens. A full scan costs about a second on a loaded 2-CPU
// machine, so the default suite makes 4 scans; CI, or WIRELAB_PHANTOM_RUNS=N,
// makes 50 (or N).
func TestTCPScanNoPhantoms(t *testing.T) {
	if os.Getenv(netnsEnv) == "" {
		if os.Geteuid() != 0 {
			if os.Getenv("CI") != "" {
				t.Fatal("needs root for a network namespace of its own")
			}
			t.Skip("needs root for a network namespace of its own (127.0.0.1 is shared here)")
		}
		inNetns(t, "^TestTCPScanNoPhantoms$")
		return
	}
	runs := 4
	if os.Getenv("CI") != "" {
		runs = fullPhantomRuns
	}
	if v := os.Getenv(phantomRunsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a number of scans", phantomRunsEnv, v)
		}
		runs = n
	}
	ports := seq(1, MaxPort)
	scan := func(run int, listening map[int]bool) {
		res, err := TCPScan(context.Background(), loopback, ports, Options{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != MaxPort {
			t.Fatalf("scan %d: %d results", run, len(res))
		}
		var phantoms []int
		for _, r := range res {
			switch {
			case listening[r.Port] && r.State != Open:
				t.Errorf("scan %d: listener port %d reads %q", run, r.Port, r.State)
			case !listening[r.Port] && r.State == Open:
				phantoms = append(phantoms, r.Port)
			case !listening[r.Port] && r.State != Closed:
				t.Errorf("scan %d: port %d reads %q; nothing listens and nothing drops", run, r.Port, r.State)
			}
		}
		if len(phantoms) > 0 {
			t.Errorf("scan %d: ports %v read open, but nothing listens on them", run, phantoms)
		}
	}
	// Two of the runs with nothing listening at all.
	for run := range min(2, runs) {
		scan(run, nil)
	}
	listening := map[int]bool{}
	for range 10 {
		_, port := listen(t)
		listening[port] = true
	}
	for run := 2; run < runs; run++ {
		scan(run, listening)
	}
	t.Logf("%d full-range scans of %s, no phantom ports", runs, loopback)
}

// TestTCPScanSelfConnected makes a real TCP self-connect (a socket bound to
// a port and connected to that same port) and hands it to the engine as a
// completed probe: it must read closed, not open.
func TestTCPScanSelfConnected(t *testing.T) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: loopback.As4()}); err != nil {
		syscall.Close(fd)
		t.Fatal(err)
	}
	bound, _ := syscall.Getsockname(fd)
	port := bound.(*syscall.SockaddrInet4).Port
	sa := &syscall.SockaddrInet4{Addr: loopback.As4(), Port: port}
	if err := syscall.Connect(fd, sa); err != nil {
		syscall.Close(fd)
		t.Fatalf("self-connect: %v", err)
	}
	e := &engine{ports: []int{port}, res: make([]Result, 1)}
	l := &loop{e: e, slots: make([]slot, 1)}
	l.slots[0].sock = tsock{fd: fd, lport: port}
	l.done(&l.slots[0], nil, false)
	if got := e.res[0].State; got != Closed {
		t.Errorf("self-connected socket on port %d: %q, want closed", port, got)
	}
	// The dial path: a Dial that hands back a self-connected socket.
	selfDial := func(ctx context.Context, network, address string) (net.Conn, error) {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: loopback.AsSlice(), Port: port}}
		return d.DialContext(ctx, network, address)
	}
	res, err := TCPScan(context.Background(), loopback, []int{port}, Options{Dial: selfDial})
	if err != nil || len(res) != 1 || res[0].State != Closed {
		t.Errorf("dial path, self-connect: %v, %v; want closed", res, err)
	}
}
