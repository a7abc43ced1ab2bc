package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Issue 15's bugs in the packet engine, each against tshark where it has an
// answer.

// TestHEADResponseCompletes: the response to HEAD announces a Content-Length
// but carries no body; it is complete with its headers (it used to wait for
// the body forever), and the next response on the connection decodes too.
func TestHEADResponseCompletes(t *testing.T) {
	needTshark(t)
	c, s := true, false
	path := writeDialogue(t, t.TempDir(), "head", 40010, 80, dialogue{
		{c, "HEAD /big.iso HTTP/1.1\r\nHost: h\r\n\r\n"},
		{s, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 734003200\r\n\r\n"},
		{c, "GET /small HTTP/1.1\r\nHost: h\r\n\r\n"},
		{s, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"},
	})
	compareLive(t, path, []string{"frame.protocols", "http.request.method", "http.response.code", "http.content_length"}, true, nil)
	compareFilters(t, path, []string{"http.response", "http.response.code == 200"})
}

// TestInterfaceAndComments: a pcap file has no frame.interface_id (tshark:
// absent, wirelab said 0); a pcapng file has it, and its packet comments read
// back as frame.comment.
func TestInterfaceAndComments(t *testing.T) {
	needTshark(t)
	dir := t.TempDir()
	frames := dialogueFrames(t, 40011, 7, dialogue{{true, "ping\n"}, {false, "pong\n"}})
	pcap := filepath.Join(dir, "plain.pcap")
	writePcap(t, pcap, layers.LinkTypeEthernet, frames)
	for _, p := range decodeFile(t, pcap) {
		if s := p.Strings("frame.interface_id"); s != nil {
			t.Fatalf("pcap frame %d: frame.interface_id %q", p.Number, s)
		}
	}
	compareLive(t, pcap, []string{"frame.interface_id", "frame.comment"}, false, nil)

	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a:eth0", "b:eth0"} {
		if _, err := w.AddInterface(name, layers.LinkTypeEthernet, 65535); err != nil {
			t.Fatal(err)
		}
	}
	for i, g := range frames {
		fr := Frame{Data: g.data, LinkType: g.lt, Info: gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(g.data), Length: len(g.data)}}
		var comments []string
		switch i {
		case 3:
			comments = []string{"check \"sends ping\" matched"}
		case 4:
			comments = []string{"first", "second, with a comma"}
		}
		if err := w.WriteFrame(i%2, fr, comments...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	ng := filepath.Join(dir, "commented.pcapng")
	if err := os.WriteFile(ng, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	pkts := decodeFile(t, ng)
	if got := strings.Join(pkts[4].Strings("frame.comment"), "|"); got != "first|second, with a comma" {
		t.Errorf("frame 5 comments read back as %q", got)
	}
	if got := pkts[1].Strings("frame.interface_id"); len(got) != 1 || got[0] != "1" {
		t.Errorf("frame 2 frame.interface_id = %q, want 1", got)
	}
	compareLive(t, ng, []string{"frame.interface_id", "frame.comment"}, false, nil)
	compareFilters(t, ng, []string{`frame.comment contains "ping"`, "frame.interface_id == 1"})
}

// TestOpenFileErrors: a directory is named as one (it was "is empty"); a
// gzip-compressed capture reads as the capture inside; a link type no one
// registered is an error, as tshark says (it printed blank lines).
func TestOpenFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenFile(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("OpenFile(directory) = %v", err)
	}

	plain := filepath.Join(dir, "x.pcap")
	writePcap(t, plain, layers.LinkTypeEthernet, dialogueFrames(t, 40012, 7, dialogue{{true, "hi\n"}}))
	raw, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(raw)
	zw.Close()
	gz := filepath.Join(dir, "x.pcap.gz")
	if err := os.WriteFile(gz, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := decodeFile(t, plain), decodeFile(t, gz)
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("gzip: %d packets, plain %d", len(b), len(a))
	}
	for i := range a {
		if a[i].Line() != b[i].Line() {
			t.Errorf("gzip frame %d: %q, plain %q", i+1, b[i].Line(), a[i].Line())
		}
	}
	if src, err := NewReader(bytes.NewReader(z.Bytes())); err != nil {
		t.Errorf("NewReader(gzip) = %v", err)
	} else {
		src.Close()
	}

	odd := append([]byte(nil), raw...)
	binary.LittleEndian.PutUint32(odd[20:], 4660)
	bad := filepath.Join(dir, "lt4660.pcap")
	if err := os.WriteFile(bad, odd, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(bad); err == nil || !strings.Contains(err.Error(), "link type 4660 is unknown") {
		t.Errorf("OpenFile(link type 4660) = %v", err)
	}
}

// TestHTTPPortsAsWireshark: 631 (IPP) and 3689 (DAAP) are HTTP ports in
// Wireshark too; a request split before its first line ends is reassembled
// there as on port 80.
func TestHTTPPortsAsWireshark(t *testing.T) {
	needTshark(t)
	c, s := true, false
	path := writeDialogue(t, t.TempDir(), "ipp", 40013, 631, dialogue{
		{c, "PO"}, {c, "ST /printers/lab HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"},
		{s, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
	})
	compareLive(t, path, []string{"frame.protocols", "http.request.method", "http.response.code"}, true, nil)
}
