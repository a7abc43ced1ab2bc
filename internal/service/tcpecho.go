package service

import (
	"context"
	"net"
	"net/netip"
)

// tcpEchoKind sends back whatever a TCP client sends. No options.
var tcpEchoKind = Kind{Name: "tcp-echo", start: startTCPEcho}

func startTCPEcho(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	ln, err := listenTCP(ap)
	if err != nil {
		return nil, err
	}
	return serveTCP(ctx, ln, env, func(ctx context.Context, c net.Conn) {
		env.log(spec.Name, "connection from %s", c.RemoteAddr())
		buf := make([]byte, 32<<10)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				if _, werr := c.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}), nil
}
