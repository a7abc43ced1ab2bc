//go:build linux

package probe

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serve runs handle for every connection to a listener on 127.0.0.1 port 0;
// connections and listener are closed when the test ends.
func serve(t *testing.T, handle func(c net.Conn)) int {
	t.Helper()
	ln, port := listen(t)
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
	return port
}

// greeter says text and then waits for the client to leave.
func greeter(text string) func(net.Conn) {
	return func(c net.Conn) {
		io.WriteString(c, text)
		io.Copy(io.Discard, c)
	}
}

// httpish answers a request line only, then closes.
func httpish(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 512)
	var req []byte
	for !strings.Contains(string(req), "\r\n\r\n") {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		req = append(req, buf[:n]...)
	}
	io.WriteString(c, "HTTP/1.0 200 OK\r\nServer: wirelab-test\r\n\r\n")
}

func TestGrab(t *testing.T) {
	ssh := serve(t, greeter("SSH-2.0-wirelab_test\r\n"))
	multi := serve(t, greeter("220-first\r\n220-second\r\n220 third\r\n"))
	big := serve(t, greeter(strings.Repeat("x", 5000)))
	web := serve(t, httpish)
	silent := serve(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	closer := serve(t, func(c net.Conn) { c.Close() })
	closed := closedPort(t, "tcp")
	fast := 100 * time.Millisecond

	tests := []struct {
		name string
		port int
		opt  BannerOptions
		want string
		err  error
	}{
		{"greeting", ssh, BannerOptions{Idle: 50 * time.Millisecond}, "SSH-2.0-wirelab_test\r\n", nil},
		{"one line", multi, BannerOptions{Lines: 1}, "220-first\r\n", nil},
		{"two lines", multi, BannerOptions{Lines: 2}, "220-first\r\n220-second\r\n", nil},
		{"byte limit", big, BannerOptions{Bytes: 10}, "xxxxxxxxxx", nil},
		{"default byte limit", big, BannerOptions{}, strings.Repeat("x", defaultBannerBytes), nil},
		{"probe", web, BannerOptions{Send: "HEAD / HTTP/1.0\r\n\r\n"}, "HTTP/1.0 200 OK\r\nServer: wirelab-test\r\n\r\n", nil},
		{"probe needed", web, BannerOptions{Timeout: fast}, "", ErrTimeout},
		{"silent", silent, BannerOptions{Timeout: fast}, "", ErrTimeout},
		{"closes", closer, BannerOptions{}, "", ErrClosed},
		{"refused", closed, BannerOptions{}, "", syscall.ECONNREFUSED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := grab(context.Background(), loopback, tt.port, tt.opt)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Grab = %q, %v; want error %v", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Grab = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestGrabCancel(t *testing.T) {
	silent := serve(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	var err error
	returns(t, "the cancelled grab of a silent service", func() {
		_, err = grab(ctx, loopback, silent, BannerOptions{Timeout: time.Hour})
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

func TestGrabAll(t *testing.T) {
	a := serve(t, greeter("alpha\n"))
	b := serve(t, greeter("beta\n"))
	silent := serve(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	closed := closedPort(t, "tcp")
	// The greeters are goroutines of this busy test process: the timeout,
	// which the silent port waits out, leaves them time to answer.
	got, err := GrabAll(context.Background(), loopback, []int{a, b, silent, closed}, BannerOptions{Lines: 1, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{a: "alpha\n", b: "beta\n"}
	if len(got) != len(want) || got[a] != want[a] || got[b] != want[b] {
		t.Errorf("GrabAll = %v, want %v", got, want)
	}
}
