package capture

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ioNeedRoot skips a test that needs root, or fails it when CI is set.
func ioNeedRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("live capture tests need root in CI")
		}
		t.Skip("live capture needs root (run the tests as root, or with CI set to require them)")
	}
}

// ioInNetns runs fn on a thread of its own inside a new network namespace whose
// loopback is up, so parallel tests never see each other's packets. Sockets fn
// creates belong to that namespace and may be used from any goroutine.
func ioInNetns(t *testing.T, fn func() error) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		// Never unlocked: the thread leaves with the goroutine instead of
		// returning to the pool inside the namespace.
		runtime.LockOSThread()
		if err := syscall.Unshare(syscall.CLONE_NEWNET); err != nil {
			errc <- err
			return
		}
		if err := ioLinkUp("lo"); err != nil {
			errc <- err
			return
		}
		errc <- fn()
	}()
	if err := <-errc; err != nil {
		if errors.Is(err, syscall.EPERM) && os.Getenv("CI") == "" {
			t.Skipf("no network namespace: %v", err)
		}
		t.Fatal(err)
	}
}

// ioLinkUp sets IFF_UP on the interface name in the current thread's namespace.
func ioLinkUp(name string) error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	var ifr [40]byte
	copy(ifr[:], name)
	if err := ioctl(fd, syscall.SIOCGIFFLAGS, unsafe.Pointer(&ifr)); err != nil {
		return err
	}
	*(*uint16)(unsafe.Pointer(&ifr[16])) |= syscall.IFF_UP
	return ioctl(fd, syscall.SIOCSIFFLAGS, unsafe.Pointer(&ifr))
}

type ioLiveFrame struct {
	data []byte
	ts   time.Time
	lt   layers.LinkType
}

// ioCollect reads l until Next fails, sending copies of the frames to the
// returned channel, which is closed at the end; the error goes to errc.
func ioCollect(l *Live) (<-chan ioLiveFrame, <-chan error) {
	frames := make(chan ioLiveFrame, 1024)
	errc := make(chan error, 1)
	go func() {
		defer close(frames)
		for {
			fr, err := l.Next()
			if err != nil {
				errc <- err
				return
			}
			frames <- ioLiveFrame{bytes.Clone(fr.Data), fr.Info.Timestamp, fr.LinkType}
		}
	}()
	return frames, errc
}

func TestLiveLoopbackTCP(t *testing.T) {
	ioNeedRoot(t)
	var l *Live
	var server, client net.Addr
	start := time.Now()
	ioInNetns(t, func() error {
		var err error
		l, err = OpenLive("lo", LiveOptions{})
		if err != nil {
			return err
		}
		// Everything after OpenLive returns is captured: no wait before traffic.
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer ln.Close()
		done := make(chan error, 1)
		go func() {
			c, err := ln.Accept()
			if err != nil {
				done <- err
				return
			}
			defer c.Close()
			buf := make([]byte, 4)
			if _, err := io.ReadFull(c, buf); err != nil {
				done <- err
				return
			}
			_, err = c.Write([]byte("pong"))
			done <- err
		}()
		c, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			return err
		}
		server, client = ln.Addr(), c.LocalAddr()
		if _, err := c.Write([]byte("ping")); err != nil {
			return err
		}
		if _, err := io.ReadAll(c); err != nil {
			return err
		}
		c.Close()
		return <-done
	})
	defer l.Close()
	if l.LinkType() != layers.LinkTypeEthernet {
		t.Errorf("link type %v, want Ethernet", l.LinkType())
	}
	sport := uint16(server.(*net.TCPAddr).Port)
	cport := uint16(client.(*net.TCPAddr).Port)

	frames, errc := ioCollect(l)
	var syn, synack, ping, pong, cfin, sfin int
	var lastFin uint32 // sequence number of the second FIN
	var lastFinFrom uint16
	seen := map[string]int{}
	deadline := time.After(time.Minute) // a hang guard, not a timing
	finished := false
	for !finished {
		var fr ioLiveFrame
		select {
		case fr = <-frames:
		case err := <-errc:
			t.Fatalf("Next: %v", err)
		case <-deadline:
			t.Fatalf("teardown not captured within a minute (syn %d synack %d ping %d pong %d fins %d/%d)", syn, synack, ping, pong, cfin, sfin)
		}
		if fr.lt != layers.LinkTypeEthernet || fr.ts.Before(start.Add(-time.Second)) || fr.ts.After(time.Now().Add(time.Second)) {
			t.Errorf("frame link type %v, time %v", fr.lt, fr.ts)
		}
		seen[string(fr.data)]++
		pkt := gopacket.NewPacket(fr.data, layers.LayerTypeEthernet, gopacket.NoCopy)
		tcp, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tcp == nil {
			t.Errorf("a frame that is not TCP: %v", pkt)
			continue
		}
		from := uint16(tcp.SrcPort)
		if from != sport && from != cport {
			t.Errorf("a frame of another connection: %v", pkt)
			continue
		}
		switch {
		case tcp.SYN && !tcp.ACK:
			syn++
		case tcp.SYN && tcp.ACK:
			synack++
		}
		switch string(tcp.Payload) {
		case "ping":
			ping++
		case "pong":
			pong++
		}
		if tcp.FIN {
			if from == cport {
				cfin++
			} else {
				sfin++
			}
			if cfin > 0 && sfin > 0 {
				lastFin, lastFinFrom = tcp.Seq, from
			}
		}
		if cfin > 0 && sfin > 0 && from != lastFinFrom && tcp.ACK && tcp.Ack == lastFin+1 {
			finished = true // the last ACK of the teardown
		}
	}
	// Stop drains what the kernel still holds: a late duplicate would show here.
	l.Stop()
	for fr := range frames {
		seen[string(fr.data)]++
	}
	if err := <-errc; err != io.EOF {
		t.Errorf("Next after Stop: %v, want io.EOF", err)
	}
	if syn != 1 || synack != 1 || ping != 1 || pong != 1 || cfin != 1 || sfin != 1 {
		t.Errorf("got %d SYN, %d SYN-ACK, %d ping, %d pong, %d client FIN, %d server FIN; want one of each", syn, synack, ping, pong, cfin, sfin)
	}
	for data, n := range seen {
		if n != 1 {
			t.Errorf("a frame captured %d times (loopback copies not deduplicated): % x", n, data[:min(len(data), 64)])
		}
	}
	recv, drop := l.Stats()
	if recv < uint64(len(seen)) || drop != 0 {
		t.Errorf("Stats() = %d received, %d dropped; want at least %d received, none dropped", recv, drop, len(seen))
	}
}

func TestLiveCloseUnblocksNext(t *testing.T) {
	ioNeedRoot(t)
	var l *Live
	ioInNetns(t, func() error {
		var err error
		l, err = OpenLive("lo", LiveOptions{Snaplen: 128})
		return err
	})
	_, errc := ioCollect(l)
	select {
	case err := <-errc:
		t.Fatalf("Next returned %v on a quiet interface", err)
	case <-time.After(50 * time.Millisecond):
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	select { // Next returning at all is the unblock; the minute is a hang guard
	case err := <-errc:
		if err != io.EOF {
			t.Errorf("Next after Close: %v, want io.EOF", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Next still blocked a minute after Close")
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	l.Stats() // readable after Close
}

func TestLiveSnaplenAndUDP(t *testing.T) {
	ioNeedRoot(t)
	var l *Live
	payload := bytes.Repeat([]byte("x"), 1000)
	ioInNetns(t, func() error {
		var err error
		l, err = OpenLive("lo", LiveOptions{Snaplen: 100})
		if err != nil {
			return err
		}
		pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer pc.Close()
		_, err = pc.WriteTo(payload, pc.LocalAddr())
		return err
	})
	defer l.Close()
	frames, errc := ioCollect(l)
	select {
	case fr := <-frames:
		if len(fr.data) != 100 {
			t.Errorf("captured %d bytes, want the snaplen 100", len(fr.data))
		}
	case err := <-errc:
		t.Fatal(err)
	case <-time.After(time.Minute): // a hang guard
		t.Fatal("the datagram was not captured")
	}
}

func TestOpenLiveErrors(t *testing.T) {
	ioNeedRoot(t)
	_, err := OpenLive("nosuch0", LiveOptions{})
	if err == nil || err.Error() != `live capture on "nosuch0": no such interface` {
		t.Errorf("err = %v", err)
	}
}

func TestLiveFilter(t *testing.T) {
	ioNeedRoot(t)
	var l *Live
	var port int
	ioInNetns(t, func() error {
		a, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer a.Close()
		b, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer b.Close()
		port = a.LocalAddr().(*net.UDPAddr).Port
		flt, err := CompileCapture("udp dst port " + strconv.Itoa(port))
		if err != nil {
			return err
		}
		if l, err = OpenLive("lo", LiveOptions{Filter: flt}); err != nil {
			return err
		}
		for _, m := range []string{"one", "two", "three"} {
			b.WriteTo([]byte("not me"), b.LocalAddr())
			if _, err := b.WriteTo([]byte(m), a.LocalAddr()); err != nil {
				return err
			}
		}
		return nil
	})
	defer l.Close()
	frames, errc := ioCollect(l)
	var got []string
	for len(got) < 3 {
		select {
		case fr := <-frames:
			pkt := gopacket.NewPacket(fr.data, layers.LayerTypeEthernet, gopacket.NoCopy)
			udp, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
			if udp == nil || int(udp.DstPort) != port {
				t.Fatalf("the filter let through %v", pkt)
			}
			got = append(got, string(udp.Payload))
		case err := <-errc:
			t.Fatal(err)
		case <-time.After(time.Minute): // a hang guard
			t.Fatalf("got %q within a minute, want 3 datagrams", got)
		}
	}
	l.Stop()
	for fr := range frames {
		t.Errorf("an extra frame passed the filter: % x", fr.data)
	}
	if strings.Join(got, ",") != "one,two,three" {
		t.Errorf("payloads %q", got)
	}
	if recv, _ := l.Stats(); recv < 6 {
		t.Errorf("Stats received %d, want at least the 6 datagrams the filter saw", recv)
	}
}

func TestLiveAnyCookedOnce(t *testing.T) {
	ioNeedRoot(t)
	var l *Live
	ioInNetns(t, func() error {
		var err error
		if l, err = OpenLive("any", LiveOptions{}); err != nil {
			return err
		}
		pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer pc.Close()
		for _, m := range []string{"a", "b", "c"} {
			if _, err := pc.WriteTo([]byte(m), pc.LocalAddr()); err != nil {
				return err
			}
		}
		return nil
	})
	defer l.Close()
	if l.LinkType() != layers.LinkTypeLinuxSLL {
		t.Errorf("link type %v, want Linux SLL", l.LinkType())
	}
	frames, errc := ioCollect(l)
	var got []string
	for len(got) < 3 {
		select {
		case fr := <-frames:
			pkt := gopacket.NewPacket(fr.data, layers.LayerTypeLinuxSLL, gopacket.NoCopy)
			udp, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
			if udp == nil {
				t.Fatalf("not UDP in SLL: %v", pkt)
			}
			got = append(got, string(udp.Payload))
		case err := <-errc:
			t.Fatal(err)
		case <-time.After(time.Minute): // a hang guard
			t.Fatalf("got %q within a minute", got)
		}
	}
	l.Stop()
	for fr := range frames {
		t.Errorf("an extra frame (a second loopback copy?): % x", fr.data)
	}
	if strings.Join(got, "") != "abc" {
		t.Errorf("payloads %q, want a b c once each", got)
	}
}
