package capture

import (
	"github.com/wirelab-dev/wirelab/internal/testcorpus"

	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// ioRec is one record for the test file builders.
type ioRec struct {
	sec, frac uint32
	orig      uint32 // 0: len(data)
	data      []byte
}

// ioPcap builds a pcap file with the given magic (as a big-endian number) in byte
// order bo.
func ioPcap(bo binary.AppendByteOrder, magic uint32, lt uint32, recs ...ioRec) []byte {
	var b []byte
	b = bo.AppendUint32(b, magic)
	b = bo.AppendUint16(b, 2)
	b = bo.AppendUint16(b, 4)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 65535)
	b = bo.AppendUint32(b, lt)
	for _, r := range recs {
		b = bo.AppendUint32(b, r.sec)
		b = bo.AppendUint32(b, r.frac)
		b = bo.AppendUint32(b, uint32(len(r.data)))
		orig := r.orig
		if orig == 0 {
			orig = uint32(len(r.data))
		}
		b = bo.AppendUint32(b, orig)
		if magic == magicPcapKuznetzov {
			b = append(b, make([]byte, 8)...)
		}
		b = append(b, r.data...)
	}
	return b
}

// ioBlock builds one pcapng block of type typ around body (padded to 4 bytes).
func ioBlock(bo binary.AppendByteOrder, typ uint32, body []byte) []byte {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	total := uint32(len(body) + 12)
	var b []byte
	b = bo.AppendUint32(b, typ)
	b = bo.AppendUint32(b, total)
	b = append(b, body...)
	return bo.AppendUint32(b, total)
}

func ioSHB(bo binary.AppendByteOrder) []byte {
	var body []byte
	body = bo.AppendUint32(body, byteOrderMagic)
	body = bo.AppendUint16(body, 1)
	body = bo.AppendUint16(body, 0)
	body = bo.AppendUint64(body, ^uint64(0))
	return ioBlock(bo, blockSHB, body)
}

func ioIDB(bo binary.AppendByteOrder, lt uint16, tsresol byte, tsoffset int64) []byte {
	var body []byte
	body = bo.AppendUint16(body, lt)
	body = bo.AppendUint16(body, 0)
	body = bo.AppendUint32(body, 0)
	if tsresol != 0 {
		body = bo.AppendUint16(body, optIfTsresol)
		body = bo.AppendUint16(body, 1)
		body = append(body, tsresol, 0, 0, 0)
	}
	if tsoffset != 0 {
		body = bo.AppendUint16(body, optIfTsoffset)
		body = bo.AppendUint16(body, 8)
		body = bo.AppendUint64(body, uint64(tsoffset))
	}
	body = bo.AppendUint32(body, 0)
	return ioBlock(bo, blockIDB, body)
}

func ioEPB(bo binary.AppendByteOrder, iface uint32, ts uint64, data []byte) []byte {
	var body []byte
	body = bo.AppendUint32(body, iface)
	body = bo.AppendUint32(body, uint32(ts>>32))
	body = bo.AppendUint32(body, uint32(ts))
	body = bo.AppendUint32(body, uint32(len(data)))
	body = bo.AppendUint32(body, uint32(len(data)+10))
	body = append(body, data...)
	return ioBlock(bo, blockEPB, body)
}

func ioWrite(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ioGot is what the tests compare of a frame.
type ioGot struct {
	data   string
	lt     layers.LinkType
	iface  int
	ts     time.Time
	off    int64
	length int
}

// ioReadAll reads every frame of path, then the error that ended the reading
// (nil at a clean end).
func ioReadAll(t testing.TB, path string) ([]ioGot, error) {
	t.Helper()
	src, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var got []ioGot
	for {
		fr, err := src.Next()
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got = append(got, ioGot{string(fr.Data), fr.LinkType, fr.Info.InterfaceIndex, fr.Info.Timestamp, fr.Offset, fr.Info.Length})
	}
}

func TestOpenFilePcap(t *testing.T) {
	recs := []ioRec{
		{sec: 1700000000, frac: 123456, data: []byte("first")},
		{sec: 1700000001, frac: 999999, orig: 1514, data: []byte("second frame")},
		{sec: 1700000002, frac: 0, data: nil},
	}
	tests := []struct {
		name  string
		bo    binary.AppendByteOrder
		magic uint32
		lt    uint32
		unit  time.Duration
		hdr   int64
	}{
		{"micro little-endian", binary.LittleEndian, magicPcapMicro, 1, time.Microsecond, 16},
		{"micro big-endian", binary.BigEndian, magicPcapMicro, 1, time.Microsecond, 16},
		{"nano little-endian", binary.LittleEndian, magicPcapNano, 101, time.Nanosecond, 16},
		{"nano big-endian", binary.BigEndian, magicPcapNano, 276, time.Nanosecond, 16},
		{"fcs bits in link type", binary.LittleEndian, magicPcapMicro, 1 | 0x14000000, time.Microsecond, 16},
		{"modified (Kuznetzov)", binary.LittleEndian, magicPcapKuznetzov, 113, time.Microsecond, 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ioWrite(t, "x.pcap", ioPcap(tt.bo, tt.magic, tt.lt, recs...))
			got, err := ioReadAll(t, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(recs) {
				t.Fatalf("got %d frames, want %d", len(got), len(recs))
			}
			off := int64(24)
			for i, r := range recs {
				g := got[i]
				want := time.Unix(int64(r.sec), int64(r.frac)*int64(tt.unit))
				orig := int(r.orig)
				if orig == 0 {
					orig = len(r.data)
				}
				if g.data != string(r.data) || g.lt != layers.LinkType(tt.lt&0xffff) || !g.ts.Equal(want) || g.off != off || g.length != orig {
					t.Errorf("frame %d = %+v, want data %q lt %d ts %v off %d len %d", i+1, g, r.data, tt.lt&0xffff, want, off, orig)
				}
				off += tt.hdr + int64(len(r.data))
			}
		})
	}
}

func TestOpenFilePcapng(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	var b []byte
	var offs []int64
	add := func(blk []byte, frame bool) {
		if frame {
			offs = append(offs, int64(len(b)))
		}
		b = append(b, blk...)
	}
	// Section 1, little-endian: Ethernet in microseconds (the default), raw IP in
	// nanoseconds; a name resolution block that must be skipped.
	add(ioSHB(le), false)
	add(ioIDB(le, 1, 0, 0), false)
	add(ioIDB(le, 101, 9, 0), false)
	add(ioEPB(le, 0, 1700000000_123456, []byte("eth")), true)
	add(ioBlock(le, 4, []byte{0, 0, 0, 0}), false)
	add(ioEPB(le, 1, 1700000000_123456789, []byte("raw")), true)
	// Section 2, big-endian: one interface in 2^-20 s with a 100 s offset, a
	// simple packet block and an obsolete packet block.
	add(ioSHB(be), false)
	add(ioIDB(be, 276, 0x80|20, 100), false)
	add(ioEPB(be, 0, 5<<20|1<<19, []byte("sll2")), true)
	spb := be.AppendUint32(nil, 3)
	spb = append(spb, "spb"...)
	add(ioBlock(be, blockSPB, spb), true)
	var old []byte
	old = be.AppendUint16(old, 0)
	old = be.AppendUint16(old, 0)
	old = be.AppendUint32(old, 0)
	old = be.AppendUint32(old, 7<<20)
	old = be.AppendUint32(old, 3)
	old = be.AppendUint32(old, 3)
	old = append(old, "old"...)
	add(ioBlock(be, blockPacket, old), true)

	p := ioWrite(t, "multi.pcapng", b)
	got, err := ioReadAll(t, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []ioGot{
		{"eth", 1, 0, time.Unix(1700000000, 123456000), offs[0], 13},
		{"raw", 101, 1, time.Unix(1700000000, 123456789), offs[1], 13},
		{"sll2", 276, 2, time.Unix(105, 500000000), offs[2], 14},
		{"spb", 276, 2, time.Time{}, offs[3], 3},
		{"old", 276, 2, time.Unix(107, 0), offs[4], 3},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d frames %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.data != w.data || g.lt != w.lt || g.iface != w.iface || g.off != w.off || g.length != w.length || (!w.ts.IsZero() && !g.ts.Equal(w.ts)) {
			t.Errorf("frame %d = %+v, want %+v", i+1, g, w)
		}
	}
}

func TestOpenFileNotCapture(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, content, want string }{
		{"x.txt", "hello world", `"` + dir + `/x.txt" is not a pcap or pcapng file (starts with 0x68656c6c)`},
		{"empty", "", `"` + dir + `/empty" is empty, not a pcap or pcapng file`},
		{"short", "ab", `"` + dir + `/short" is not a pcap or pcapng file (only 2 bytes: 0x6162)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			os.WriteFile(p, []byte(tt.content), 0o644)
			_, err := OpenFile(p)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
		})
	}
	if _, err := OpenFile(filepath.Join(dir, "missing.pcap")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestOpenFileDamage(t *testing.T) {
	le := binary.LittleEndian
	frame := ioRec{sec: 1, data: bytes.Repeat([]byte{0xaa}, 100)}
	good := ioPcap(le, magicPcapMicro, 1, frame, frame)
	big := ioPcap(le, magicPcapMicro, 1, ioRec{data: make([]byte, 1514)})

	ng := append(ioSHB(le), ioIDB(le, 1, 0, 0)...)
	ngGood := append(append([]byte{}, ng...), ioEPB(le, 0, 0, frame.data)...)
	epbHuge := le.AppendUint32(le.AppendUint32(nil, blockEPB), 1<<30)
	badTrail := ioEPB(le, 0, 0, []byte("abcd"))
	le.PutUint32(badTrail[len(badTrail)-4:], 99)
	overCap := ioEPB(le, 0, 0, []byte("abcd"))
	le.PutUint32(overCap[20:], 300)

	tests := []struct {
		name   string
		file   []byte
		frames int
		want   string
		frame  int
		off    int64
	}{
		{"truncated record", append(append([]byte{}, good...), big[24:24+16+80]...), 2,
			"frame 3 at byte 256: truncated record (header says 1514 bytes, 80 remain)", 3, 256},
		{"truncated record header", append(append([]byte{}, good...), 1, 2, 3, 4, 5), 2,
			"frame 3 at byte 256: truncated record header (header says 16 bytes, 5 remain)", 3, 256},
		{"oversize record", append(append([]byte{}, good[:24+116]...), le.AppendUint32(le.AppendUint32(make([]byte, 8), 1<<20), 1<<20)...), 1,
			"frame 2 at byte 140: corrupt record: captured length 1048576 exceeds the limit of 262144 bytes", 2, 140},
		{"truncated pcap header", good[:10], 0, "at byte 0: truncated pcap file header (header says 24 bytes, 10 remain)", 0, 0},
		{"pcapng truncated block", ngGood[:len(ngGood)-10], 0,
			"frame 1 at byte 52: truncated block (header says 132 bytes, 122 remain)", 1, 52},
		{"pcapng huge block", append(append([]byte{}, ngGood...), epbHuge...), 1,
			"frame 2 at byte 184: corrupt block: length 1073741824 (type 0x6) is not a multiple of 4 between 12 and 16777216", 2, 184},
		{"pcapng trailing length", append(append([]byte{}, ngGood...), badTrail...), 1,
			"frame 2 at byte 184: corrupt block: leading length 36 and trailing length 99 differ", 2, 184},
		{"pcapng captured length past block", append(append([]byte{}, ng...), overCap...), 0,
			"frame 1 at byte 52: corrupt packet block: captured length 300 exceeds the block's 4 data bytes", 1, 52},
		{"pcapng undescribed interface", append(append([]byte{}, ng...), ioEPB(le, 3, 0, nil)...), 0,
			"frame 1 at byte 52: corrupt packet block: interface 3 is not described (the section has 1)", 1, 52},
		{"pcapng bad byte-order magic", append(append([]byte{}, ngGood...), 0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4), 1,
			"frame 2 at byte 184: corrupt section header: byte-order magic 0x01020304", 2, 184},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ioWrite(t, "damaged.pcap", tt.file)
			got, err := ioReadAll(t, p)
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v (%T), want a *ReadError", err, err)
			}
			if want := p + ": " + tt.want; err.Error() != want {
				t.Errorf("err = %q\nwant  %q", err, want)
			}
			if len(got) != tt.frames || re.Frame != tt.frame || re.Offset != tt.off || re.Path != p {
				t.Errorf("got %d frames, error frame %d offset %d path %q; want %d frames, frame %d offset %d", len(got), re.Frame, re.Offset, re.Path, tt.frames, tt.frame, tt.off)
			}
		})
	}
}

// ioSharedDir returns the folder sub of the shared test corpus; a missing one
// fails the test.
func ioSharedDir(t testing.TB, sub string) string {
	t.Helper()
	return testcorpus.Path(t, sub)
}

func TestOpenFileHTTPGet(t *testing.T) {
	p := filepath.Join(ioSharedDir(t, "captures"), "http-get.pcap")
	got, err := ioReadAll(t, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 22 {
		t.Errorf("read %d frames, want 22", len(got))
	}
}

func ioPcapFileBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ioBenchFile is a pcap and a pcapng of n copies of the io-http frames.
func ioBenchFiles(t testing.TB, n int) (pcap, pcapng []byte) {
	t.Helper()
	src, err := OpenFile("testdata/io-http.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var frames [][]byte
	for {
		fr, err := src.Next()
		if err != nil {
			break
		}
		frames = append(frames, bytes.Clone(fr.Data))
	}
	var recs []ioRec
	var ng bytes.Buffer
	w, _ := NewWriter(&ng)
	w.AddInterface("eth0", layers.LinkTypeEthernet, 0)
	for i := range n {
		d := frames[i%len(frames)]
		recs = append(recs, ioRec{sec: uint32(i), data: d})
		w.WriteFrame(0, Frame{Data: d})
	}
	w.Flush()
	return ioPcap(binary.LittleEndian, magicPcapMicro, 1, recs...), ng.Bytes()
}

func TestReaderAllocatesNothingPerFrame(t *testing.T) {
	pcap, pcapng := ioBenchFiles(t, 1000)
	for name, b := range map[string][]byte{"pcap": pcap, "pcapng": pcapng} {
		src, err := NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		src.Next() // the buffer grows once
		allocs := testing.AllocsPerRun(500, func() {
			if _, err := src.Next(); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per frame, want 0", name, allocs)
		}
	}
}

func BenchmarkReader(b *testing.B) {
	pcap, pcapng := ioBenchFiles(b, 10000)
	for _, bm := range []struct {
		name string
		file []byte
	}{{"pcap", pcap}, {"pcapng", pcapng}} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.file)) / 10000)
			var src Source
			for i := 0; b.Loop(); i++ {
				if i%10000 == 0 {
					src, _ = NewReader(bytes.NewReader(bm.file))
				}
				if _, err := src.Next(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
