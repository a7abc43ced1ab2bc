package capture

import (
	"errors"
	"path/filepath"
	"testing"
)

// ioNewFuzzDecoder returns what the fuzz targets do with each frame they read:
// decode it and print its summary line, as `wirelab packets` would.
func ioNewFuzzDecoder() func(Frame) {
	d := NewDecoder()
	var p Packet
	return func(fr Frame) {
		d.DecodeInto(fr, &p)
		_ = p.Line()
	}
}

func TestReadFile(t *testing.T) {
	pkts, err := ReadFile("testdata/io-http.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkts) != 6 {
		t.Fatalf("%d packets, want 6", len(pkts))
	}
	for i, p := range pkts {
		if p.Number != i+1 || p.Interface != i%2 {
			t.Errorf("packet %d: number %d interface %d", i+1, p.Number, p.Interface)
		}
	}
	if got := pkts[3].Strings("http.request.method"); len(got) != 1 || got[0] != "GET" {
		t.Errorf("packet 4 http.request.method = %q, want GET", got)
	}

	// A damaged copy: the packets before the damage, and the error.
	b := ioPcapFileBytes(t, "testdata/io-http.pcap")
	p := ioWrite(t, "cut.pcap", b[:len(b)-30])
	pkts, err = ReadFile(p)
	var re *ReadError
	if !errors.As(err, &re) || re.Frame != 6 || len(pkts) != 5 || re.Path != p {
		t.Fatalf("got %d packets and %v; want 5 and a ReadError for frame 6", len(pkts), err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "none.pcap")); err == nil {
		t.Error("ReadFile of a missing file succeeded")
	}
}
