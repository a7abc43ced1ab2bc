package netlab

import (
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture"
)

// markerEtherType is the IEEE 802 local experimental EtherType, which the
// sandbox's capture markers use: they prove a capture point saw its own
// interface and have no business past it, so a wire drops them uncounted
// (they would otherwise shift the frames a random impairment draws for).
const markerEtherType = 0x88b5

const (
	ethPAll              = 0x0003
	solPacket            = 263
	packetIgnoreOutgoing = 23
)

// wire carries one link: two packet sockets in the switch namespace, on the
// host's veth end and on the bridge's second veth, and a direction each way.
type wire struct {
	point    string
	host     *os.File // on the host's veth end (hXiY)
	seg      *os.File // on the veth to the bridge (tXiY)
	out, in  *direction
	wg       sync.WaitGroup
	stopOnce sync.Once
	stop     chan struct{}
}

// direction is one way through a wire.
type direction struct {
	imp   Impairment
	rules []wireRule
	from  syscall.RawConn
	to    syscall.RawConn

	loss, dup, reorder, jitter *rand.Rand

	mu       sync.Mutex
	q        frameHeap
	seq      uint64
	lastDue  time.Time // frames keep their order: none is due before it
	linkFree time.Time // the rate limit: when the link is free again
	wake     chan struct{}
	stats    WireStats
}

type wireRule struct {
	WireRule
	match func(capture.Frame) bool
	count int
}

// startWire opens a link's sockets (in sw) and starts carrying frames.
func startWire(sw *NS, l Link, hostIdx, segIdx int) (*wire, error) {
	w := &wire{point: l.Point, stop: make(chan struct{})}
	err := sw.Do(func() error {
		var err error
		if w.host, err = packetSocket(hostIdx, l.Point+"@host"); err != nil {
			return err
		}
		w.seg, err = packetSocket(segIdx, l.Point+"@segment")
		return err
	})
	if err != nil {
		w.closeFiles()
		return nil, err
	}
	hc, err1 := w.host.SyscallConn()
	sc, err2 := w.seg.SyscallConn()
	if err := errors.Join(err1, err2); err != nil {
		w.closeFiles()
		return nil, err
	}
	w.out, err1 = newDirection(l, "out", l.Out, hc, sc)
	w.in, err2 = newDirection(l, "in", l.In, sc, hc)
	if err := errors.Join(err1, err2); err != nil {
		w.closeFiles()
		return nil, err
	}
	for _, d := range []*direction{w.out, w.in} {
		w.wg.Add(2)
		go func() { defer w.wg.Done(); d.read(w.stop) }()
		go func() { defer w.wg.Done(); d.send(w.stop) }()
	}
	return w, nil
}

// packetSocket is a non-blocking AF_PACKET socket bound to ifindex that
// hears only frames arriving there (not its own sends). It is made with
// protocol 0, hearing nothing, and bound with ETH_P_ALL: so it never holds a
// frame of another interface.
func packetSocket(ifindex int, name string) (*os.File, error) {
	fd, err := syscall.Socket(syscall.AF_PACKET, syscall.SOCK_RAW|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("wire socket: %w", err)
	}
	if err := syscall.SetsockoptInt(fd, solPacket, packetIgnoreOutgoing, 1); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("wire socket: PACKET_IGNORE_OUTGOING: %w", err)
	}
	syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4<<20)
	if err := syscall.Bind(fd, &syscall.SockaddrLinklayer{Protocol: htons(ethPAll), Ifindex: ifindex}); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("wire socket: bind: %w", err)
	}
	return os.NewFile(uintptr(fd), name), nil
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func newDirection(l Link, name string, imp *Impairment, from, to syscall.RawConn) (*direction, error) {
	d := &direction{from: from, to: to, wake: make(chan struct{}, 1)}
	if imp != nil {
		d.imp = *imp
	}
	if d.imp.ReorderBy == 0 {
		d.imp.ReorderBy = defaultReorderBy
	}
	if d.imp.Queue == 0 {
		d.imp.Queue = defaultQueue
	}
	// One generator per kind of draw: adding jitter does not change which
	// frames are lost.
	gen := func(kind string) *rand.Rand {
		h := fnv.New64a()
		fmt.Fprintf(h, "%d/%s/%s/%s", l.Seed, l.Point, name, kind)
		s := h.Sum64()
		return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
	}
	d.loss, d.dup, d.reorder, d.jitter = gen("loss"), gen("duplicate"), gen("reorder"), gen("jitter")
	for _, r := range d.imp.Rules {
		f, err := capture.Compile(r.Match)
		if err != nil {
			return nil, fmt.Errorf("link %q: filter %q: %w", l.Point, r.Match, err)
		}
		// A decoder of its own, fed every frame of the direction, so
		// stream fields (tcp.stream, tcp.len of reassembly) hold.
		d.rules = append(d.rules, wireRule{WireRule: r, match: capture.NewFrameFilter(f)})
	}
	return d, nil
}

// read takes frames from the wire's input and schedules them.
func (d *direction) read(stop chan struct{}) {
	buf := make([]byte, 1<<16)
	for {
		var n int
		var rerr error
		err := d.from.Read(func(fd uintptr) bool {
			n, _, rerr = syscall.Recvfrom(int(fd), buf, 0)
			return rerr != syscall.EAGAIN
		})
		if err != nil {
			return // closed
		}
		if rerr != nil {
			select {
			case <-stop:
				return
			default:
				continue // ENETDOWN and the like: the lab is going away
			}
		}
		if n < 14 || binary.BigEndian.Uint16(buf[12:14]) == markerEtherType {
			continue
		}
		d.handle(buf[:n], time.Now())
	}
}

// handle decides one frame's fate and queues its copies.
func (d *direction) handle(frame []byte, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stats.Frames++
	drop, copies, extra := false, 1, time.Duration(0)
	if len(d.rules) > 0 {
		fr := capture.Frame{Data: frame, LinkType: layers.LinkTypeEthernet,
			Info: gopacket.CaptureInfo{Timestamp: now, CaptureLength: len(frame), Length: len(frame)}}
		for i := range d.rules {
			r := &d.rules[i]
			if !r.match(fr) {
				continue
			}
			r.count++
			if !r.selects(r.count) {
				continue
			}
			switch r.Action {
			case WireDrop:
				drop = true
			case WireDelay:
				extra += r.By
			case WireDuplicate:
				copies++
			}
		}
	}
	if drop {
		d.stats.RuleDrops++
		return
	}
	m := &d.imp
	if m.Loss > 0 && d.loss.Float64() < m.Loss {
		d.stats.Lost++
		return
	}
	if m.Duplicate > 0 && d.dup.Float64() < m.Duplicate {
		copies++
	}
	d.stats.Duplicated += copies - 1
	delay := m.Delay
	if m.Jitter > 0 {
		delay += time.Duration((d.jitter.Float64()*2 - 1) * float64(m.Jitter))
		delay = max(delay, 0)
	}
	due := now.Add(delay)
	held := m.Reorder > 0 && d.reorder.Float64() < m.Reorder
	inOrder := !held && extra == 0
	if inOrder && due.Before(d.lastDue) {
		due = d.lastDue
	}
	if held {
		d.stats.Reordered++
		due = due.Add(m.ReorderBy)
	}
	if extra > 0 {
		d.stats.RuleDelays++
		due = due.Add(extra)
	}
	if d.q.Len()+copies > m.Queue {
		d.stats.QueueDrops++
		return
	}
	if m.Rate > 0 {
		// The link sends one frame at a time: a frame leaves once the
		// ones before it have, plus its own transmission time.
		start := due
		if d.linkFree.After(start) {
			start = d.linkFree
		}
		d.linkFree = start.Add(time.Duration(int64(len(frame)+24)*8*int64(time.Second)/m.Rate) * time.Duration(copies)) // +preamble, FCS, gap
		due = d.linkFree
	}
	if inOrder {
		d.lastDue = due
	}
	data := append([]byte(nil), frame...)
	for range copies {
		d.seq++
		heap.Push(&d.q, &queued{due: due, seq: d.seq, data: data})
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// How long a wire keeps trying a frame the kernel had no buffer for: up to
// 200 tries 250 µs apart, 50 ms.
const (
	maxNoBufRetries = 200
	noBufRetryWait  = 250 * time.Microsecond
)

// send writes queued frames out when they are due.
func (d *direction) send(stop chan struct{}) {
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		d.mu.Lock()
		var next *queued
		var wait time.Duration = time.Hour
		if d.q.Len() > 0 {
			if w := time.Until(d.q[0].due); w <= 0 {
				next = heap.Pop(&d.q).(*queued)
			} else {
				wait = w
			}
		}
		d.mu.Unlock()
		if next != nil {
			var werr error
			// ENOBUFS: the kernel had no room for the frame on its way to
			// the bridge (a loaded machine's backlog) and dropped it. The
			// wire tries again for a while: a loss the lab did not ask for
			// would change what a run shows (a retransmission too many).
			for try := 0; ; try++ {
				err := d.to.Write(func(fd uintptr) bool {
					werr = syscall.Sendto(int(fd), next.data, 0, nil)
					return werr != syscall.EAGAIN
				})
				if err != nil {
					return
				}
				if werr != syscall.ENOBUFS || try == maxNoBufRetries {
					break
				}
				select {
				case <-stop:
					return
				case <-time.After(noBufRetryWait):
				}
			}
			d.mu.Lock()
			if werr == nil {
				d.stats.Sent++
			} else {
				d.stats.WriteErrors++
			}
			d.mu.Unlock()
			continue
		}
		t.Reset(wait)
		select {
		case <-stop:
			return
		case <-d.wake:
		case <-t.C:
		}
	}
}

func (w *wire) closeFiles() {
	if w.host != nil {
		w.host.Close()
	}
	if w.seg != nil {
		w.seg.Close()
	}
}

// close stops the wire; frames still queued are lost, as on a cable cut.
func (w *wire) close() {
	w.stopOnce.Do(func() {
		close(w.stop)
		w.closeFiles()
		w.wg.Wait()
	})
}

func (d *direction) snapshot() WireStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}

type queued struct {
	due  time.Time
	seq  uint64
	data []byte
}

type frameHeap []*queued

func (h frameHeap) Len() int { return len(h) }
func (h frameHeap) Less(i, j int) bool {
	if h[i].due.Equal(h[j].due) {
		return h[i].seq < h[j].seq
	}
	return h[i].due.Before(h[j].due)
}
func (h frameHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *frameHeap) Push(x any)   { *h = append(*h, x.(*queued)) }
func (h *frameHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Offload settings (linux/ethtool.h). A wire must read whole frames with
// their checksums done: the sender's veth would otherwise hand over
// segmentation-offload super-frames with the checksum left to the receiver,
// which a frame written by a packet socket does not carry.
const (
	siocEthtool    = 0x8946
	ethtoolSTXCSUM = 0x17
	ethtoolSSG     = 0x19
	ethtoolSTSO    = 0x1f
	ethtoolSGSO    = 0x24
	ethtoolSGRO    = 0x2c
)

// noOffloads turns off checksum, segmentation and receive offloads of the
// interface named ifname in the calling thread's namespace.
func noOffloads(ifname string) error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	for _, cmd := range []uint32{ethtoolSTSO, ethtoolSGSO, ethtoolSGRO, ethtoolSSG, ethtoolSTXCSUM} {
		val := &struct{ cmd, data uint32 }{cmd: cmd}
		var ifr struct {
			name [16]byte
			data unsafe.Pointer
			_    [16]byte
		}
		copy(ifr.name[:], ifname)
		ifr.data = unsafe.Pointer(val)
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), siocEthtool, uintptr(unsafe.Pointer(&ifr))); e != 0 {
			return fmt.Errorf("%s: offload setting %#x: %w", ifname, cmd, e)
		}
	}
	return nil
}
