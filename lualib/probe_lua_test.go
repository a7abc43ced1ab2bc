package lualib

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Servers for the scan and banner Lua tests, on 127.0.0.1 port 0.

func probeListen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

func portOf(a net.Addr) int {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.Port
	case *net.UDPAddr:
		return a.Port
	}
	return 0
}

// probeServe runs handle for each connection until the test ends.
func probeServe(t *testing.T, handle func(net.Conn)) int {
	t.Helper()
	ln := probeListen(t)
	var mu sync.Mutex
	var conns []net.Conn
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				handle(c)
			}()
		}
	}()
	return portOf(ln.Addr())
}

// probeClosedPort is a port nothing listens on, held for the test so that
// no other test can take it: for TCP a socket bound to it that never
// listens, for UDP one bound to it and connected elsewhere (anyone else's
// datagram gets port unreachable).
func probeClosedPort(t *testing.T, network string) int {
	t.Helper()
	if network == "udp" {
		c, err := net.DialUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return portOf(c.LocalAddr())
	}
	return heldTCPPort(t)
}

// heldTCPPort is a TCP port bound for the test and never listened on: a
// connection to it is refused, and no one else can take it meanwhile.
func heldTCPPort(t *testing.T) int {
	t.Helper()
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

// probeFilteredPort is a listener with a full accept queue: SYNs are dropped.
func probeFilteredPort(t *testing.T) int {
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
	for range 8 {
		c, err := net.DialTimeout("tcp", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)).String(), 2*time.Second)
		if err != nil {
			return port
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Fatal("could not fill the accept queue")
	return 0
}

func probeUDPEcho(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			c.WriteTo(buf[:n], from)
		}
	}()
	return portOf(c.LocalAddr())
}

var labHosts = map[string]netip.Addr{"web": netip.MustParseAddr("127.0.0.1")}

func TestScanLua(t *testing.T) {
	open1 := portOf(probeListen(t).Addr())
	open2 := portOf(probeListen(t).Addr())
	args := map[string]any{
		"open":       open1,
		"open2":      open2,
		"closed":     probeClosedPort(t, "tcp"),
		"filtered":   probeFilteredPort(t),
		"udp_open":   probeUDPEcho(t),
		"udp_closed": probeClosedPort(t, "udp"),
	}
	runLuaTests(t, "testdata/probe_scan.lua", func(t *testing.T) *Env {
		return &Env{Args: args, Hosts: labHosts}
	})
}

func TestBannerLua(t *testing.T) {
	greet := func(text string) func(net.Conn) {
		return func(c net.Conn) {
			io.WriteString(c, text)
			io.Copy(io.Discard, c)
		}
	}
	args := map[string]any{
		"ssh":   probeServe(t, greet("SSH-2.0-wirelab_test\r\n")),
		"multi": probeServe(t, greet("220-first\r\n220-second\r\n220 third\r\n")),
		"big":   probeServe(t, greet(strings.Repeat("x", 5000))),
		"web": probeServe(t, func(c net.Conn) {
			defer c.Close()
			var req []byte
			buf := make([]byte, 512)
			for !strings.Contains(string(req), "\r\n\r\n") {
				n, err := c.Read(buf)
				if err != nil {
					return
				}
				req = append(req, buf[:n]...)
			}
			io.WriteString(c, "HTTP/1.0 200 OK\r\n\r\n")
		}),
		"silent": probeServe(t, func(c net.Conn) { io.Copy(io.Discard, c) }),
		"closer": probeServe(t, func(c net.Conn) { c.Close() }),
		"peer":   probeServe(t, greet("")), // replaced below
		"closed": probeClosedPort(t, "tcp"),
	}
	args["tls"] = probeTLS(t)
	args["peer"] = probeServe(t, func(c net.Conn) {
		io.WriteString(c, c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().String()+"\n")
		io.Copy(io.Discard, c)
	})
	runLuaTests(t, "testdata/probe_banner.lua", func(t *testing.T) *Env {
		env := &Env{Args: args, Hosts: labHosts}
		if strings.HasSuffix(t.Name(), "Source") {
			env.Source = netip.MustParseAddr("127.0.0.2")
		}
		return env
	})
}

// TestProbeDocExamples compiles every Lua example in the scan, banner and
// capture sections of docs/lua-api.md, so the manual shows valid Lua.
func TestProbeDocExamples(t *testing.T) {
	b, err := os.ReadFile("../docs/lua-api.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start, end := strings.Index(doc, "\n## scan\n"), strings.Index(doc, "\n## lab\n")
	if start < 0 || end < start {
		t.Fatal("docs/lua-api.md lacks the scan ... lab sections")
	}
	blocks := strings.Split(doc[start:end], "```lua\n")[1:]
	if len(blocks) < 10 {
		t.Fatalf("only %d Lua examples in the scan, banner and capture sections", len(blocks))
	}
	s, _ := newTestState(t, nil)
	for i, blk := range blocks {
		code, _, ok := strings.Cut(blk, "```")
		if !ok {
			t.Fatalf("example %d is not closed", i+1)
		}
		if _, err := s.L.LoadString(code); err != nil {
			t.Errorf("example %d does not compile: %v\n%s", i+1, err, code)
		}
	}
}

// TestProbeHonoursDeadline checks that the run's context stops every blocking
// call of the scan, banner and capture modules.
func TestProbeHonoursDeadline(t *testing.T) {
	filtered := probeFilteredPort(t)
	silent := probeServe(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	calls := map[string]string{
		"scan.tcp":    fmt.Sprintf(`scan.tcp("127.0.0.1", %d, {timeout = 3600})`, filtered),
		"scan.open":   fmt.Sprintf(`scan.open("127.0.0.1", %d, {timeout = 3600, retries = 5})`, filtered),
		"banner.grab": fmt.Sprintf(`banner.grab("127.0.0.1", %d, {timeout = 3600})`, silent),
		"grab_all":    fmt.Sprintf(`banner.grab_all("127.0.0.1", {%d}, {timeout = 3600})`, silent),
	}
	if os.Geteuid() == 0 {
		calls["capture.wait"] = `capture.start{filter = "udp port 9"}:wait("udp", 3600)`
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			s, _ := newTestState(t, &Env{Ctx: ctx})
			// Every call waits an hour unless the deadline stops it: that
			// it returns at all is the stop; the minute is a hang guard.
			done := make(chan error, 1)
			go func() {
				done <- s.DoString("local r, err = "+call+"\nassert(r == nil, 'no result after the deadline')", name)
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
					t.Errorf("%s: %v, want the deadline's error", call, err)
				}
			case <-time.After(time.Minute):
				t.Fatalf("%s still waiting a minute after its 200ms deadline", call)
			}
		})
	}
}

// probeTLS serves TLS with a self-signed certificate for CN=wirelab.test: a
// handshake, then silence.
func probeTLS(t *testing.T) int {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "wirelab.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return probeServe(t, func(c net.Conn) {
		defer c.Close() // a failed handshake (plain text) ends the connection
		tc := tls.Server(c, cfg)
		if tc.Handshake() == nil {
			io.Copy(io.Discard, tc)
		}
	})
}
