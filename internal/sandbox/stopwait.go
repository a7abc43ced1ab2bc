package sandbox

import (
	"sync"
	"syscall"
	"unsafe"
)

// stopSignal tells a lua service's driver, blocked waiting for its next
// connection or datagram, that the run is over: from then on wait returns
// false once nothing is left to read, so the driver answers what reached it
// and returns, instead of being cut in the middle of an answer.
type stopSignal struct {
	r, w int // a pipe: readable once stop was called
	once sync.Once
	mu   sync.Mutex // close against stop
}

func newStopSignal() (*stopSignal, error) {
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		return nil, err
	}
	return &stopSignal{r: p[0], w: p[1]}, nil
}

// stop makes every wait, current and later, return once fd has nothing to
// read.
func (s *stopSignal) stop() {
	s.once.Do(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.w >= 0 {
			syscall.Write(s.w, []byte{1})
		}
	})
}

// wait blocks until fd is readable (true) or stop was called and fd is not
// readable (false). A readable socket may hold a connection to accept, a
// datagram, an end of file or an error: the caller's next read says which.
func (s *stopSignal) wait(fd int) bool {
	fds := [2]struct {
		fd      int32
		events  int16
		revents int16
	}{{fd: int32(fd), events: 0x1}, {fd: int32(s.r), events: 0x1}} // POLLIN
	for {
		_, _, e := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), 2, 0, 0, 0, 0)
		if e == syscall.EINTR || e == syscall.EAGAIN {
			continue
		}
		if e != 0 {
			return false
		}
		if fds[0].revents != 0 { // POLLIN, POLLERR, POLLHUP, POLLNVAL
			return true
		}
		if fds[1].revents != 0 {
			return false
		}
	}
}

// close releases the pipe once no wait can run any more.
func (s *stopSignal) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w >= 0 {
		syscall.Close(s.r)
		syscall.Close(s.w)
		s.r, s.w = -1, -1
	}
}
