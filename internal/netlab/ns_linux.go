package netlab

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"

	"github.com/vishvananda/netns"
)

// NS is a network namespace, held by a descriptor.
type NS struct {
	name string
	fd   netns.NsHandle
	once sync.Once
}

// newNS makes a new network namespace (adopt false) or takes the calling
// goroutine's current one (adopt true).
func newNS(name string, adopt bool) (*NS, error) {
	n := &NS{name: name, fd: -1}
	if adopt {
		// An unlocked goroutine's thread is in the process's namespace: a
		// thread that left it is never handed back to the scheduler.
		h, err := netns.Get()
		if err != nil {
			return nil, fmt.Errorf("the current network namespace: %w", err)
		}
		n.fd = h
		return n, nil
	}
	errc := make(chan error, 1)
	go func() {
		// Never unlocked: the thread, now in the new namespace, ends with
		// this goroutine.
		runtime.LockOSThread()
		h, err := netns.New()
		n.fd = h
		errc <- err
	}()
	if err := <-errc; err != nil {
		return nil, fmt.Errorf("a new network namespace: %w", err)
	}
	return n, nil
}

// Name is the host's (or "switch") name.
func (n *NS) Name() string { return n.name }

// Do runs f on an OS thread inside the namespace and returns its error. The
// thread is a fresh one, ended after f: Do may be called from anywhere,
// also from inside another Do, and a thread that entered a namespace never
// runs anything else. Goroutines f starts run outside the namespace.
func (n *NS) Do(f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// Never unlocked, see above.
		if err := netns.Set(n.fd); err != nil {
			errc <- fmt.Errorf("entering the namespace of %q: %w", n.name, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// Socket creates a socket in the namespace, as syscall.Socket would.
func (n *NS) Socket(domain, typ, proto int) (int, error) {
	fd := -1
	err := n.Do(func() error {
		var err error
		fd, err = syscall.Socket(domain, typ, proto)
		return err
	})
	return fd, err
}

// Fd is the descriptor that holds the namespace.
func (n *NS) Fd() int { return int(n.fd) }

// close drops the descriptor: the kernel frees the namespace once nothing
// else (a socket, a process) holds it.
func (n *NS) close() {
	n.once.Do(func() {
		if n.fd >= 0 {
			n.fd.Close()
		}
	})
}
