package service

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// udpEchoKind sends each datagram back to where it came from. No options.
var udpEchoKind = Kind{Name: "udp-echo", UDP: true, start: startUDPEcho}

type udpServer struct {
	pc       *net.UDPConn
	stopping atomic.Bool
	done     chan struct{}
}

func (s *udpServer) Addr() net.Addr { return s.pc.LocalAddr() }

// Close answers the datagrams that reached the service before it (they wait
// in the socket's queue), then stops: a client that sent its datagrams and
// left at once still has each one answered, whatever the timing.
func (s *udpServer) Close() error {
	s.stopping.Store(true)
	s.pc.SetReadDeadline(time.Now()) // wakes the read in progress
	t := time.NewTimer(finishWait)
	defer t.Stop()
	select {
	case <-s.done:
	case <-t.C:
	}
	err := s.pc.Close()
	<-s.done
	return err
}

func startUDPEcho(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
	if err != nil {
		return nil, err
	}
	s := &udpServer{pc: pc, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, 65536)
		answer := func(n int, from net.Addr) {
			env.log(spec.Name, "datagram of %d bytes from %s", n, from)
			pc.WriteTo(buf[:n], from)
		}
		for {
			n, from, err := pc.ReadFrom(buf)
			switch {
			case err == nil:
				answer(n, from)
			case s.stopping.Load() && errors.Is(err, os.ErrDeadlineExceeded):
				// What is queued reached the service before Close: read it
				// without waiting for more.
				pc.SetReadDeadline(time.Time{})
				for {
					n, from, ok := readQueued(pc, buf)
					if !ok {
						return
					}
					answer(n, from)
				}
			case isTemporary(err):
			default:
				return
			}
		}
	}()
	return s, nil
}

// readQueued reads a datagram already in pc's queue, without waiting.
func readQueued(pc *net.UDPConn, buf []byte) (int, net.Addr, bool) {
	rc, err := pc.SyscallConn()
	if err != nil {
		return 0, nil, false
	}
	var n int
	var from syscall.Sockaddr
	var rerr error
	if err := rc.Read(func(fd uintptr) bool {
		n, from, rerr = syscall.Recvfrom(int(fd), buf, syscall.MSG_DONTWAIT)
		return true
	}); err != nil || rerr != nil {
		return 0, nil, false
	}
	switch a := from.(type) {
	case *syscall.SockaddrInet4:
		return n, &net.UDPAddr{IP: a.Addr[:], Port: a.Port}, true
	case *syscall.SockaddrInet6:
		return n, &net.UDPAddr{IP: a.Addr[:], Port: a.Port}, true
	}
	return 0, nil, false
}
