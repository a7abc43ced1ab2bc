package service

import (
	"context"
	"net"
	"net/netip"
)

// udpEchoKind sends each datagram back to where it came from. No options.
var udpEchoKind = Kind{Name: "udp-echo", start: startUDPEcho}

type udpServer struct {
	pc   net.PacketConn
	done chan struct{}
}

func (s *udpServer) Addr() net.Addr { return s.pc.LocalAddr() }
func (s *udpServer) Close() error {
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
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				if isTemporary(err) {
					continue
				}
				return
			}
			env.log(spec.Name, "datagram of %d bytes from %s", n, from)
			pc.WriteTo(buf[:n], from)
		}
	}()
	return s, nil
}
