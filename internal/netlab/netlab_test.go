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

func BenchmarkTwoHosts(b *testing.B) {
	needRoot(b)
	for b.Loop() {
		l, err := Build(twoHosts())
		if err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}
