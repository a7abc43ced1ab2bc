package service

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// waitQueued blocks until ln's accept queue holds a connection: a listening
// socket is readable then. Dial returns once the client sent its ACK; the
// server side joins the queue when the kernel has processed that ACK.
func waitQueued(t *testing.T, ln net.Listener) {
	t.Helper()
	rc, err := ln.(*queueListener).ln.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var perr error
	rc.Control(func(fd uintptr) {
		pfd := struct {
			fd             int32
			events, revent int16
		}{fd: int32(fd), events: 0x1 /* POLLIN */}
		ts := syscall.NsecToTimespec(int64(5 * time.Second))
		n, _, e := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd)), 1, uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
		switch {
		case e != 0:
			perr = e
		case n == 0:
			perr = errors.New("no connection in the accept queue after 5 s")
		}
	})
	if perr != nil {
		t.Fatal(perr)
	}
}

// TestStopHandsOnQueue: a connection the kernel completed but the service
// never accepted is handed on by Stop, with what its client sent, instead
// of the RST the kernel sends when a listener closes with connections
// queued: a client that connected, asked and left before the service's
// goroutine was scheduled is answered like any other. After it, Accept says
// the listener is closed, and new connections are refused.
func TestStopHandsOnQueue(t *testing.T) {
	l, err := listenTCP(netip.MustParseAddrPort("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	// Take the pump's place: nothing accepts but Stop.
	l.ln.SetDeadline(time.Now())
	<-l.pumped
	l.ln.SetDeadline(time.Time{})
	c, err := net.Dial("tcp4", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("question\n")); err != nil {
		t.Fatal(err)
	}
	waitQueued(t, l)
	stopped := make(chan error, 1)
	go func() { stopped <- l.Stop() }()
	sc, err := l.Accept()
	if err != nil {
		t.Fatalf("Accept after Stop = %v, want the queued connection", err)
	}
	got := make([]byte, 9)
	if _, err := io.ReadFull(sc, got); err != nil || string(got) != "question\n" {
		t.Fatalf("the queued connection read %q, %v", got, err)
	}
	sc.Write([]byte("answer\n"))
	sc.Close()
	if _, err := l.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Accept = %v, want net.ErrClosed", err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Stop = %v", err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if b, err := io.ReadAll(c); string(b) != "answer\n" || err != nil {
		t.Errorf("the client read %q, %v; want the answer, then a graceful close", b, err)
	}
	if _, err := net.Dial("tcp4", l.Addr().String()); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial after Stop = %v, want connection refused", err)
	}
}
