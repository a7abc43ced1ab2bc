package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket/layers"
)

// Linux constants the syscall package does not name.
const (
	ethPAll              = 0x0003
	packetStatistics     = 6
	packetIgnoreOutgoing = 23 // Linux 4.20+
	packetOutgoing       = 4  // sll_pkttype of a copy of an outgoing packet
	siocGIFINDEX         = 0x8933
	siocGIFHWADDR        = 0x8927
	arphrdEther          = 1
	arphrdLoopback       = 772
	sllHeaderLen         = 16
	pollIn               = 0x1
	// drainLimit bounds how long Next keeps returning queued packets after Stop
	// when traffic does not let up.
	drainLimit = time.Second
	// pollInterval bounds a wait in poll even when no wake-up arrives.
	pollInterval = 250 * time.Millisecond
)

// Live is a live capture on one interface, through an AF_PACKET socket. It is a
// Source. Packets sent after OpenLive returns are captured: the socket is bound
// to the interface before OpenLive returns.
//
// Next must be called from one goroutine at a time; Stop, Close and Stats may be
// called from any goroutine.
type Live struct {
	fd       int
	wake     [2]int // a pipe: Stop and Close write to it to wake a Next in poll
	iface    string
	ifindex  int32
	linkType layers.LinkType
	cooked   bool // SOCK_DGRAM: Next prepends a Linux cooked (SLL) header
	loopback bool
	dropOut  bool // the kernel lacks PACKET_IGNORE_OUTGOING: drop outgoing copies here
	snaplen  int
	filter   FrameFilter

	mu       sync.Mutex // held by Next while it reads; Close takes it to close the fd
	buf      []byte
	oob      []byte
	from     syscall.RawSockaddrLinklayer
	stopping atomic.Bool
	closing  atomic.Bool
	closed   bool
	drainEnd time.Time

	statsMu  sync.Mutex
	received uint64
	dropped  uint64
	fdClosed bool
}

// OpenLive starts capturing on the interface named iface ("lo", "eth0", or "any"
// for every interface, in Linux cooked form). It needs CAP_NET_RAW. On a loopback
// interface, and for loopback traffic on "any", each packet is delivered once,
// not once per direction. Timestamps have nanosecond resolution.
//
// The socket belongs to the network namespace of the calling OS thread: to
// capture inside a namespace, call OpenLive from a goroutine locked to a thread
// in it (runtime.LockOSThread); Next may then be called from any goroutine.
//
// To stop without losing packets already sent, call Stop, read Next until it
// returns io.EOF, then Close.
func OpenLive(iface string, opt LiveOptions) (*Live, error) {
	snaplen := opt.Snaplen
	if snaplen <= 0 || snaplen > MaxRecordSize {
		snaplen = DefaultSnaplen
	}
	l := &Live{fd: -1, wake: [2]int{-1, -1}, iface: iface, snaplen: snaplen}
	if err := l.open(); err != nil {
		l.closeFDs()
		return nil, fmt.Errorf("live capture on %q: %w", iface, err)
	}
	if opt.Filter != nil {
		l.filter = NewFrameFilter(opt.Filter)
	}
	return l, nil
}

func (l *Live) open() error {
	// Probe the interface with a throwaway socket of protocol 0, which receives
	// nothing, so the capture socket is bound before it receives anything.
	probe, err := syscall.Socket(syscall.AF_PACKET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) {
			return fmt.Errorf("%w (live capture needs root or CAP_NET_RAW)", err)
		}
		return err
	}
	defer syscall.Close(probe)
	hatype := uint16(0)
	if l.iface == "any" {
		l.cooked = true
	} else {
		idx, ht, err := ifInfo(probe, l.iface)
		if err != nil {
			return err
		}
		l.ifindex, hatype = idx, ht
		l.loopback = ht == arphrdLoopback
		l.cooked = ht != arphrdEther && ht != arphrdLoopback
	}
	typ := syscall.SOCK_RAW
	l.linkType = layers.LinkTypeEthernet
	if l.cooked {
		typ = syscall.SOCK_DGRAM
		l.linkType = layers.LinkTypeLinuxSLL
	}
	_ = hatype
	fd, err := syscall.Socket(syscall.AF_PACKET, typ|syscall.SOCK_CLOEXEC|syscall.SOCK_NONBLOCK, 0)
	if err != nil {
		return err
	}
	l.fd = fd
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1); err != nil {
		return fmt.Errorf("SO_TIMESTAMPNS: %w", err)
	}
	if l.loopback {
		if err := syscall.SetsockoptInt(fd, syscall.SOL_PACKET, packetIgnoreOutgoing, 1); err != nil {
			l.dropOut = true // older kernel: drop the outgoing copies in Next
		}
	}
	// A larger receive buffer absorbs bursts while the reader is busy; as root,
	// beyond net.core.rmem_max.
	if syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, 8<<20) != nil {
		_ = syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, 8<<20)
	}
	sa := &syscall.SockaddrLinklayer{Protocol: htons(ethPAll), Ifindex: int(l.ifindex)}
	if err := syscall.Bind(fd, sa); err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		return err
	}
	l.wake = p
	l.buf = make([]byte, sllHeaderLen+l.snaplen)
	l.oob = make([]byte, syscall.CmsgSpace(16)*2)
	return nil
}

// ifInfo returns the index and hardware type (ARPHRD_*) of the interface name,
// asked of the network namespace the socket fd belongs to.
func ifInfo(fd int, name string) (int32, uint16, error) {
	if len(name) == 0 || len(name) >= syscall.IFNAMSIZ {
		return 0, 0, fmt.Errorf("no such interface")
	}
	var ifr [40]byte
	copy(ifr[:], name)
	if err := ioctl(fd, siocGIFINDEX, unsafe.Pointer(&ifr)); err != nil {
		if errors.Is(err, syscall.ENODEV) {
			return 0, 0, fmt.Errorf("no such interface")
		}
		return 0, 0, fmt.Errorf("interface index: %w", err)
	}
	idx := int32(binary.NativeEndian.Uint32(ifr[16:20]))
	if err := ioctl(fd, siocGIFHWADDR, unsafe.Pointer(&ifr)); err != nil {
		return 0, 0, fmt.Errorf("interface hardware type: %w", err)
	}
	return idx, binary.NativeEndian.Uint16(ifr[16:18]), nil
}

func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(arg)); e != 0 {
		return e
	}
	return nil
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// LinkType is the link type of the frames Next returns: Ethernet for Ethernet
// and loopback interfaces, Linux cooked (SLL) for "any" and other interfaces.
func (l *Live) LinkType() layers.LinkType { return l.linkType }

// Next waits for the next packet and returns it. Its Data is valid until the
// next call. After Stop it returns the packets already queued, then io.EOF; after
// Close it returns io.EOF at once, also when it was waiting.
func (l *Live) Next() (Frame, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if l.closed || l.closing.Load() {
			return Frame{}, io.EOF
		}
		stopping := l.stopping.Load()
		if stopping && l.drainEnd.IsZero() {
			l.drainEnd = time.Now().Add(drainLimit)
		}
		if stopping && time.Now().After(l.drainEnd) {
			return Frame{}, io.EOF
		}
		fr, ok, err := l.recv()
		if err == syscall.EAGAIN {
			if stopping {
				return Frame{}, io.EOF
			}
			if err := l.poll(); err != nil {
				return Frame{}, err
			}
			continue
		}
		if err != nil {
			return Frame{}, fmt.Errorf("live capture on %q: %w", l.iface, err)
		}
		if !ok {
			continue
		}
		if l.filter != nil && !l.filter(fr) {
			continue
		}
		return fr, nil
	}
}

// poll waits until the socket is readable, Stop or Close wakes it, or
// pollInterval passes.
func (l *Live) poll() error {
	type pollFd struct {
		fd      int32
		events  int16
		revents int16
	}
	fds := [2]pollFd{{fd: int32(l.fd), events: pollIn}, {fd: int32(l.wake[0]), events: pollIn}}
	ts := syscall.NsecToTimespec(int64(pollInterval))
	_, _, e := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), 2, uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
	if e != 0 && e != syscall.EINTR {
		return fmt.Errorf("live capture on %q: poll: %w", l.iface, e)
	}
	return nil
}

// recv reads one packet without blocking. ok is false for a packet Next skips.
func (l *Live) recv() (Frame, bool, error) {
	data := l.buf
	if l.cooked {
		data = l.buf[sllHeaderLen:]
	}
	var iov syscall.Iovec
	iov.Base = &data[0]
	iov.SetLen(len(data))
	var msg syscall.Msghdr
	msg.Name = (*byte)(unsafe.Pointer(&l.from))
	msg.Namelen = uint32(unsafe.Sizeof(l.from))
	msg.Iov = &iov
	msg.Iovlen = 1
	msg.Control = &l.oob[0]
	msg.SetControllen(len(l.oob))
	r, _, e := syscall.Syscall(syscall.SYS_RECVMSG, uintptr(l.fd), uintptr(unsafe.Pointer(&msg)), syscall.MSG_TRUNC)
	if e != 0 {
		if e == syscall.EINTR {
			return Frame{}, false, nil
		}
		return Frame{}, false, e
	}
	if l.from.Pkttype == packetOutgoing && (l.dropOut || l.from.Hatype == arphrdLoopback) {
		// The incoming copy of the same packet follows. (On "any", loopback
		// traffic arrives in both copies too: keep one there as well.)
		return Frame{}, false, nil
	}
	length := int(r) // with MSG_TRUNC, the packet's full length
	capLen := min(length, len(data), l.snaplen)
	ts := l.timestamp(l.oob[:msg.Controllen])
	fr := Frame{LinkType: l.linkType, HasInterface: true}
	if l.cooked {
		h := l.buf[:sllHeaderLen]
		binary.BigEndian.PutUint16(h[0:2], uint16(l.from.Pkttype))
		binary.BigEndian.PutUint16(h[2:4], l.from.Hatype)
		binary.BigEndian.PutUint16(h[4:6], uint16(l.from.Halen))
		clear(h[6:14])
		copy(h[6:14], l.from.Addr[:min(int(l.from.Halen), 8)])
		binary.BigEndian.PutUint16(h[14:16], htons(l.from.Protocol))
		capLen = min(capLen+sllHeaderLen, l.snaplen)
		length += sllHeaderLen
		fr.Data = l.buf[:capLen]
	} else {
		fr.Data = l.buf[:capLen]
	}
	fr.Info.Timestamp = ts
	fr.Info.CaptureLength = capLen
	fr.Info.Length = length
	return fr, true, nil
}

// timestamp finds the SCM_TIMESTAMPNS control message; without one it is now.
func (l *Live) timestamp(oob []byte) time.Time {
	hdr := int(unsafe.Sizeof(syscall.Cmsghdr{}))
	for len(oob) >= hdr {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[0]))
		n := int(h.Len)
		if n < hdr || n > len(oob) {
			break
		}
		if h.Level == syscall.SOL_SOCKET && h.Type == syscall.SCM_TIMESTAMPNS && n >= hdr+16 {
			sec := int64(binary.NativeEndian.Uint64(oob[hdr:]))
			nsec := int64(binary.NativeEndian.Uint64(oob[hdr+8:]))
			return time.Unix(sec, nsec)
		}
		step := syscall.CmsgSpace(n - hdr)
		if step > len(oob) {
			break
		}
		oob = oob[step:]
	}
	return time.Now()
}

// Stop ends the capture gracefully: Next returns the packets the kernel already
// queued (for at most a second of continuing traffic), then io.EOF. Stop wakes a
// Next that is waiting.
func (l *Live) Stop() {
	if !l.stopping.Swap(true) {
		l.wakeUp()
	}
}

func (l *Live) wakeUp() {
	if l.wake[1] >= 0 {
		syscall.Write(l.wake[1], []byte{1})
	}
}

// Close ends the capture at once and releases the socket. A Next waiting in
// another goroutine returns io.EOF promptly. Stats stay readable after Close.
func (l *Live) Close() error {
	if l.closing.Swap(true) {
		return nil
	}
	l.wakeUp()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.statsMu.Lock()
	l.readStats()
	l.fdClosed = true
	l.statsMu.Unlock()
	l.closeFDs()
	return nil
}

func (l *Live) closeFDs() {
	for _, fd := range []*int{&l.fd, &l.wake[0], &l.wake[1]} {
		if *fd >= 0 {
			syscall.Close(*fd)
			*fd = -1
		}
	}
}

// Stats returns how many packets the kernel handed to the capture and how many
// it dropped because the reader fell behind, since OpenLive.
func (l *Live) Stats() (received, dropped uint64) {
	l.statsMu.Lock()
	defer l.statsMu.Unlock()
	if !l.fdClosed {
		l.readStats()
	}
	return l.received, l.dropped
}

// readStats adds the kernel's counters, which reset on every read, to the totals.
// The caller holds statsMu.
func (l *Live) readStats() {
	var st struct{ packets, drops uint32 }
	n := uint32(unsafe.Sizeof(st))
	_, _, e := syscall.Syscall6(syscall.SYS_GETSOCKOPT, uintptr(l.fd), syscall.SOL_PACKET, packetStatistics,
		uintptr(unsafe.Pointer(&st)), uintptr(unsafe.Pointer(&n)), 0)
	if e != 0 {
		return
	}
	l.received += uint64(st.packets) // the kernel's count includes the drops
	l.dropped += uint64(st.drops)
}
