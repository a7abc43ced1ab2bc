//go:build linux

package netlab

import (
	"io"
	"net"
	"net/netip"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// inNamespace runs the test body in a fresh network namespace of its own
// (root only), so nothing it adopts is the machine's.
func needRoot(t testing.TB) {
	if os.Geteuid() != 0 {
		t.Skip("building namespaces directly needs root; the sandbox tests cover ordinary users")
	}
}

func twoHosts() Spec {
	pfx := netip.MustParsePrefix("10.0.0.0/24")
	return Spec{
		Segments: []Segment{{Name: "lan", Prefixes: []netip.Prefix{pfx}}},
		Hosts: []Host{
			{Name: "client", Interfaces: []Interface{{Name: "eth0", Segment: "lan", Addrs: []netip.Prefix{netip.MustParsePrefix("10.0.0.10/24")}}}},
			{Name: "server", Interfaces: []Interface{{Name: "eth0", Segment: "lan", Addrs: []netip.Prefix{netip.MustParsePrefix("10.0.0.20/24")}}}},
		},
	}
}

// listenIn makes a TCP listener in ns.
func listenIn(t *testing.T, ns *NS, ap string) net.Listener {
	t.Helper()
	var ln net.Listener
	if err := ns.Do(func() error {
		var err error
		ln, err = net.Listen("tcp", ap)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ln
}

func TestTwoHostsTalk(t *testing.T) {
	needRoot(t)
	l, err := Build(twoHosts())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ln := listenIn(t, l.Host("server"), "10.0.0.20:7000")
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("hi " + c.RemoteAddr().String()))
		c.Close()
	}()
	var c net.Conn
	if err := l.Host("client").Do(func() error {
		var err error
		c, err = net.DialTimeout("tcp", "10.0.0.20:7000", 2*time.Second)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	c.Close()
	if got := string(b); got[:12] != "hi 10.0.0.10" {
		t.Errorf("server saw %q, want the client's own address", got)
	}
	// The server's namespace has its own interfaces: the client's address
	// is not one of them.
	if err := l.Host("server").Do(func() error {
		_, err := net.Listen("tcp", "10.0.0.10:0")
		return err
	}); err == nil {
		t.Error("the server could bind the client's address: the hosts share a namespace")
	}
	ports := l.Ports("client")
	if len(ports) != 1 || ports[0].ID() != "client:eth0" || ports[0].MAC.String() != "02:00:0a:00:00:0a" {
		t.Errorf("client ports %+v", ports)
	}
}

// A goroutine's thread outside Do is still in the process's namespace.
func TestDoLeavesTheCallerAlone(t *testing.T) {
	needRoot(t)
	before, _ := os.Readlink("/proc/thread-self/ns/net")
	l, err := Build(twoHosts())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	after, _ := os.Readlink("/proc/thread-self/ns/net")
	if before != after {
		t.Errorf("the calling thread moved from %s to %s", before, after)
	}
	fd, err := l.Host("server").Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	syscall.Close(fd)
}

// The benchmarks build and tear down a lab back to back, and (Paced) with a
// pause between labs that is not counted: the kernel frees a closed
// namespace in the background, and back to back that work competes with the
// next build, as it does in a batch of runs on a busy machine. Besides the
// total (ns/op) they report set-up (Build), teardown (Close) and, of set-up,
// the wait for every interface to carry (carrier-ms/op), in milliseconds.
func benchBuild(b *testing.B, spec Spec, pause time.Duration) {
	needRoot(b)
	var setup, teardown, carrier time.Duration
	for b.Loop() {
		t0 := time.Now()
		l, err := Build(spec)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		l.Close()
		setup += t1.Sub(t0)
		teardown += time.Since(t1)
		carrier += l.carrierWait
		if pause > 0 {
			b.StopTimer()
			time.Sleep(pause)
			b.StartTimer()
		}
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(b.N) }
	b.ReportMetric(ms(setup), "setup-ms/op")
	b.ReportMetric(ms(teardown), "teardown-ms/op")
	b.ReportMetric(ms(carrier), "carrier-ms/op")
}

func BenchmarkTwoHosts(b *testing.B)      { benchBuild(b, twoHosts(), 0) }
func BenchmarkTwoHostsPaced(b *testing.B) { benchBuild(b, twoHosts(), 100*time.Millisecond) }
func BenchmarkThreeSegments(b *testing.B) { benchBuild(b, threeSegmentsImpaired(), 0) }
func BenchmarkThreeSegmentsPaced(b *testing.B) {
	benchBuild(b, threeSegmentsImpaired(), 200*time.Millisecond)
}

// threeSegmentsImpaired is threeSegments with the server's cable impaired
// (a wire wirelab carries: delay with jitter and loss out, a scripted drop
// in), the benchmark's topology (b) of issue 12.
func threeSegmentsImpaired() Spec {
	s := threeSegments()
	s.Links = []Link{{Point: "server:eth0", Seed: 1,
		Out: &Impairment{Delay: 5 * time.Millisecond, Jitter: time.Millisecond, Loss: 0.01},
		In:  &Impairment{Rules: []WireRule{{Action: "drop", Match: "tcp.flags.syn == 1"}}}}}
	return s
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// threeSegments: 6 hosts, 2 of them routers, on 3 segments, IPv4 and IPv6:
// a -r1- b -r2- c.
func threeSegments() Spec {
	eth := func(seg string, addrs ...string) Interface {
		i := Interface{Segment: seg}
		for _, a := range addrs {
			i.Addrs = append(i.Addrs, pfx(a))
		}
		return i
	}
	host := func(name string, forward bool, ifs ...Interface) Host {
		for n := range ifs {
			ifs[n].Name = "eth" + string(rune('0'+n))
		}
		return Host{Name: name, Forward: forward, Interfaces: ifs}
	}
	s := Spec{
		Segments: []Segment{
			{Name: "a", Prefixes: []netip.Prefix{pfx("10.0.1.0/24"), pfx("fd00:1::/64")}},
			{Name: "b", Prefixes: []netip.Prefix{pfx("10.0.2.0/24"), pfx("fd00:2::/64")}},
			{Name: "c", Prefixes: []netip.Prefix{pfx("10.0.3.0/24"), pfx("fd00:3::/64")}},
		},
		Hosts: []Host{
			host("client", false, eth("a", "10.0.1.10/24", "fd00:1::10/64")),
			host("other", false, eth("a", "10.0.1.11/24", "fd00:1::11/64")),
			host("r1", true, eth("a", "10.0.1.1/24", "fd00:1::1/64"), eth("b", "10.0.2.1/24", "fd00:2::1/64")),
			host("middle", false, eth("b", "10.0.2.20/24", "fd00:2::20/64")),
			host("r2", true, eth("b", "10.0.2.2/24", "fd00:2::2/64"), eth("c", "10.0.3.1/24", "fd00:3::1/64")),
			host("server", false, eth("c", "10.0.3.30/24", "fd00:3::30/64")),
		},
	}
	AddRoutes(&s)
	return s
}

func TestRoutersForward(t *testing.T) {
	needRoot(t)
	spec := threeSegments()
	if r := spec.Hosts[0].Routes; len(r) != 4 || r[0].Via.String() != "10.0.1.1" {
		t.Errorf("client routes %v, want b and c through r1, both families", r)
	}
	if r := spec.Hosts[3].Routes; len(r) != 4 {
		t.Errorf("middle routes %v, want a through r1 and c through r2", r)
	}
	l, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, ap := range []string{"10.0.3.30:7000", "[fd00:3::30]:7000"} {
		ln := listenIn(t, l.Host("server"), ap)
		go func() {
			c, err := ln.Accept()
			if err == nil {
				c.Write([]byte(c.RemoteAddr().String()))
				c.Close()
			}
		}()
		var c net.Conn
		if err := l.Host("client").Do(func() error {
			var err error
			c, err = net.DialTimeout("tcp", ap, 2*time.Second)
			return err
		}); err != nil {
			t.Fatalf("client to %s through two routers: %v", ap, err)
		}
		b, _ := io.ReadAll(c)
		c.Close()
		ln.Close()
		t.Logf("%s saw %s", ap, b)
	}
	// TTL 1 dies at r1, which says so (ICMP time exceeded, from 10.0.1.1).
	err = l.Host("client").Do(func() error {
		fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM, 0)
		if err != nil {
			return err
		}
		defer syscall.Close(fd)
		syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, syscall.IP_TTL, 1)
		syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, syscall.IP_RECVERR, 1)
		if err := syscall.Connect(fd, &syscall.SockaddrInet4{Port: 33434, Addr: [4]byte{10, 0, 3, 30}}); err != nil {
			return err
		}
		syscall.Write(fd, []byte("x"))
		tv := syscall.Timeval{Sec: 2}
		syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv)
		_, err = syscall.Read(fd, make([]byte, 10))
		if err != syscall.EHOSTUNREACH {
			t.Errorf("a TTL-1 datagram: %v, want EHOSTUNREACH (time exceeded from r1)", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A burst sent the moment Build returns arrives whole across a plain segment
// (veth, bridge, veth): Build does not wait for the bridge's own carrier,
// which the kernel raises up to a second later, because frames cross a
// bridge whose ports forward whatever its own state.
func TestBurstRightAfterBuild(t *testing.T) {
	needRoot(t)
	for range 3 {
		l := build(t, twoHosts())
		if got := udpThrough(t, l, 200); len(got) != 200 {
			t.Errorf("%d of 200 datagrams arrived", len(got))
		}
		l.Close()
	}
}

func TestCPUMask(t *testing.T) {
	for n, want := range map[int]string{1: "1", 2: "3", 4: "f", 32: "ffffffff", 33: "1,ffffffff", 72: "ff,ffffffff,ffffffff"} {
		if got := cpuMask(n); got != want {
			t.Errorf("cpuMask(%d) = %q, want %q", n, got, want)
		}
	}
}
