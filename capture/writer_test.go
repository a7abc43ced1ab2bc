package capture

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// ioComments returns the opt_comment values of every enhanced packet block of a
// little-endian pcapng file, in order, so the test checks what Wireshark reads
// without needing Wireshark.
func ioComments(t *testing.T, b []byte) [][]string {
	t.Helper()
	var out [][]string
	le := binary.LittleEndian
	for len(b) >= 12 {
		typ, total := le.Uint32(b), le.Uint32(b[4:])
		if total < 12 || int(total) > len(b) {
			t.Fatalf("bad block length %d", total)
		}
		if typ == blockEPB {
			body := b[8 : total-4]
			capLen := le.Uint32(body[12:])
			opts := body[20+(capLen+3)&^3:]
			var cs []string
			for len(opts) >= 4 {
				code, n := le.Uint16(opts), int(le.Uint16(opts[2:]))
				if code == 0 {
					break
				}
				if code == optComment {
					cs = append(cs, string(opts[4:4+n]))
				}
				opts = opts[4+(n+3)&^3:]
			}
			out = append(out, cs)
		}
		b = b[total:]
	}
	return out
}

func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	eth, err := w.AddInterface("eth0", layers.LinkTypeEthernet, 65535)
	if err != nil {
		t.Fatal(err)
	}
	lo, err := w.AddInterface("lo", layers.LinkTypeRaw, 0)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", 40000) // 80000 bytes: cut at 65535 on a rune boundary
	frames := []struct {
		iface    int
		fr       Frame
		comments []string
	}{
		{eth, ioFrame(time.Unix(1700000000, 123456789), "abc", 60), nil},
		{lo, ioFrame(time.Unix(1700000001, 1), "defgh", 0), []string{"check: three-way handshake"}},
		{eth, ioFrame(time.Unix(1700000002, 999999999), "", 0), []string{"one", "two ✓"}},
		{lo, ioFrame(time.Unix(1700000003, 0), "x", 0), []string{long}},
	}
	for _, f := range frames {
		if err := w.WriteFrame(f.iface, f.fr, f.comments...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteFrame(2, frames[0].fr); err == nil {
		t.Error("WriteFrame on an interface never added succeeded")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}

	p := filepath.Join(t.TempDir(), "out.pcapng")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	lts := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw}
	for i, f := range frames {
		got, err := src.Next()
		if err != nil {
			t.Fatalf("frame %d: %v", i+1, err)
		}
		wantLen := max(f.fr.Info.Length, len(f.fr.Data))
		if string(got.Data) != string(f.fr.Data) || !got.Info.Timestamp.Equal(f.fr.Info.Timestamp) ||
			got.Info.InterfaceIndex != f.iface || got.LinkType != lts[f.iface] || got.Info.Length != wantLen {
			t.Errorf("frame %d = %q %v iface %d lt %v len %d; want %q %v iface %d lt %v len %d", i+1,
				got.Data, got.Info.Timestamp, got.Info.InterfaceIndex, got.LinkType, got.Info.Length,
				f.fr.Data, f.fr.Info.Timestamp, f.iface, lts[f.iface], wantLen)
		}
	}
	if _, err := src.Next(); err != io.EOF {
		t.Errorf("after the last frame: %v, want io.EOF", err)
	}

	cs := ioComments(t, buf.Bytes())
	if len(cs) != len(frames) {
		t.Fatalf("%d packet blocks, want %d", len(cs), len(frames))
	}
	for i, f := range frames {
		want := f.comments
		if i == 3 {
			want = []string{strings.Repeat("é", 32767)}
		}
		if strings.Join(cs[i], "|") != strings.Join(want, "|") {
			t.Errorf("frame %d comments = %.40q, want %.40q", i+1, cs[i], want)
		}
	}
}

func ioFrame(ts time.Time, data string, length int) Frame {
	fr := Frame{Data: []byte(data)}
	fr.Info.Timestamp = ts
	fr.Info.CaptureLength = len(data)
	fr.Info.Length = length
	return fr
}
