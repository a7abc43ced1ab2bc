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
	rc, err := ln.(*drainListener).SyscallConn()
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

// TestCloseDrainsAcceptQueue: a connection the kernel completed but the
// service never accepted ends with FIN when the service closes, as one it
// accepted does, instead of the RST the kernel sends when a listener closes
// with connections queued. Which of the two a run's capture held depended on
// whether the service's goroutine got to accept before the run ended, so a
// port scan on a busy machine could count one RST more from the target.
func TestCloseDrainsAcceptQueue(t *testing.T) {
	ln, err := listenTCP(netip.MustParseAddrPort("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitQueued(t, ln)
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = c.Read(make([]byte, 1))
	if errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("reset by the closing listener (%v), want a graceful close", err)
	}
	if err != io.EOF {
		t.Fatalf("Read = %v, want io.EOF", err)
	}
}
