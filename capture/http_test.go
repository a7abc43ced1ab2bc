package capture

import (
	"strings"
	"testing"
)

func TestMessageLength(t *testing.T) {
	tests := []struct {
		name, msg string
		force     bool
		n, hdr    int
	}{
		{"request without body", "GET / HTTP/1.1\r\nHost: a\r\n\r\nextra", false, 27, 27},
		{"headers incomplete", "GET / HTTP/1.1\r\nHost: a\r\n", false, -1, -1},
		{"headers incomplete, forced", "GET / HTTP/1.1\r\nHost: a\r\n", true, 25, -1},
		{"content-length complete", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef", false, 41, 38},
		{"content-length short", "HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nabc", false, -1, 38},
		{"bare LF", "GET / HTTP/1.0\n\n", false, 16, 16},
		{"chunked complete", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nnext", false, 60, 47},
		{"chunked incomplete", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", false, -1, 47},
		{"204 has no body", "HTTP/1.1 204 No Content\r\n\r\nGET", false, 27, 27},
		{"response until close", "HTTP/1.0 200 OK\r\n\r\nbody", false, -1, 19},
		{"response until close, forced", "HTTP/1.0 200 OK\r\n\r\nbody", true, 23, 19},
		{"huge content-length", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", false, 57, 57},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m httpMsg
			n, hdr := messageLength(&m, []byte(tt.msg), tt.force)
			if n != tt.n || hdr != tt.hdr {
				t.Errorf("messageLength = %d, %d; want %d, %d", n, hdr, tt.n, tt.hdr)
			}
		})
	}
}

func TestParseHeaders(t *testing.T) {
	var m httpMsg
	parseHeaders(&m, []byte("GET /a%20b?q=1 HTTP/1.1\r\nHOST:  example.com \r\nUser-Agent: x/1\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"))
	if !m.request || string(m.method) != "GET" || string(m.uri) != "/a%20b?q=1" || string(m.version) != "HTTP/1.1" ||
		string(m.host) != "example.com" || string(m.ua) != "x/1" || !m.hasCL || m.clen != 12 || string(m.conn) != "close" {
		t.Errorf("request parsed as %+v", m)
	}
	m = httpMsg{}
	parseHeaders(&m, []byte("HTTP/1.1 404 Not Found\r\nServer: s\r\nLocation: /x\r\n\r\n"))
	if m.request || m.code != 404 || string(m.phrase) != "Not Found" || string(m.server) != "s" || string(m.location) != "/x" {
		t.Errorf("response parsed as %+v", m)
	}
}

// TestReassemblyIsBounded opens many connections that each send an endless
// header block: the decoder's buffers stay within maxReassemblyTotal, and each
// message within MaxReassembly.
func TestReassemblyIsBounded(t *testing.T) {
	d := NewDecoder()
	d.MaxReassembly = 64 << 10
	chunk := "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", 1400)
	cont := strings.Repeat("b", 1400)
	for c := 0; c < 300; c++ {
		segs := []tcpSeg{{fromA: true, flags: "S"}, {flags: "SA", ack: 1}, {fromA: true, flags: "A", seq: 1, ack: 1},
			{fromA: true, flags: "PA", seq: 1, ack: 1, payload: chunk}}
		seq := uint32(1 + len(chunk))
		for i := 0; i < 60; i++ {
			segs = append(segs, tcpSeg{fromA: true, flags: "PA", seq: seq, ack: 1, payload: cont})
			seq += uint32(len(cont))
		}
		var p Packet
		for _, g := range tcpConv(t, uint16(20000+c), 80, 1, 1, false, segs) {
			d.DecodeInto(Frame{Data: g.data, LinkType: g.lt}, &p)
		}
		if d.reasmBytes > maxReassemblyTotal {
			t.Fatalf("after %d connections %d bytes buffered", c+1, d.reasmBytes)
		}
	}
	total := 0
	for _, c := range d.streams.tcp {
		for i := range c.dir {
			if n := len(c.dir[i].http.buf); n > d.MaxReassembly {
				t.Errorf("one message buffers %d bytes", n)
			}
			total += len(c.dir[i].http.buf)
		}
	}
	if total != d.reasmBytes {
		t.Errorf("accounting: %d buffered, counter says %d", total, d.reasmBytes)
	}
}
