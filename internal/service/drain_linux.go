package service

import (
	"net"
	"syscall"
)

// drainListener is a TCP listener whose Close first closes, gracefully, the
// connections still waiting in the kernel's accept queue. Closing a listener
// resets them (RST from the service's address), so without it whether a
// submission's last connections end with FIN or RST depended on whether the
// service's goroutine had been scheduled to accept them before the run ended:
// a port scan on a busy machine counted one more RST from the target.
type drainListener struct{ *net.TCPListener }

func newDrainListener(ln *net.TCPListener) net.Listener { return &drainListener{ln} }

// Close accepts and closes every connection the kernel already completed,
// then closes the listener.
func (l *drainListener) Close() error {
	if rc, err := l.TCPListener.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			for {
				// The listener is non-blocking: EAGAIN once the queue is empty.
				nfd, _, err := syscall.Accept4(int(fd), syscall.SOCK_CLOEXEC)
				if err == syscall.EINTR || err == syscall.ECONNABORTED {
					continue
				}
				if err != nil {
					return
				}
				syscall.Close(nfd) // FIN; RST only if the peer sent data nobody read
			}
		})
	}
	return l.TCPListener.Close()
}
