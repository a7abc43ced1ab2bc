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
	"syscall"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/netlab"
)

// markerWait bounds how long the capture may take to see a marker.
const markerWait = 5 * time.Second

// markerType is the EtherType of marker frames: IEEE 802's local
// experimental one, which no host's kernel handles (it drops them).
const markerType = 0x88b5

// liveCapture captures the run's capture points (interfaces) into
// capture.pcapng, one interface description per point, named host:ifname, a
// frame at a time, flushed as it goes, so a killed worker leaves a readable
// file.
//
// Readiness and draining are proven per point with markers: an Ethernet frame
// of markerType carrying a random token, sent on the point's interface from
// the host's side (the capture sees it leave) and, for a veth, from the
// switch's side (the capture sees it arrive). Once a point has seen the
// markers sent before the script starts, it is capturing; once it has seen
// those sent after the script (and the services) stopped, every frame the
// interface carried before them in either direction has been read. Markers
// are left out of the file.
type liveCapture struct {
	file   *os.File
	bw     *bufio.Writer
	wmu    sync.Mutex // the writer, written, werr
	w      *capture.Writer
	points []*capturePoint
	token  []byte

	max     int64 // bytes of frames written before the capture is full
	written int64
	werr    error
	full    func() // called once when it is
	fullOne sync.Once

	mu   sync.Mutex
	seen map[markerKey]chan struct{}
	n    int

	closeOnce sync.Once
	closeErr  error
}

type markerKey struct {
	point int
	id    string
}

// capturePoint is one interface being captured.
type capturePoint struct {
	idx     int
	port    netlab.Port
	live    *capture.Live
	iface   int                 // the pcapng interface
	keep    capture.FrameFilter // the capture filter; nil keeps every frame
	senders []markerSender
	done    chan error
}

// markerSender injects marker frames on one end of a point's link.
type markerSender struct {
	fd      int
	ifindex int
	mac     net.HardwareAddr
}

func startCapture(cfg *Config, lnet *labNetwork, path string, max int64, full func()) (*liveCapture, error) {
	c := &liveCapture{seen: map[markerKey]chan struct{}{}, max: max, full: full}
	ports, err := lnet.capturePoints(cfg.Capture)
	if err != nil {
		return nil, err
	}
	var match *filter.Filter
	if cfg.CaptureFilter != "" {
		f, err := capture.CompileCapture(cfg.CaptureFilter)
		if err != nil {
			return nil, fmt.Errorf("capture filter %q: %w", cfg.CaptureFilter, err)
		}
		match = f
	}
	tok := make([]byte, 16)
	rand.Read(tok)
	c.token = []byte("wirelab-marker-" + hex.EncodeToString(tok))
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	c.file = f
	c.bw = bufio.NewWriterSize(f, 64<<10)
	w, err := capture.NewWriter(c.bw)
	if err != nil {
		f.Close()
		return nil, err
	}
	c.w = w
	for i, port := range ports {
		p := &capturePoint{idx: i, port: port, done: make(chan error, 1)}
		if match != nil {
			p.keep = capture.NewFrameFilter(match) // one each: a filter decodes
		}
		c.points = append(c.points, p)
		if err := c.open(p, lnet, cfg.Snaplen); err != nil {
			c.closeAll()
			return nil, fmt.Errorf("capture point %s: %w", port.ID(), err)
		}
	}
	if err := c.flush(); err != nil {
		c.closeAll()
		return nil, err
	}
	for _, p := range c.points {
		go c.loop(p)
	}
	return c, nil
}

// open opens a point's capture socket and marker senders, in the namespaces
// they belong to.
func (c *liveCapture) open(p *capturePoint, lnet *labNetwork, snaplen int) error {
	var at place = here{}
	if p.port.NS != nil {
		at = p.port.NS
	}
	err := at.Do(func() error {
		live, err := capture.OpenLive(p.port.Name, capture.LiveOptions{Snaplen: snaplen})
		if err != nil {
			return err
		}
		p.live = live
		idx := p.port.Index
		if idx == 0 {
			ifc, err := net.InterfaceByName(p.port.Name)
			if err != nil {
				return err
			}
			idx = ifc.Index
		}
		s, err := newMarkerSender(idx, p.port.MAC)
		if err != nil {
			return err
		}
		p.senders = append(p.senders, s)
		return nil
	})
	if err != nil {
		return err
	}
	if p.port.PeerIndex != 0 && lnet.lab != nil {
		err := lnet.lab.Switch().Do(func() error {
			s, err := newMarkerSender(p.port.PeerIndex, p.port.MAC)
			if err == nil {
				p.senders = append(p.senders, s)
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	name := p.port.ID()
	if lnet.lab == nil {
		name = p.port.Name // the machine's own loopback
	}
	p.iface, err = c.w.AddInterface(name, p.live.LinkType(), snaplenOr(snaplen))
	return err
}

func newMarkerSender(ifindex int, mac net.HardwareAddr) (markerSender, error) {
	fd, err := syscall.Socket(syscall.AF_PACKET, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return markerSender{}, fmt.Errorf("marker socket: %w", err)
	}
	if mac == nil {
		mac = make(net.HardwareAddr, 6)
	}
	return markerSender{fd: fd, ifindex: ifindex, mac: mac}, nil
}

// send sends one marker frame, addressed to and from the point's own MAC (a
// bridge that has learnt it drops the frame; no kernel handles it).
func (s markerSender) send(payload []byte) error {
	frame := make([]byte, 0, 14+len(payload))
	frame = append(frame, s.mac...)
	frame = append(frame, s.mac...)
	frame = binary.BigEndian.AppendUint16(frame, markerType)
	frame = append(frame, payload...)
	var addr [8]byte
	copy(addr[:], s.mac)
	sa := &syscall.SockaddrLinklayer{Protocol: htons(markerType), Ifindex: s.ifindex, Halen: 6, Addr: addr}
	return syscall.Sendto(s.fd, frame, 0, sa)
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func snaplenOr(n int) int {
	if n <= 0 {
		return capture.DefaultSnaplen
	}
	return n
}

func (c *liveCapture) flush() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.w.Flush(); err != nil {
		return err
	}
	return c.bw.Flush()
}

func (c *liveCapture) loop(p *capturePoint) {
	var rerr error
	for {
		fr, err := p.live.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				rerr = err
			}
			break
		}
		if payload, ok := c.markerPayload(fr.Data); ok {
			c.sawMarker(p.idx, payload)
			continue
		}
		if p.keep != nil && !p.keep(fr) {
			continue
		}
		c.write(p, fr)
	}
	p.done <- rerr
}

func (c *liveCapture) write(p *capturePoint, fr capture.Frame) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.werr != nil || c.written > c.max {
		return
	}
	c.written += int64(len(fr.Data)) + 32
	if c.written > c.max && c.full != nil {
		c.fullOne.Do(c.full)
	}
	if err := c.w.WriteFrame(p.iface, fr); err != nil {
		c.werr = err
		return
	}
	if err := c.w.Flush(); err != nil {
		c.werr = err
		return
	}
	if err := c.bw.Flush(); err != nil {
		c.werr = err
	}
}

// markerPayload returns what follows the token in a marker frame.
func (c *liveCapture) markerPayload(b []byte) ([]byte, bool) {
	if len(b) < 14 || binary.BigEndian.Uint16(b[12:14]) != markerType {
		return nil, false
	}
	return bytes.CutPrefix(b[14:], c.token)
}

func (c *liveCapture) sawMarker(point int, rest []byte) {
	id, ok := bytes.CutPrefix(rest, []byte(":"))
	if !ok {
		return
	}
	if i := bytes.IndexByte(id, ';'); i >= 0 {
		id = id[:i]
	}
	k := markerKey{point, string(id)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := c.seen[k]; ok {
		close(ch)
		delete(c.seen, k)
	}
}

// mark sends a marker on every end of every point and waits until each
// point's capture has seen its own.
func (c *liveCapture) mark() error {
	c.mu.Lock()
	c.n++
	round := c.n
	type pending struct {
		p   *capturePoint
		s   markerSender
		msg []byte
		ch  chan struct{}
	}
	var all []pending
	for _, p := range c.points {
		for j, s := range p.senders {
			id := fmt.Sprintf("%d.%d.%d", round, p.idx, j)
			ch := make(chan struct{})
			c.seen[markerKey{p.idx, id}] = ch
			msg := append(append([]byte(nil), c.token...), ":"+id+";"...)
			all = append(all, pending{p, s, msg, ch})
		}
	}
	c.mu.Unlock()
	t := time.NewTimer(markerWait)
	defer t.Stop()
	for _, w := range all {
		if err := w.s.send(w.msg); err != nil {
			return fmt.Errorf("marker on %s: %w", w.p.port.ID(), err)
		}
	}
	resend := time.NewTicker(500 * time.Millisecond)
	defer resend.Stop()
	for _, w := range all {
	wait:
		for {
			select {
			case <-w.ch:
				break wait
			case <-resend.C:
				w.s.send(w.msg) // a frame may be dropped under load
			case <-t.C:
				return fmt.Errorf("the capture on %s did not see its marker frame within %v", w.p.port.ID(), markerWait)
			}
		}
	}
	return nil
}

// Ready returns once every point is capturing.
func (c *liveCapture) Ready() error { return c.mark() }

// Drain waits until every point has read every frame its interface carried
// so far, then closes the capture and its file.
func (c *liveCapture) Drain() error {
	merr := c.mark()
	werr := c.Close()
	if merr != nil {
		return merr
	}
	return werr
}

// Dropped is how many frames the kernel dropped because a reader fell
// behind.
func (c *liveCapture) Dropped() uint64 {
	var n uint64
	for _, p := range c.points {
		if p.live != nil {
			_, d := p.live.Stats()
			n += d
		}
	}
	return n
}

// Close stops the capture at once, and returns the first error writing the
// file. It is safe to call more than once.
func (c *liveCapture) Close() error {
	c.closeOnce.Do(func() {
		for _, p := range c.points {
			p.live.Close()
		}
		for _, p := range c.points {
			if err := <-p.done; err != nil && c.closeErr == nil {
				c.closeErr = err
			}
		}
		c.closeSenders()
		c.wmu.Lock()
		if c.werr != nil && c.closeErr == nil {
			c.closeErr = c.werr
		}
		if err := c.bw.Flush(); err != nil && c.closeErr == nil {
			c.closeErr = err
		}
		c.wmu.Unlock()
		if err := c.file.Close(); err != nil && c.closeErr == nil {
			c.closeErr = err
		}
	})
	return c.closeErr
}

func (c *liveCapture) closeSenders() {
	for _, p := range c.points {
		for _, s := range p.senders {
			syscall.Close(s.fd)
		}
		p.senders = nil
	}
}

// closeAll releases what startCapture opened before it failed.
func (c *liveCapture) closeAll() {
	for _, p := range c.points {
		if p.live != nil {
			p.live.Close()
		}
	}
	c.closeSenders()
	c.file.Close()
}
