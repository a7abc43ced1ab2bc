package lualib

import (
	"github.com/wirelab-dev/wirelab/internal/testcorpus"

	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture"
)

// writeTinyCapture writes a pcapng of a handshake, a GET and a DNS-port UDP
// datagram to dir/name.
func writeTinyCapture(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := capture.NewWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	iface, err := w.AddInterface("eth0", layers.LinkTypeEthernet, 0)
	if err != nil {
		t.Fatal(err)
	}
	cmac, smac := net.HardwareAddr{2, 0, 0, 0, 0, 10}, net.HardwareAddr{2, 0, 0, 0, 0, 80}
	client, server := net.IPv4(10, 0, 0, 10).To4(), net.IPv4(10, 0, 0, 80).To4()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	type seg struct {
		fromClient bool
		syn, ack   bool
		seq, ackN  uint32
		payload    string
	}
	var frames [][]byte
	for _, s := range []seg{
		{true, true, false, 1000, 0, ""},
		{false, true, true, 5000, 1001, ""},
		{true, false, true, 1001, 5001, ""},
		{true, false, true, 1001, 5001, "GET / HTTP/1.0\r\n\r\n"},
	} {
		e := &layers.Ethernet{SrcMAC: cmac, DstMAC: smac, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: client, DstIP: server}
		tcp := &layers.TCP{SrcPort: 40000, DstPort: 80, Seq: s.seq, Ack: s.ackN, SYN: s.syn, ACK: s.ack, PSH: s.payload != "", Window: 502}
		if !s.fromClient {
			e.SrcMAC, e.DstMAC = smac, cmac
			ip.SrcIP, ip.DstIP = server, client
			tcp.SrcPort, tcp.DstPort = 80, 40000
		}
		tcp.SetNetworkLayerForChecksum(ip)
		frames = append(frames, serialize(t, e, ip, tcp, gopacket.Payload(s.payload)))
	}
	e := &layers.Ethernet{SrcMAC: cmac, DstMAC: smac, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: client, DstIP: server}
	udp := &layers.UDP{SrcPort: 40001, DstPort: 9999}
	udp.SetNetworkLayerForChecksum(ip)
	frames = append(frames, serialize(t, e, ip, udp, gopacket.Payload("hi")))
	for i, data := range frames {
		ci := gopacket.CaptureInfo{Timestamp: start.Add(time.Duration(i) * 10 * time.Millisecond), CaptureLength: len(data), Length: len(data)}
		if err := w.WriteFrame(iface, capture.Frame{Data: data, Info: ci, LinkType: layers.LinkTypeEthernet}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

func serialize(t *testing.T, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func TestCaptureLua(t *testing.T) {
	lab := t.TempDir()
	writeTinyCapture(t, filepath.Join(lab, "tiny.pcapng"))
	outside := t.TempDir()
	writeTinyCapture(t, filepath.Join(outside, "secret.pcapng"))
	if err := os.Symlink(filepath.Join(outside, "secret.pcapng"), filepath.Join(lab, "link.pcapng")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(lab, "notes.txt"), []byte("not a capture\n"), 0o644)

	args := map[string]any{"file": "tiny.pcapng", "outside": filepath.Join(outside, "secret.pcapng")}
	if os.Geteuid() == 0 {
		args["ssh"] = probeServe(t, func(c net.Conn) {
			io.WriteString(c, "SSH-2.0-wirelab_test\r\n")
			io.Copy(io.Discard, c)
		})
	} else if os.Getenv("CI") != "" {
		t.Error("live capture tests need root")
	}
	corpus := corpusDir(t)
	args["corpus"] = "http-get.pcap"
	runLuaTests(t, "testdata/probe_capture.lua", func(t *testing.T) *Env {
		return &Env{Args: args, LabDir: lab, Dirs: []string{corpus}}
	})
}

// corpusDir returns the captures folder of the shared test corpus; a missing
// one fails the test.
func corpusDir(t *testing.T) string {
	t.Helper()
	return filepath.Dir(testcorpus.Path(t, "captures/http-get.pcap"))
}

// TestCaptureClosedWithState checks State.Close releases the live captures and
// file iterations a script left open.
func TestCaptureClosedWithState(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("needs root for a live capture")
		}
		t.Skip("needs root for a live capture")
	}
	lab := t.TempDir()
	writeTinyCapture(t, filepath.Join(lab, "tiny.pcapng"))
	countFDs := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd")
		}
		return len(ents)
	}
	before := countFDs()
	s, err := NewState(&Env{LabDir: lab})
	if err != nil {
		t.Fatal(err)
	}
	err = s.DoString(`
		h = assert(capture.start{})
		r = assert(capture.open("tiny.pcapng"))
		for p in r:packets() do break end
	`, "leak.lua")
	if err != nil {
		t.Fatal(err)
	}
	if n := countFDs(); n <= before {
		t.Fatalf("no descriptors open during the script (%d, before %d)", n, before)
	}
	s.Close()
	if n := countFDs(); n != before {
		t.Errorf("%d descriptors open after Close, %d before", n, before)
	}
}
