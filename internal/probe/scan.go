package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Port states, as nmap names them.
const (
	Open         = "open"          // a handshake completed, or a UDP reply came back
	Closed       = "closed"        // the host answered with a reset (TCP) or port unreachable (UDP)
	Filtered     = "filtered"      // no answer, or an ICMP unreachable other than port unreachable
	OpenFiltered = "open|filtered" // UDP: no answer at all, which an open port gives as often as a filter
)

// Defaults for Options fields left zero.
const (
	defaultTimeout     = time.Second
	defaultConcurrency = 512
)

// Options tune a scan. The zero value is usable.
type Options struct {
	// Timeout bounds one attempt on one port (default defaultTimeout).
	Timeout time.Duration
	// Concurrency is the number of ports probed at once (default
	// defaultConcurrency, capped by the open-file limit).
	Concurrency int
	// Retries is the number of extra attempts on a port that stayed silent:
	// 0 means the default (none for TCP, where the kernel already resends the
	// SYN; one for UDP, as nmap resends), negative means none.
	Retries int
	// Source is the local address probes are sent from; the zero Addr lets the
	// kernel choose.
	Source netip.Addr
	// Payload is the UDP probe; nil sends a well-known probe for the port when
	// there is one (DNS, NTP, ...) and an empty datagram otherwise.
	Payload []byte
	// Dial, when set, replaces the built-in TCP connect engine: every probe
	// dials through it. It serves sockets that must come from elsewhere (a
	// proxy, another network namespace) and platforms without the engine.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
}

// Result is the outcome for one port.
type Result struct {
	Port  int
	State string
	RTT   time.Duration // time from the last probe sent to the answer; the timeout when there was none
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return defaultTimeout
}

func (o Options) attempts(udp bool) int {
	switch {
	case o.Retries < 0:
		return 1
	case o.Retries > 0:
		return 1 + o.Retries
	case udp:
		return 2
	default:
		return 1
	}
}

// concurrency returns the number of ports to probe at once, at most n, and at
// most half the open-file limit so the rest of the process keeps some files.
func (o Options) concurrency(n int) int {
	c := o.Concurrency
	if c <= 0 {
		c = defaultConcurrency
	}
	if lim := openFileLimit(); lim > 0 {
		if half := lim / 2; c > half {
			c = max(half, 1)
		}
	}
	return max(min(c, n), 1)
}

// checkHost validates the target and source addresses of a scan.
func checkHost(host, src netip.Addr) (netip.Addr, netip.Addr, error) {
	if !host.IsValid() {
		return host, src, errors.New("no host to probe")
	}
	host = host.Unmap()
	if src.IsValid() {
		src = src.Unmap()
		if src.Is4() != host.Is4() {
			return host, src, fmt.Errorf("source address %s and host %s are of different families", src, host)
		}
	}
	return host, src, nil
}

// TCPScan probes ports on host with TCP connect scans and returns one result
// per distinct port, sorted by port. A port is open when the handshake
// completes, closed when the host resets it, filtered when nothing answers
// within the timeout or an ICMP unreachable comes back.
//
// When ctx ends, TCPScan stops, closes its sockets and returns the results
// found so far (ports not yet probed are absent) with ctx's error.
func TCPScan(ctx context.Context, host netip.Addr, ports []int, opt Options) ([]Result, error) {
	host, src, err := checkHost(host, opt.Source)
	if err != nil {
		return nil, err
	}
	opt.Source = src
	ports, err = Ports(ports)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := make([]Result, len(ports))
	if opt.Dial != nil || !haveEngine {
		err = dialScan(ctx, host, ports, opt, res)
	} else {
		err = engineScan(ctx, host, ports, opt, res)
	}
	return compact(res), err
}

// compact drops the results of ports never probed (State "").
func compact(res []Result) []Result {
	out := res[:0]
	for _, r := range res {
		if r.State != "" {
			out = append(out, r)
		}
	}
	return out
}

// dialScan is the portable connect scan: a pool of goroutines dialling through
// opt.Dial or a net.Dialer.
func dialScan(ctx context.Context, host netip.Addr, ports []int, opt Options, res []Result) error {
	dial := opt.Dial
	if dial == nil {
		d := &net.Dialer{}
		if opt.Source.IsValid() {
			d.LocalAddr = &net.TCPAddr{IP: opt.Source.AsSlice(), Zone: opt.Source.Zone()}
		}
		dial = d.DialContext
	}
	attempts, timeout := opt.attempts(false), opt.timeout()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range opt.concurrency(len(ports)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ports) || ctxErr(ctx) != nil {
					return
				}
				addr := net.JoinHostPort(host.String(), strconv.Itoa(ports[i]))
				r := Result{Port: ports[i], State: Filtered}
				for a := 0; a < attempts && ctxErr(ctx) == nil; a++ {
					actx, cancel := context.WithTimeout(ctx, timeout)
					start := time.Now()
					c, err := dial(actx, "tcp", addr)
					r.RTT = time.Since(start)
					cancel()
					if err == nil {
						if tc, ok := c.(*net.TCPConn); ok {
							tc.SetLinger(0)
						}
						// A connection to itself (net's own dial guards
						// against it, a caller's Dial may not) means
						// nothing listens there.
						self := c.LocalAddr().String() == c.RemoteAddr().String()
						c.Close()
						r.State = Open
						if self {
							r.State = Closed
						}
						break
					}
					if r.State = connectState(err); r.State != Filtered {
						break
					}
				}
				if ctxErr(ctx) != nil {
					return
				}
				res[i] = r
			}
		}()
	}
	wg.Wait()
	return ctxErr(ctx)
}

// connectState classifies a failed connect.
func connectState(err error) string {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return Closed
	}
	return Filtered
}

// ctxErr is ctx.Err(), also when ctx's deadline has passed but its timer has
// not fired yet: a dial bounded by that deadline may return first.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}
