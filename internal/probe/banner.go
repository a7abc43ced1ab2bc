package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for BannerOptions fields left zero.
const (
	DefaultBannerTimeout     = 2 * time.Second
	DefaultBannerIdle        = 250 * time.Millisecond
	DefaultBannerBytes       = 1024
	DefaultBannerConcurrency = 64
	maxBannerBytes           = 1 << 20
)

// Errors Grab returns when a connection was made but no banner came.
var (
	ErrTimeout = errors.New("timeout") // nothing arrived before the timeout
	ErrClosed  = errors.New("closed")  // the service closed the connection without a word
)

// BannerOptions tune Grab and GrabAll. The zero value is usable.
type BannerOptions struct {
	// Timeout bounds the whole grab: connecting, sending and reading
	// (default DefaultBannerTimeout).
	Timeout time.Duration
	// Idle ends the banner once something arrived and nothing more came for
	// this long (default DefaultBannerIdle), so a service that greets and then
	// waits does not cost the whole timeout.
	Idle time.Duration
	// Bytes is the most to read (default DefaultBannerBytes, at most 1 MiB).
	Bytes int
	// Send is written first, for services that wait to be spoken to, such as
	// "HEAD / HTTP/1.0\r\n\r\n".
	Send string
	// Lines, when positive, stops after that many lines (each ends at "\n").
	Lines int
	// Source is the local address to connect from; the zero Addr lets the
	// kernel choose.
	Source netip.Addr
	// Concurrency is GrabAll's number of grabs at once (default
	// DefaultBannerConcurrency).
	Concurrency int
}

// Grab connects to port on host and returns what the service says, as
// received (line endings included), up to the first limit reached: Bytes,
// Lines, the service closing the connection, Idle after the last data, or
// Timeout. A service that says nothing gives ErrTimeout, one that closes
// without a word ErrClosed; a refused connection gives an error that wraps
// syscall.ECONNREFUSED.
func Grab(ctx context.Context, host netip.Addr, port int, opt BannerOptions) (string, error) {
	host, src, err := checkHost(host, opt.Source)
	if err != nil {
		return "", err
	}
	if port < 1 || port > MaxPort {
		return "", fmt.Errorf("%d is not a port (1-%d)", port, MaxPort)
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultBannerTimeout
	}
	idle := opt.Idle
	if idle <= 0 {
		idle = DefaultBannerIdle
	}
	limit := opt.Bytes
	if limit <= 0 {
		limit = DefaultBannerBytes
	}
	limit = min(limit, maxBannerBytes)
	deadline := time.Now().Add(timeout)

	d := net.Dialer{Deadline: deadline}
	if src.IsValid() {
		d.LocalAddr = net.TCPAddrFromAddrPort(netip.AddrPortFrom(src, 0))
	}
	c, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(host, uint16(port)).String())
	if err != nil {
		if ctxErr(ctx) != nil {
			return "", ctxErr(ctx)
		}
		if errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err) {
			return "", ErrTimeout
		}
		return "", err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()

	if opt.Send != "" {
		c.SetWriteDeadline(deadline)
		if _, err := io.WriteString(c, opt.Send); err != nil {
			if ctxErr(ctx) != nil {
				return "", ctxErr(ctx)
			}
			if isTimeout(err) {
				return "", ErrTimeout
			}
			return "", err
		}
	}

	var out []byte
	chunk := make([]byte, min(limit, 4096))
	lines := 0
	for {
		rd := deadline
		if len(out) > 0 {
			if t := time.Now().Add(idle); t.Before(rd) {
				rd = t
			}
		}
		c.SetReadDeadline(rd)
		n, err := c.Read(chunk[:min(len(chunk), limit-len(out))])
		if opt.Lines > 0 {
			// Cut after the Lines-th newline, counting the new bytes only.
			for k, b := range chunk[:n] {
				if b == '\n' {
					if lines++; lines == opt.Lines {
						n = k + 1
						break
					}
				}
			}
		}
		out = append(out, chunk[:n]...)
		if (opt.Lines > 0 && lines >= opt.Lines) || len(out) >= limit {
			break
		}
		if err != nil {
			if ctxErr(ctx) != nil {
				return "", ctxErr(ctx)
			}
			if len(out) > 0 {
				break // the service went quiet or closed after its banner
			}
			switch {
			case errors.Is(err, io.EOF):
				return "", ErrClosed
			case isTimeout(err):
				return "", ErrTimeout
			}
			return "", err
		}
	}
	return string(out), nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// GrabAll grabs the banners of ports on host concurrently and returns them by
// port; ports that gave no banner are absent. When ctx ends it returns the
// banners grabbed so far with ctx's error.
func GrabAll(ctx context.Context, host netip.Addr, ports []int, opt BannerOptions) (map[int]string, error) {
	ports, err := Ports(ports)
	if err != nil {
		return nil, err
	}
	if _, _, err := checkHost(host, opt.Source); err != nil {
		return nil, err
	}
	conc := opt.Concurrency
	if conc <= 0 {
		conc = DefaultBannerConcurrency
	}
	conc = Options{Concurrency: conc}.concurrency(len(ports))
	out := make(map[int]string)
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ports) || ctx.Err() != nil {
					return
				}
				b, err := Grab(ctx, host, ports[i], opt)
				if err == nil && b != "" {
					mu.Lock()
					out[ports[i]] = b
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return out, ctxErr(ctx)
}
