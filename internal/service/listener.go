package service

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// queueListener is a service's TCP listener whose Stop hands on every
// connection that reached the service before it, the ones the kernel
// completed but nobody accepted yet included: a client that connected, sent
// its request and left at once is answered whether or not the service's
// goroutine got to accept it before the run ended. Accept returns the
// connections in the order they were accepted, then net.ErrClosed once Stop
// has been called and none is left.
type queueListener struct {
	ln       *net.TCPListener
	mu       sync.Mutex
	pending  []net.Conn
	stopped  bool
	more     chan struct{} // a token when pending grows or stopped is set
	pumped   chan struct{} // closed when the pump has ended
	consumed chan struct{} // closed when Accept has said ErrClosed
	once     sync.Once
	stopOnce sync.Once
	stopErr  error
}

// listenTCP listens on ap.
func listenTCP(ap netip.AddrPort) (*queueListener, error) {
	ln, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(ap))
	if err != nil {
		return nil, err
	}
	l := &queueListener{ln: ln, more: make(chan struct{}, 1), pumped: make(chan struct{}), consumed: make(chan struct{})}
	go l.pump()
	return l, nil
}

// pump accepts connections from the kernel into pending.
func (l *queueListener) pump() {
	defer close(l.pumped)
	var backoff time.Duration
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if !isTemporary(err) {
				return
			}
			// Out of descriptors: wait for some to close, as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		l.push(c)
	}
}

func (l *queueListener) push(cs ...net.Conn) {
	l.mu.Lock()
	l.pending = append(l.pending, cs...)
	l.mu.Unlock()
	l.wake()
}

func (l *queueListener) wake() {
	select {
	case l.more <- struct{}{}:
	default:
	}
}

// Accept returns the next connection that reached the service.
func (l *queueListener) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		if len(l.pending) > 0 {
			c := l.pending[0]
			l.pending = l.pending[1:]
			l.mu.Unlock()
			return c, nil
		}
		stopped := l.stopped
		l.mu.Unlock()
		if stopped {
			l.once.Do(func() { close(l.consumed) })
			l.wake() // another Accept waiting learns it too
			return nil, net.ErrClosed
		}
		<-l.more
	}
}

// Stop stops listening: new connections are refused, the ones the kernel
// had completed are taken from its queue, and once Accept has returned each
// (or finishWait passed), Stop returns. Connections never taken are closed.
func (l *queueListener) Stop() error {
	l.stopOnce.Do(func() {
		queued := acceptQueued(l.ln)
		l.stopErr = l.ln.Close()
		<-l.pumped
		l.push(queued...)
		l.mu.Lock()
		l.stopped = true
		l.mu.Unlock()
		l.wake()
		t := time.NewTimer(finishWait)
		defer t.Stop()
		select {
		case <-l.consumed:
		case <-t.C:
			l.mu.Lock()
			for _, c := range l.pending {
				c.Close()
			}
			l.pending = nil
			l.mu.Unlock()
		}
	})
	return l.stopErr
}

// Close is Stop. An http.Server closes its listener holding its own lock,
// which the Serve loop needs to take each connection: stop the listener
// before Shutdown, whose Close then finds it stopped.
func (l *queueListener) Close() error { return l.Stop() }

func (l *queueListener) Addr() net.Addr { return l.ln.Addr() }
