package sandbox

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture"
)

// markerWait bounds how long the capture may take to see a marker.
const markerWait = 5 * time.Second

// liveCapture captures the run's loopback into capture.pcapng, a packet at a
// time, flushed as it goes, so a killed worker leaves a readable file.
//
// Readiness and draining are proven with markers: a UDP datagram the worker
// sends to itself on 127.0.0.1 carrying a random token. Once the capture has
// seen the marker sent before the script starts, it is capturing; once it has
// seen the marker sent after the script (and the services) stopped, every
// earlier packet on the interface has been read, since loopback delivers in
// order. Markers are left out of the file.
type liveCapture struct {
	live    *capture.Live
	file    *os.File
	bw      *bufio.Writer
	w       *capture.Writer
	iface   int
	keep    capture.FrameFilter // the capture filter; nil keeps every frame
	token   []byte
	marker  *net.UDPConn
	port    int   // the marker socket's port
	max     int64 // bytes of frames written before the capture is full
	written int64
	full    func() // called once when it is
	mu      sync.Mutex
	seen    map[int]chan struct{}
	n       int
	done    chan error

	closeOnce sync.Once
	closeErr  error
}

func startCapture(cfg *Config, path string, max int64, full func()) (*liveCapture, error) {
	c := &liveCapture{seen: map[int]chan struct{}{}, done: make(chan error, 1), max: max, full: full}
	if cfg.CaptureFilter != "" {
		f, err := capture.CompileCapture(cfg.CaptureFilter)
		if err != nil {
			return nil, fmt.Errorf("capture filter %q: %w", cfg.CaptureFilter, err)
		}
		c.keep = capture.NewFrameFilter(f)
	}
	tok := make([]byte, 16)
	rand.Read(tok)
	c.token = []byte("wirelab-marker-" + hex.EncodeToString(tok))
	m, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, fmt.Errorf("marker socket: %w", err)
	}
	c.marker = m
	c.port = m.LocalAddr().(*net.UDPAddr).Port
	f, err := os.Create(path)
	if err != nil {
		m.Close()
		return nil, err
	}
	c.file = f
	c.bw = bufio.NewWriterSize(f, 64<<10)
	iface := cfg.Interface
	if iface == "" {
		iface = "lo"
	}
	live, err := capture.OpenLive(iface, capture.LiveOptions{Snaplen: cfg.Snaplen})
	if err != nil {
		m.Close()
		f.Close()
		return nil, err
	}
	c.live = live
	w, err := capture.NewWriter(c.bw)
	if err == nil {
		c.iface, err = w.AddInterface(iface, live.LinkType(), snaplenOr(cfg.Snaplen))
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = c.bw.Flush()
	}
	if err != nil {
		live.Close()
		m.Close()
		f.Close()
		return nil, err
	}
	c.w = w
	go c.loop()
	return c, nil
}

func snaplenOr(n int) int {
	if n <= 0 {
		return capture.DefaultSnaplen
	}
	return n
}

func (c *liveCapture) loop() {
	var werr error
	for {
		fr, err := c.live.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				werr = err
			}
			break
		}
		if payload, ok := c.markerPayload(fr.Data); ok {
			c.sawMarker(payload)
			continue
		}
		if c.keep != nil && !c.keep(fr) {
			continue
		}
		if werr != nil || c.written > c.max {
			continue
		}
		c.written += int64(len(fr.Data)) + 32
		if c.written > c.max && c.full != nil {
			c.full()
		}
		if err := c.w.WriteFrame(c.iface, fr); err != nil {
			werr = err
			continue
		}
		if err := c.w.Flush(); err != nil {
			werr = err
			continue
		}
		if err := c.bw.Flush(); err != nil {
			werr = err
		}
	}
	c.done <- werr
}

// markerPayload returns what follows the token in a marker datagram: IPv4
// UDP from the marker socket to itself (a port the script cannot bind while
// the worker holds it), starting with the run's random token.
func (c *liveCapture) markerPayload(b []byte) ([]byte, bool) {
	hdr := 14 // Ethernet: the ethertype ends the header
	if c.live.LinkType() == layers.LinkTypeLinuxSLL {
		hdr = 16 // Linux cooked: so does the protocol
	} else if c.live.LinkType() != layers.LinkTypeEthernet {
		return nil, false
	}
	if len(b) < hdr+20+8 || binary.BigEndian.Uint16(b[hdr-2:hdr]) != 0x0800 {
		return nil, false
	}
	ip := b[hdr:]
	ihl := int(ip[0]&0x0f) * 4
	if ip[0]>>4 != 4 || ip[9] != 17 || ihl < 20 || len(ip) < ihl+8 {
		return nil, false
	}
	udp := ip[ihl:]
	if int(binary.BigEndian.Uint16(udp[0:2])) != c.port || int(binary.BigEndian.Uint16(udp[2:4])) != c.port {
		return nil, false
	}
	payload, ok := bytes.CutPrefix(udp[8:], c.token)
	return payload, ok
}

func (c *liveCapture) sawMarker(rest []byte) {
	if len(rest) < 2 || rest[0] != ':' {
		return
	}
	var n int
	fmt.Sscanf(string(rest[1:]), "%d", &n)
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := c.seen[n]; ok {
		close(ch)
		delete(c.seen, n)
	}
}

// mark sends a marker and waits until the capture has seen it.
func (c *liveCapture) mark() error {
	c.mu.Lock()
	c.n++
	n := c.n
	ch := make(chan struct{})
	c.seen[n] = ch
	c.mu.Unlock()
	msg := append(append([]byte(nil), c.token...), fmt.Sprintf(":%d:", n)...)
	to := c.marker.LocalAddr().(*net.UDPAddr)
	t := time.NewTimer(markerWait)
	defer t.Stop()
	resend := time.NewTicker(500 * time.Millisecond)
	defer resend.Stop()
	if _, err := c.marker.WriteToUDP(msg, to); err != nil {
		return err
	}
	for {
		select {
		case <-ch:
			return nil
		case <-resend.C:
			c.marker.WriteToUDP(msg, to) // a datagram may be dropped under load
		case <-t.C:
			return fmt.Errorf("the capture did not see its marker packet within %v", markerWait)
		}
	}
}

// Ready returns once the capture is capturing.
func (c *liveCapture) Ready() error { return c.mark() }

// Drain waits until the capture has read every packet sent so far, then
// closes it and its file.
func (c *liveCapture) Drain() error {
	merr := c.mark()
	werr := c.Close()
	if merr != nil {
		return merr
	}
	return werr
}

// Close stops the capture at once, and returns the first error writing the
// file. It is safe to call more than once.
func (c *liveCapture) Close() error {
	c.closeOnce.Do(func() {
		c.live.Close()
		c.closeErr = <-c.done
		c.marker.Close()
		if err := c.bw.Flush(); err != nil && c.closeErr == nil {
			c.closeErr = err
		}
		if err := c.file.Close(); err != nil && c.closeErr == nil {
			c.closeErr = err
		}
	})
	return c.closeErr
}
