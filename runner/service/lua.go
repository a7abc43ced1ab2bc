package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
)

func validateLua(spec Spec) []error {
	var errs []error
	if spec.Script == "" {
		errs = append(errs, errors.New("a lua service needs a script defining handle(conn)"))
	}
	switch spec.Protocol {
	case "", "tcp", "udp":
	default:
		errs = append(errs, fmt.Errorf("protocol %q is not supported; use \"tcp\" or \"udp\"", spec.Protocol))
	}
	return errs
}

type luaUDPServer struct {
	udpServer
	h LuaHandler
}

func (s *luaUDPServer) Close() error {
	err := s.udpServer.Close()
	s.h.Close()
	return err
}

type luaTCPServer struct {
	*tcpServer
	h LuaHandler
}

func (s *luaTCPServer) Close() error {
	err := s.tcpServer.Close()
	s.h.Close()
	return err
}

func startLua(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	if env.Lua == nil {
		return nil, errors.New("lua services are not available in this build")
	}
	script := spec.Script
	if !filepath.IsAbs(script) {
		script = filepath.Join(env.LabDir, script)
	}
	h, err := env.Lua(ctx, spec, script)
	if err != nil {
		return nil, err
	}
	if spec.Protocol == "udp" {
		pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
		if err != nil {
			h.Close()
			return nil, err
		}
		s := &luaUDPServer{udpServer: udpServer{pc: pc, done: make(chan struct{})}, h: h}
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
				data := append([]byte(nil), buf[:n]...)
				if err := h.HandleDatagram(ctx, pc, from, data); err != nil {
					env.log(spec.Name, "handle: %v", err)
				}
			}
		}()
		return s, nil
	}
	ln, err := listenTCP(ap)
	if err != nil {
		h.Close()
		return nil, err
	}
	srv := serveTCP(ctx, ln, env, func(ctx context.Context, c net.Conn) {
		if err := h.HandleConn(ctx, c); err != nil {
			env.log(spec.Name, "handle: %v", err)
		}
	})
	return &luaTCPServer{tcpServer: srv, h: h}, nil
}
