package capture

import (
	"io"
	"testing"
)

// NewFrameFilter is the one live capture filter (OpenLive's, and the sandbox's,
// which must see its markers before filtering): it keeps what the filter
// matches on a decoded packet and does not allocate a packet per frame.
func TestFrameFilter(t *testing.T) {
	pkts, err := ReadFile("testdata/io-http.pcap")
	if err != nil {
		t.Fatal(err)
	}
	f, err := CompileCapture("tcp dst port 80")
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, p := range pkts {
		if f.Match(p) {
			want++
		}
	}
	if want == 0 || want == len(pkts) {
		t.Fatalf("the filter keeps %d of %d packets: a useless test", want, len(pkts))
	}
	src, err := OpenFile("testdata/io-http.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	keep := NewFrameFilter(f)
	got := 0
	var last Frame
	for {
		fr, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if keep(fr) {
			got++
		}
		last = fr
		last.Data = append([]byte(nil), fr.Data...)
	}
	if got != want {
		t.Errorf("kept %d frames, want %d", got, want)
	}
	if n := testing.AllocsPerRun(100, func() { keep(last) }); n > 0 {
		t.Errorf("%.1f allocations per frame, want 0", n)
	}
}
