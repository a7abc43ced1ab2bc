package capture

import (
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestConnectionStateIsBounded decodes 500,000 short TCP connections (SYN,
// SYN-ACK, RST) and requires the decoder's memory to stay bounded: it used to
// keep every conversation (148 MB for 500k connections).
func TestConnectionStateIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 1.5 million frames")
	}
	tmpl := tcpConv(t, 1, 80, 1, 1, false, []tcpSeg{{fromA: true, flags: "S"}, {flags: "SA", ack: 1}, {fromA: true, flags: "R", seq: 1}})
	d := NewDecoder()
	var p Packet
	var ms runtime.MemStats
	peak := uint64(0)
	const conns = 500000
	for c := 0; c < conns; c++ {
		for i, g := range tmpl {
			b := g.data
			// Client address 10.x.y.z and port vary: a new conversation each time.
			ip, port := 14+12, 14+20
			if i == 1 {
				ip, port = 14+16, 14+22
			}
			binary.BigEndian.PutUint16(b[ip:], uint16(0x0a00|c>>16))
			binary.BigEndian.PutUint16(b[ip+2:], uint16(c))
			binary.BigEndian.PutUint16(b[port:], uint16(1024+c%60000))
			d.DecodeInto(Frame{Data: b, LinkType: layers.LinkTypeEthernet}, &p)
		}
		if c%50000 == 49999 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	if p.tcp.stream != conns-1 {
		t.Errorf("last connection is tcp.stream %d, want %d", p.tcp.stream, conns-1)
	}
	t.Logf("%d connections: peak heap in use %.1f MiB", conns, float64(peak)/(1<<20))
	if peak > 48<<20 {
		t.Errorf("decoder holds %.1f MiB after %d connections", float64(peak)/(1<<20), conns)
	}
}
