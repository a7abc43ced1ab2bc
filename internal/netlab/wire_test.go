//go:build linux

package netlab

import (
	"encoding/binary"
	"net"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

// wired is twoHosts with the client's eth0 impaired both ways.
func wired(out, in *Impairment, seed int64) Spec {
	s := twoHosts()
	s.Links = []Link{{Point: "client:eth0", Seed: seed, Out: out, In: in}}
	return s
}

func build(t *testing.T, s Spec) *Lab {
	t.Helper()
	l, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l
}

// dial connects from the client to a server listener that accepts and
// writes back what it reads; it returns the connection and how long the
// handshake took.
func dial(t *testing.T, l *Lab) (net.Conn, time.Duration) {
	t.Helper()
	ln := listenIn(t, l.Host("server"), "10.0.0.20:7000")
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				buf := make([]byte, 64<<10)
				for {
					n, err := c.Read(buf)
					if err != nil {
						c.Close()
						return
					}
					c.Write(buf[:n])
				}
			}()
		}
	}()
	var c net.Conn
	start := time.Now()
	if err := l.Host("client").Do(func() error {
		var err error
		c, err = net.DialTimeout("tcp", "10.0.0.20:7000", 10*time.Second)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, time.Since(start)
}

func echo(t *testing.T, c net.Conn, n int) {
	t.Helper()
	msg := make([]byte, n)
	for i := range msg {
		msg[i] = byte(i)
	}
	go c.Write(msg)
	got := make([]byte, n)
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	for off := 0; off < n; {
		k, err := c.Read(got[off:])
		if err != nil {
			t.Fatalf("echo after %d of %d bytes: %v", off, n, err)
		}
		off += k
	}
	if !slices.Equal(got, msg) {
		t.Fatal("the echo differs")
	}
}

// An unimpaired wire carries a TCP exchange of many segments unchanged, each
// way, and the frames it read are real frames (no offload super-frames).
func TestWireCarries(t *testing.T) {
	needRoot(t)
	l := build(t, wired(nil, nil, 1))
	c, _ := dial(t, l)
	echo(t, c, 300_000)
	// The last frames (ACKs) may still be on the wire: wait until it is
	// idle, every frame read also written.
	out, in, ok := l.WireStats("client:eth0")
	for end := time.Now().Add(5 * time.Second); ok && (out.Sent != out.Frames || in.Sent != in.Frames) && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
		out, in, ok = l.WireStats("client:eth0")
	}
	if !ok || out.Frames < 200 || in.Frames < 200 || out.Sent != out.Frames || in.Sent != in.Frames || out.WriteErrors+in.WriteErrors > 0 {
		t.Errorf("out %+v in %+v", out, in)
	}
}

// A scripted drop of the first SYN-ACK: the client's kernel sends its SYN
// again (after a second), the server its SYN-ACK, and the connection stands.
func TestWireDropsFirstSynAck(t *testing.T) {
	needRoot(t)
	l := build(t, wired(nil, &Impairment{Rules: []WireRule{
		{Action: WireDrop, Match: "tcp.flags.syn == 1 && tcp.flags.ack == 1"},
	}}, 1))
	c, took := dial(t, l)
	echo(t, c, 1000)
	_, in, _ := l.WireStats("client:eth0")
	if in.RuleDrops != 1 {
		t.Errorf("in %+v: want exactly one frame dropped", in)
	}
	if took < 900*time.Millisecond {
		t.Errorf("the handshake took %v: the SYN-ACK was not dropped (a SYN is resent after 1 s)", took)
	}
}

// Delay each way adds up in the handshake, and a rate limit bounds the
// throughput from below in time.
func TestWireDelayAndRate(t *testing.T) {
	needRoot(t)
	l := build(t, wired(&Impairment{Delay: 100 * time.Millisecond, Jitter: 20 * time.Millisecond}, &Impairment{Delay: 100 * time.Millisecond, Rate: 2_000_000}, 1))
	c, took := dial(t, l)
	if took < 160*time.Millisecond {
		t.Errorf("the handshake took %v through 2 × 100 ms ± 20 ms", took)
	}
	start := time.Now()
	echo(t, c, 250_000) // 2 Mbit/s: at least 1 s for 250 kB back
	if d := time.Since(start); d < time.Second {
		t.Errorf("250 kB came back in %v over 2 Mbit/s", d)
	}
}

// udpThrough sends n numbered datagrams from client to server and returns
// the numbers that arrived, in arrival order. A static ARP entry keeps ARP
// out of the frames the wire draws for.
func udpThrough(t *testing.T, l *Lab, n int) []int {
	t.Helper()
	err := l.Host("client").Do(func() error {
		h, err := netlink.NewHandle()
		if err != nil {
			return err
		}
		defer h.Close()
		eth, err := h.LinkByName("eth0")
		if err != nil {
			return err
		}
		return h.NeighAdd(&netlink.Neigh{LinkIndex: eth.Attrs().Index, State: netlink.NUD_PERMANENT,
			IP: net.IPv4(10, 0, 0, 20), HardwareAddr: net.HardwareAddr{2, 0, 10, 0, 0, 20}})
	})
	if err != nil {
		t.Fatal(err)
	}
	var srv, cli net.PacketConn
	l.Host("server").Do(func() error { srv, err = net.ListenPacket("udp", "10.0.0.20:7001"); return err })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// Room for every datagram even if the reader below is slow to run (a
	// loaded machine): a full buffer would drop some and look like loss.
	if rc, err := srv.(*net.UDPConn).SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, 8<<20)
		})
	}
	l.Host("client").Do(func() error { cli, err = net.ListenPacket("udp", "10.0.0.10:0"); return err })
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	// The server reads while the client sends.
	arrived := make(chan []int)
	go func() {
		var got []int
		buf := make([]byte, 100)
		for {
			srv.SetReadDeadline(time.Now().Add(time.Second))
			k, _, err := srv.ReadFrom(buf)
			if err != nil {
				break
			}
			if k == 4 {
				got = append(got, int(binary.BigEndian.Uint32(buf)))
			}
		}
		arrived <- got
	}()
	to := &net.UDPAddr{IP: net.IPv4(10, 0, 0, 20), Port: 7001}
	for i := range n {
		cli.WriteTo(binary.BigEndian.AppendUint32(nil, uint32(i)), to)
		if i%20 == 19 {
			time.Sleep(time.Millisecond) // keep the socket buffers from overflowing
		}
	}
	return <-arrived
}

// Random loss takes a seed: the same seed loses the same datagrams, run
// after run; another seed loses others.
func TestWireLossIsSeeded(t *testing.T) {
	needRoot(t)
	const n = 300
	run := func(seed int64) []int {
		l := build(t, wired(&Impairment{Loss: 0.3}, nil, seed))
		got := udpThrough(t, l, n)
		out, _, _ := l.WireStats("client:eth0")
		if out.Frames != n || out.Lost+out.Sent != n {
			t.Errorf("seed %d: out %+v, want %d frames", seed, out, n)
		}
		t.Logf("seed %d: out %+v, %d arrived", seed, out, len(got))
		return got
	}
	a, b, c := run(7), run(7), run(8)
	if len(a) < n/2 || len(a) > n*9/10 {
		t.Errorf("%d of %d arrived with 30%% loss", len(a), n)
	}
	if !slices.Equal(a, b) {
		t.Errorf("seed 7 twice: %d and %d arrived, not the same ones", len(a), len(b))
	}
	if slices.Equal(a, c) {
		t.Error("seeds 7 and 8 lost the same datagrams")
	}
	t.Logf("seed 7: %d of %d arrived (twice the same), seed 8: %d", len(a), n, len(c))
}

// Duplication sends a frame twice; reordering lets later frames overtake
// a held one; a rule may act on the nth match only.
func TestWireDuplicateReorderNth(t *testing.T) {
	needRoot(t)
	l := build(t, wired(&Impairment{Duplicate: 1, Rules: []WireRule{
		{Action: WireDrop, Match: "udp && data.data[0:4] == 00:00:00:03", Nth: []int{1}},
	}}, nil, 1))
	got := udpThrough(t, l, 10)
	want := []int{0, 0, 1, 1, 2, 2, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9}
	if !slices.Equal(got, want) {
		t.Errorf("duplicated, 3 dropped: %v, want %v", got, want)
	}
	l = build(t, wired(&Impairment{Reorder: 0.3}, nil, 3))
	got = udpThrough(t, l, 200)
	late := 0
	for i := 1; i < len(got); i++ {
		if got[i] < got[i-1] {
			late++
		}
	}
	out, _, _ := l.WireStats("client:eth0")
	if len(got) != 200 || late == 0 || out.Reordered == 0 {
		t.Errorf("reorder: %d arrived, %d overtaken, out %+v", len(got), late, out)
	}
}
