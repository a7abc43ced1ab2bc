package probe

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// udpProbes are the payloads sent to well-known UDP ports, which ignore an
// empty datagram: a DNS status query for the root and an NTP client request.
var udpProbes = map[int][]byte{
	53:  {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1},
	123: append([]byte{0xe3}, make([]byte, 47)...),
}

// UDPScan probes ports on host over UDP and returns one result per distinct
// port, sorted by port: open when a reply comes back, closed when the host
// answers with ICMP port unreachable, open|filtered when every attempt met
// silence, filtered on any other ICMP unreachable. Each port gets a connected
// socket, so the kernel reports the ICMP error to it; a silent port is probed
// again (Options.Retries) because datagrams and ICMP errors get lost (Linux
// rate-limits ICMP errors to 1000 a second).
//
// When ctx ends, UDPScan returns the results found so far with ctx's error.
func UDPScan(ctx context.Context, host netip.Addr, ports []int, opt Options) ([]Result, error) {
	host, src, err := checkHost(host, opt.Source)
	if err != nil {
		return nil, err
	}
	ports, err = Ports(ports)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var laddr *net.UDPAddr
	if src.IsValid() {
		laddr = net.UDPAddrFromAddrPort(netip.AddrPortFrom(src, 0))
	}
	res := make([]Result, len(ports))
	attempts, timeout := opt.attempts(true), opt.timeout()
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for range opt.concurrency(len(ports)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 1500)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ports) || ctxErr(ctx) != nil {
					return
				}
				payload := opt.Payload
				if payload == nil {
					payload = udpProbes[ports[i]]
				}
				r, err := udpProbe(ctx, laddr, netip.AddrPortFrom(host, uint16(ports[i])), payload, attempts, timeout, buf)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				if ctxErr(ctx) != nil {
					return
				}
				res[i] = r
			}
		}()
	}
	wg.Wait()
	if err := ctxErr(ctx); err != nil {
		return compact(res), err
	}
	return compact(res), firstErr
}

// udpProbe probes one port; its error is a local failure, not an answer.
func udpProbe(ctx context.Context, laddr *net.UDPAddr, dst netip.AddrPort, payload []byte, attempts int, timeout time.Duration, buf []byte) (Result, error) {
	r := Result{Port: int(dst.Port()), State: OpenFiltered, RTT: timeout}
	c, err := net.DialUDP("udp", laddr, net.UDPAddrFromAddrPort(dst))
	if err != nil {
		return r, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	for a := 0; a < attempts && ctxErr(ctx) == nil; a++ {
		start := time.Now()
		_, err := c.Write(payload)
		if err == nil {
			c.SetReadDeadline(start.Add(timeout))
			_, err = c.Read(buf)
		}
		r.RTT = time.Since(start)
		switch {
		case err == nil:
			r.State = Open
			return r, nil
		case errors.Is(err, syscall.ECONNREFUSED):
			r.State = Closed
			return r, nil
		case errors.Is(err, os.ErrDeadlineExceeded):
			r.RTT = timeout
			continue
		case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
			errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
			r.State = Filtered
			return r, nil
		default:
			return r, err
		}
	}
	return r, nil
}
