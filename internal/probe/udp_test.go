//go:build linux

package probe

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// udpEcho serves UDP echo on 127.0.0.1 port 0 until the test ends.
func udpEcho(t *testing.T) int {
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
	return c.LocalAddr().(*net.UDPAddr).Port
}

// udpSilent holds a UDP port that never answers.
func udpSilent(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.LocalAddr().(*net.UDPAddr).Port
}

func TestUDPScan(t *testing.T) {
	open, closed, silent := udpEcho(t), closedPort(t, "udp"), udpSilent(t)
	want := map[int]string{open: Open, closed: Closed, silent: OpenFiltered}
	// The echo server is a goroutine of this busy test process: give it time
	// to answer (a loaded machine). The silent port costs two timeouts
	// whatever the bound.
	opt := Options{Timeout: 2 * time.Second}
	start := time.Now()
	res, err := UDPScan(context.Background(), loopback, []int{silent, closed, open}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].Port > res[1].Port || res[1].Port > res[2].Port {
		t.Fatalf("results %v", res)
	}
	for _, r := range res {
		if r.State != want[r.Port] {
			t.Errorf("port %d: %q, want %q", r.Port, r.State, want[r.Port])
		}
	}
	// The silent port is probed twice by default, as nmap resends.
	if d := time.Since(start); d < 2*opt.Timeout {
		t.Errorf("silent port given up after %v, before a second attempt", d)
	}
}

func TestUDPScanPayload(t *testing.T) {
	// A server that answers only the probe it expects.
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			if string(buf[:n]) == "hello" {
				c.WriteTo([]byte("hi"), from)
			}
		}
	}()
	port := c.LocalAddr().(*net.UDPAddr).Port
	// The answered probe returns as soon as the answer comes: its generous
	// timeout only spares a busy machine a wrong open|filtered.
	for _, tt := range []struct {
		payload []byte
		timeout time.Duration
		want    string
	}{{nil, 100 * time.Millisecond, OpenFiltered}, {[]byte("hello"), 5 * time.Second, Open}} {
		res, err := UDPScan(context.Background(), loopback, []int{port}, Options{Timeout: tt.timeout, Retries: -1, Payload: tt.payload})
		if err != nil || len(res) != 1 || res[0].State != tt.want {
			t.Errorf("payload %q: %v, %v; want %s", tt.payload, res, err, tt.want)
		}
	}
}

func TestUDPScanCancel(t *testing.T) {
	silent := udpSilent(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	var err error
	returns(t, "the cancelled scan of a silent port", func() {
		_, err = UDPScan(ctx, loopback, []int{silent}, Options{Timeout: time.Hour})
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

// returns runs f and fails the test if it has not returned a minute later:
// a hang guard for a call that would otherwise wait an hour, not a timing.
func returns(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: still waiting a minute later", what)
	}
}
