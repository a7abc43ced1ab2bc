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

// Adaptive UDP scanning: how far a scan slows down for ICMP rate limiting.
const (
	maxUDPRounds = 10          // rounds of probes at most, the first included
	maxUDPDelay  = time.Second // the longest pause between two probes
)

// UDPScan probes ports on host over UDP and returns one result per distinct
// port, sorted by port, with nmap's states: open when a reply comes back,
// closed when the host answers with ICMP port unreachable, filtered on any
// other ICMP unreachable (host, network, protocol, administratively
// prohibited), open|filtered when every attempt met silence. Each port gets
// a connected socket with IP_RECVERR, so the kernel reports every ICMP
// error to it, not only the "hard" ones.
//
// Silence is ambiguous: an open port that ignores the probe, a filter, or a
// host that did not answer because it rate-limits its ICMP errors (Linux
// sends one a second per peer after a burst of six, on anything but
// loopback). So the scan works in rounds, as nmap adapts: every silent port
// is probed again (Options.Retries more times: one by default), and while a
// round of retries still draws answers — proof that silence meant a dropped
// answer — the scan slows its probing to the rate the answers came at and
// goes on, up to ten rounds. Options.Retries < 0 sends one round, at full
// speed.
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
	timeout := opt.timeout()
	minRounds := opt.attempts(true)
	maxRounds := minRounds
	if opt.Retries >= 0 {
		maxRounds = max(minRounds, maxUDPRounds)
	}
	pending := make([]int, len(ports))
	for i := range pending {
		pending[i] = i
	}
	var delay time.Duration
	for round := 0; round < maxRounds && len(pending) > 0; round++ {
		answered, span, err := udpRound(ctx, laddr, host, ports, pending, opt, delay, timeout, res)
		if err != nil {
			return compact(res), err
		}
		if err := ctxErr(ctx); err != nil {
			return compact(res), err
		}
		silent := pending[:0]
		for _, i := range pending {
			if res[i].State == OpenFiltered {
				silent = append(silent, i)
			}
		}
		pending = silent
		if round+1 < minRounds {
			continue
		}
		if round == 0 || answered == 0 {
			break // no retry drew an answer: the silence is real
		}
		// Answers to retries: earlier probes met a drop. Send no faster
		// than answers came in this round, and at least twice as slowly.
		est := (span + timeout) / time.Duration(answered)
		delay = min(max(2*delay, est, time.Millisecond), maxUDPDelay)
	}
	return compact(res), nil
}

// udpRound probes each port of pending once, at most one probe per delay,
// and records the answers in res (silent ports as open|filtered). It returns
// how many ports answered and the time from the first probe to the last.
func udpRound(ctx context.Context, laddr *net.UDPAddr, host netip.Addr, ports, pending []int, opt Options, delay, timeout time.Duration, res []Result) (int, time.Duration, error) {
	var (
		next      atomic.Int64
		wg        sync.WaitGroup
		mu        sync.Mutex // guards the fields below
		slot      time.Time  // when the next probe may go
		first     time.Time
		last      time.Time
		answered  int
		firstErr  error
		pacerWait = func() bool {
			mu.Lock()
			now := time.Now()
			t := now
			if slot.After(now) {
				t = slot
			}
			slot = t.Add(delay)
			if first.IsZero() {
				first = t
			}
			last = t
			mu.Unlock()
			if d := time.Until(t); d > 0 {
				timer := time.NewTimer(d)
				defer timer.Stop()
				select {
				case <-timer.C:
				case <-ctx.Done():
					return false
				}
			}
			return true
		}
	)
	for range opt.concurrency(len(pending)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 1500)
			for {
				k := int(next.Add(1) - 1)
				if k >= len(pending) || ctxErr(ctx) != nil {
					return
				}
				i := pending[k]
				payload := opt.Payload
				if payload == nil {
					payload = udpProbes[ports[i]]
				}
				if !pacerWait() {
					return
				}
				r, err := udpProbe(ctx, laddr, netip.AddrPortFrom(host, uint16(ports[i])), payload, timeout, buf)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				if ctxErr(ctx) != nil {
					return
				}
				res[i] = r
				if r.State != OpenFiltered {
					mu.Lock()
					answered++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return answered, last.Sub(first), firstErr
}

// udpProbe probes one port once; its error is a local failure, not an
// answer.
func udpProbe(ctx context.Context, laddr *net.UDPAddr, dst netip.AddrPort, payload []byte, timeout time.Duration, buf []byte) (Result, error) {
	r := Result{Port: int(dst.Port()), State: OpenFiltered, RTT: timeout}
	d := net.Dialer{Control: recvErr}
	if laddr != nil {
		d.LocalAddr = laddr
	}
	nc, err := d.DialContext(ctx, "udp", dst.String())
	if err != nil {
		return r, err
	}
	c := nc.(*net.UDPConn)
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	start := time.Now()
	_, err = c.Write(payload)
	if err == nil {
		c.SetReadDeadline(start.Add(timeout))
		_, err = c.Read(buf)
	}
	r.RTT = time.Since(start)
	switch {
	case err == nil:
		r.State = Open
	case errors.Is(err, syscall.ECONNREFUSED):
		r.State = Closed
	case errors.Is(err, os.ErrDeadlineExceeded):
		r.RTT = timeout
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.Is(err, syscall.ENOPROTOOPT), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		// ICMP host, network or protocol unreachable, administratively
		// prohibited, or a local firewall.
		r.State = Filtered
	default:
		return r, err
	}
	return r, nil
}
