package capture

import (
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// httpStream builds a synthetic HTTP capture: conns connections, each a
// handshake, a GET, an ACK, a 200 response with a body, an ACK and a close.
func httpStream(tb testing.TB, conns int) []Frame {
	var frames []Frame
	req := "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\n\r\n"
	resp := "HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Type: text/html\r\nContent-Length: 36\r\n\r\n<html><body>Hello lab</body></html>\n"
	n := func(s string) uint32 { return uint32(len(s)) }
	ts := t0
	for c := 0; c < conns; c++ {
		segs := []tcpSeg{
			{fromA: true, flags: "S", opts: synOpts},
			{flags: "SA", ack: 1, opts: synOpts},
			{fromA: true, flags: "A", seq: 1, ack: 1},
			{fromA: true, flags: "PA", seq: 1, ack: 1, payload: req},
			{flags: "A", seq: 1, ack: 1 + n(req)},
			{flags: "PA", seq: 1, ack: 1 + n(req), payload: resp},
			{fromA: true, flags: "A", seq: 1 + n(req), ack: 1 + n(resp)},
			{fromA: true, flags: "FA", seq: 1 + n(req), ack: 1 + n(resp)},
			{flags: "FA", seq: 1 + n(resp), ack: 2 + n(req)},
			{fromA: true, flags: "A", seq: 2 + n(req), ack: 2 + n(resp)},
		}
		for _, g := range tcpConv(tb, uint16(10000+c%50000), 80, uint32(c)*7919, uint32(c)*104729, false, segs) {
			ts = ts.Add(10 * time.Microsecond)
			frames = append(frames, Frame{Data: g.data, LinkType: g.lt, Info: gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(g.data), Length: len(g.data)}})
		}
	}
	return frames
}

// TestDecodeIntoAllocatesNothing asserts the streaming path: decoding the link,
// network and transport layers into a reused Packet allocates nothing.
func TestDecodeIntoAllocatesNothing(t *testing.T) {
	frames := httpStream(t, 1)
	d := NewDecoder()
	var p Packet
	for _, fr := range frames {
		d.DecodeInto(fr, &p) // conversation state and buffers exist from here on
	}
	f, err := Compile("tcp.port == 80 && ip.src == 10.0.0.0/8 && tcp.flags.syn == 1")
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 2, 4, 6, 9} { // SYN, ACK and FIN (BenchmarkDecodeHTTP covers payloads: 0 allocs/op)
		fr := frames[i]
		allocs := testing.AllocsPerRun(200, func() {
			d.DecodeInto(fr, &p)
			f.Match(&p)
		})
		if allocs != 0 {
			t.Errorf("frame %d: DecodeInto+Match allocates %.1f times per packet", i+1, allocs)
		}
	}
}

// benchDecode decodes and filters an HTTP stream; headers sets HeadersOnly
// when the filter allows it (as wirelab packets --count does).
func benchDecode(b *testing.B, expr string, headers bool) {
	frames := httpStream(b, 1000)
	var f *filter.Filter
	if expr != "" {
		var err error
		if f, err = Compile(expr); err != nil {
			b.Fatal(err)
		}
	}
	var p Packet
	headers = headers && HeadersSuffice(f)
	newDecoder := func() *Decoder {
		d := NewDecoder()
		d.HeadersOnly = headers
		return d
	}
	d := newDecoder()
	b.ReportAllocs()
	b.ResetTimer()
	matched := 0
	for i := 0; i < b.N; i++ {
		if i%len(frames) == 0 {
			d = newDecoder()
		}
		d.DecodeInto(frames[i%len(frames)], &p)
		if f != nil && f.Match(&p) {
			matched++
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkt/s")
	_ = matched
}

const benchL4 = "tcp.port == 80 && tcp.flags.syn == 1 && ip.dst == 10.0.0.80"

// BenchmarkDecodeL4 is decoding plus an L2–L4 display filter, headers only.
func BenchmarkDecodeL4(b *testing.B) { benchDecode(b, benchL4, true) }

// BenchmarkDecodeL4Full is the same with every layer decoded.
func BenchmarkDecodeL4Full(b *testing.B) { benchDecode(b, benchL4, false) }

// BenchmarkDecodeHTTP is decoding plus an HTTP display filter.
func BenchmarkDecodeHTTP(b *testing.B) {
	benchDecode(b, `http.request.method == "GET" && http.host contains "example"`, true)
}

// BenchmarkDecodeOnly is decoding without a filter.
func BenchmarkDecodeOnly(b *testing.B) { benchDecode(b, "", false) }
