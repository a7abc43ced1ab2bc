package service

import (
	"net"
	"os"
	"syscall"
)

// acceptQueued accepts, without waiting, every connection the kernel has
// completed on ln but nobody has accepted yet. Closing a listener resets
// them (RST from the service's address), although their clients had
// connected, and maybe sent a request, before the service stopped: whether a
// run's last connections were answered then depended on whether the
// service's goroutine had been scheduled to accept them in time.
func acceptQueued(ln *net.TCPListener) []net.Conn {
	rc, err := ln.SyscallConn()
	if err != nil {
		return nil
	}
	var fds []int
	rc.Control(func(fd uintptr) {
		for {
			// The listener is non-blocking: EAGAIN once the queue is empty.
			nfd, _, err := syscall.Accept4(int(fd), syscall.SOCK_CLOEXEC|syscall.SOCK_NONBLOCK)
			if err == syscall.EINTR || err == syscall.ECONNABORTED {
				continue
			}
			if err != nil {
				return
			}
			fds = append(fds, nfd)
		}
	})
	var conns []net.Conn
	for _, fd := range fds {
		f := os.NewFile(uintptr(fd), "queued")
		c, err := net.FileConn(f) // a duplicate of fd
		f.Close()
		if err == nil {
			conns = append(conns, c)
		}
	}
	return conns
}
