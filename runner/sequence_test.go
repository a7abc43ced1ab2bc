package runner

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// seg is one TCP segment of a built capture.
type seg struct {
	at       time.Duration // since the capture's start
	from     int           // client port; the server is 10.0.0.80:80
	toServer bool
	flags    string // "S", "SA", "A", "PA", "FA", "R"
	seq, ack uint32
	payload  string
}

// buildCapture writes segments between clients 10.0.0.10:PORT and the server
// 10.0.0.80:80 to a pcapng file in a temporary folder.
func buildCapture(t testing.TB, segs []seg) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "built.pcapng")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := capture.NewWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	iface, err := w.AddInterface("lab0", layers.LinkTypeEthernet, 65535)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cmac, smac := net.HardwareAddr{2, 0, 0, 0, 0, 10}, net.HardwareAddr{2, 0, 0, 0, 0, 80}
	for _, s := range segs {
		eth := &layers.Ethernet{SrcMAC: cmac, DstMAC: smac, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{10, 0, 0, 10}, DstIP: net.IP{10, 0, 0, 80}}
		tcp := &layers.TCP{SrcPort: layers.TCPPort(s.from), DstPort: 80, Seq: s.seq, Ack: s.ack, Window: 65535}
		if !s.toServer {
			eth.SrcMAC, eth.DstMAC = smac, cmac
			ip.SrcIP, ip.DstIP = ip.DstIP, ip.SrcIP
			tcp.SrcPort, tcp.DstPort = tcp.DstPort, tcp.SrcPort
		}
		if s.flags == "U" { // a UDP datagram between the same ports
			ip.Protocol = layers.IPProtocolUDP
			udp := &layers.UDP{SrcPort: layers.UDPPort(tcp.SrcPort), DstPort: layers.UDPPort(tcp.DstPort)}
			udp.SetNetworkLayerForChecksum(ip)
			buf := gopacket.NewSerializeBuffer()
			if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
				eth, ip, udp, gopacket.Payload(s.payload)); err != nil {
				t.Fatal(err)
			}
			writeSeg(t, w, iface, start.Add(s.at), buf.Bytes())
			continue
		}
		tcp.SYN = strings.Contains(s.flags, "S")
		tcp.ACK = strings.Contains(s.flags, "A")
		tcp.FIN = strings.Contains(s.flags, "F")
		tcp.RST = strings.Contains(s.flags, "R")
		tcp.PSH = strings.Contains(s.flags, "P")
		tcp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, tcp, gopacket.Payload(s.payload)); err != nil {
			t.Fatal(err)
		}
		writeSeg(t, w, iface, start.Add(s.at), buf.Bytes())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeSeg(t testing.TB, w *capture.Writer, iface int, at time.Time, data []byte) {
	t.Helper()
	fr := capture.Frame{Data: data, LinkType: layers.LinkTypeEthernet}
	fr.Info.Timestamp = at
	fr.Info.CaptureLength, fr.Info.Length = len(data), len(data)
	if err := w.WriteFrame(iface, fr); err != nil {
		t.Fatal(err)
	}
}

const ms = time.Millisecond

// handshakeLab is the DESIGN lab's handshake and request, on the built
// captures' addresses.
const handshakeLab = `lab: built
hosts:
  client: 10.0.0.10
  www: 10.0.0.80
checks:
  - name: handshake
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80
      - tcp.flags.syn == 1 && tcp.flags.ack == 1
      - tcp.flags.ack == 1 && tcp.flags.syn == 0 && tcp.len == 0
    within: 1s
  - name: request
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0
      - tcp.dstport == 80 && tcp.len > 0
      - tcp.srcport == 80 && tcp.len > 0
  - name: one connection
    packet: tcp.flags.syn == 1 && tcp.flags.ack == 0
    count: 1
`

func TestSequenceBuiltCaptures(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(handshakeLab), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		segs     []seg
		status   map[string]result.CheckStatus
		evidence map[string][]int
		message  map[string]string
	}{
		{
			name: "retransmissions",
			// The SYN is retransmitted; the handshake completes on the second one.
			// The request is retransmitted too.
			segs: []seg{
				{0, 40000, true, "S", 100, 0, ""},
				{1000 * ms, 40000, true, "S", 100, 0, ""},
				{1001 * ms, 40000, false, "SA", 500, 101, ""},
				{1002 * ms, 40000, true, "A", 101, 501, ""},
				{1003 * ms, 40000, true, "PA", 101, 501, "GET / HTTP/1.0\r\n\r\n"},
				{1203 * ms, 40000, true, "PA", 101, 501, "GET / HTTP/1.0\r\n\r\n"},
				{1204 * ms, 40000, false, "PA", 501, 119, "HTTP/1.0 200 OK\r\n\r\n"},
			},
			status: map[string]result.CheckStatus{"handshake": result.CheckPass, "request": result.CheckPass, "one connection": result.CheckFail},
			// From the first SYN the handshake takes 1.002s, beyond within 1s: the
			// retransmitted SYN (frame 2) starts the match. The request has no
			// within, so the earliest SYN wins.
			evidence: map[string][]int{"handshake": {2, 3, 4}, "request": {1, 5, 7}, "one connection": {1, 2}},
			message:  map[string]string{"one connection": "2 packets match tcp.flags.syn == 1 && tcp.flags.ack == 0, expected exactly 1"},
		},
		{
			name: "two interleaved connections",
			// Connection A (port 40001) never gets an answer to its request;
			// connection B (40002), opened in between, completes. Steps must stay
			// in one stream: A's SYN followed by B's response is not a match.
			segs: []seg{
				{0, 40001, true, "S", 1, 0, ""},
				{1 * ms, 40001, false, "SA", 9, 2, ""},
				{2 * ms, 40002, true, "S", 1, 0, ""},
				{3 * ms, 40001, true, "A", 2, 10, ""},
				{4 * ms, 40002, false, "SA", 9, 2, ""},
				{5 * ms, 40001, true, "PA", 2, 10, "GET /a HTTP/1.0\r\n\r\n"},
				{6 * ms, 40002, true, "A", 2, 10, ""},
				{7 * ms, 40002, true, "PA", 2, 10, "GET /b HTTP/1.0\r\n\r\n"},
				{8 * ms, 40002, false, "PA", 10, 21, "HTTP/1.0 200 OK\r\n\r\n"},
			},
			status:   map[string]result.CheckStatus{"handshake": result.CheckPass, "request": result.CheckPass},
			evidence: map[string][]int{"handshake": {1, 2, 4}, "request": {3, 8, 9}},
			message:  map[string]string{"request": "in tcp.stream 1"},
		},
		{
			name: "handshake never completes",
			segs: []seg{
				{0, 40003, true, "S", 1, 0, ""},
				{1 * ms, 40003, false, "SA", 9, 2, ""},
				{1001 * ms, 40003, false, "SA", 9, 2, ""},
				{3001 * ms, 40003, false, "SA", 9, 2, ""},
				{3002 * ms, 40003, true, "R", 2, 0, ""},
			},
			status:   map[string]result.CheckStatus{"handshake": result.CheckFail, "request": result.CheckFail, "one connection": result.CheckPass},
			evidence: map[string][]int{"handshake": {1, 2}, "request": {1}, "one connection": {1}},
			message: map[string]string{
				"handshake": "matched 2 of 3 steps (frames 1, 2 in tcp.stream 0); step 3 (tcp.flags.ack == 1 && tcp.flags.syn == 0 && tcp.len == 0) never followed frame 2",
				"request":   "matched 1 of 3 steps (frame 1 in tcp.stream 0); step 2",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := evalLab(t, lab, result.Artifacts{Capture: buildCapture(t, tt.segs)})
			for name, want := range tt.status {
				c := checkByName(t, res, name)
				if c.Status != want {
					t.Errorf("%s: %s (%s), want %s", name, c.Status, c.Message, want)
				}
				if ev, ok := tt.evidence[name]; ok && !reflect.DeepEqual(c.Evidence, ev) {
					t.Errorf("%s: evidence %v, want %v (%s)", name, c.Evidence, ev, c.Message)
				}
				if m, ok := tt.message[name]; ok && !strings.Contains(c.Message, m) {
					t.Errorf("%s: message %q lacks %q", name, c.Message, m)
				}
				if c.Status == result.CheckFail && c.Kind == KindSequence && len(c.Packets) == 0 {
					t.Errorf("%s: a broken sequence shows no packets", name)
				}
			}
		})
	}
}

// TestSequenceUDPAndSameStream: UDP steps stay in one udp.stream by default;
// same_stream: false lets steps come from different conversations.
func TestSequenceUDPAndSameStream(t *testing.T) {
	pcap := buildCapture(t, []seg{
		{0, 5001, true, "U", 0, 0, "query one"},
		{1 * ms, 5002, true, "U", 0, 0, "query two"},
		{2 * ms, 5002, false, "U", 0, 0, "answer two"},
		{3 * ms, 40000, true, "S", 1, 0, ""},
	})
	lab := loadText(t, `lab: udp
checks:
  - name: query then answer
    sequence:
      - udp.dstport == 80
      - udp.srcport == 80
  - name: first query answered
    sequence:
      - udp.dstport == 80 && udp.srcport == 5001
      - udp.srcport == 80
  - name: first query, any answer
    same_stream: false
    sequence:
      - udp.dstport == 80 && udp.srcport == 5001
      - udp.srcport == 80
  - name: mixed protocols span streams
    sequence:
      - udp.dstport == 80
      - tcp.flags.syn == 1
`, nil)
	res := evalLab(t, lab, result.Artifacts{Capture: pcap})
	want := []struct {
		status   result.CheckStatus
		evidence []int
		msg      string
	}{
		{result.CheckPass, []int{2, 3}, "in udp.stream 1"},
		{result.CheckFail, []int{1}, "matched 1 of 2 steps (frame 1 in udp.stream 0)"},
		{result.CheckPass, []int{1, 3}, "all 2 steps matched: frames 1, 3"},
		{result.CheckPass, []int{1, 4}, "frames 1, 4"},
	}
	for i, w := range want {
		c := res.Checks[i]
		if c.Status != w.status || !reflect.DeepEqual(c.Evidence, w.evidence) || !strings.Contains(c.Message, w.msg) {
			t.Errorf("%s: %s %v %q, want %s %v %q", c.Name, c.Status, c.Evidence, c.Message, w.status, w.evidence, w.msg)
		}
	}
	if !lab.Checks[0].SameStream || lab.Checks[2].SameStream || lab.Checks[3].SameStream {
		t.Errorf("same_stream: %v %v %v", lab.Checks[0].SameStream, lab.Checks[2].SameStream, lab.Checks[3].SameStream)
	}
}

// TestSequenceWithinNeedsLaterStep: the first packet matching step 2 leaves
// step 3 too far away, a later one does not; the sequence passes with it.
func TestSequenceWithinNeedsLaterStep(t *testing.T) {
	pcap := buildCapture(t, []seg{
		{0, 40000, true, "S", 1, 0, ""},
		{1 * ms, 40000, true, "PA", 2, 10, "first"},
		{50 * ms, 40000, true, "PA", 7, 10, "second"},
		{51 * ms, 40000, false, "PA", 10, 13, "answer"},
	})
	lab := loadText(t, `lab: within
checks:
  - name: answer soon after a request
    sequence:
      - tcp.flags.syn == 1
      - tcp.dstport == 80 && tcp.len > 0
      - {match: tcp.srcport == 80 && tcp.len > 0, within: 10ms}
`, nil)
	c := evalLab(t, lab, result.Artifacts{Capture: pcap}).Checks[0]
	if c.Status != result.CheckPass || !reflect.DeepEqual(c.Evidence, []int{1, 3, 4}) {
		t.Errorf("%s %v: %s", c.Status, c.Evidence, c.Message)
	}
}

// TestSequenceKeepsReachableLastMatches: of a run of the last step's matches
// (every pure ACK of a conversation), the watch keeps only the first after
// each match of the step before, per stream, which is all the search can
// reach; the verdict and evidence are those of keeping every match.
func TestSequenceKeepsReachableLastMatches(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(handshakeLab), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var segs []seg
	at := time.Duration(0)
	for _, port := range []int{40001, 40002} {
		segs = append(segs, seg{at, port, true, "S", 100, 0, ""}, seg{at + ms, port, false, "SA", 500, 101, ""})
		for i := 0; i < 300; i++ {
			segs = append(segs, seg{at + time.Duration(2+i)*ms, port, true, "A", 101, 501, ""})
		}
		at += time.Second
	}
	// A second SYN-ACK in the first stream (a retransmission) makes one
	// more ACK reachable.
	segs = append(segs, seg{at, 40001, false, "SA", 500, 101, ""}, seg{at + ms, 40001, true, "A", 101, 501, ""}, seg{at + 2*ms, 40001, true, "A", 101, 501, ""})
	pcap := buildCapture(t, segs)

	c := &lab.Checks[0]
	w := watchSequence(nil, c).(*seqWatch)
	ev := &evaluation{ctx: context.Background(), lab: lab, res: &result.Result{}, capture: pcap, watch: map[*Check]frameVisitor{}}
	if _, _, err := ev.scan([]frameVisitor{w}); err != nil {
		t.Fatal(err)
	}
	var kept []uint32
	for _, m := range w.lists[2] {
		kept = append(kept, m.num)
	}
	if want := []uint32{3, 305, 606}; !reflect.DeepEqual(kept, want) {
		t.Errorf("the last step kept frames %v, want %v (of %d pure ACKs)", kept, want, 602)
	}
	res := evalLab(t, lab, result.Artifacts{Capture: pcap})
	if h := checkByName(t, res, "handshake"); h.Status != result.CheckPass || !reflect.DeepEqual(h.Evidence, []int{1, 2, 3}) {
		t.Errorf("handshake: %s %v (%s)", h.Status, h.Evidence, h.Message)
	}
}
