package capture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

// ioFuzzRead reads b as a capture and checks the reader's promises: no panic, a
// bounded frame size, offsets that grow, and an end that is io.EOF or a
// *ReadError.
func ioFuzzRead(t *testing.T, b []byte) {
	src, err := NewReader(bytes.NewReader(b))
	if err != nil {
		var re *ReadError
		var nc *notCaptureError
		if !errors.As(err, &re) && !errors.As(err, &nc) {
			t.Fatalf("NewReader: %v (%T)", err, err)
		}
		return
	}
	defer src.Close()
	d := ioNewFuzzDecoder()
	last := int64(-1)
	for n := 0; ; n++ {
		fr, err := src.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) || re.Frame != n+1 || re.Offset < 0 || re.Offset > int64(len(b)) {
				t.Fatalf("after %d frames: %v (%T)", n, err, err)
			}
			return
		}
		if len(fr.Data) > MaxRecordSize || fr.Offset <= last || fr.Offset >= int64(len(b)) {
			t.Fatalf("frame %d: %d bytes at offset %d (previous %d)", n+1, len(fr.Data), fr.Offset, last)
		}
		last = fr.Offset
		d(fr)
	}
}

// ioFuzzSeeds adds the project's own captures, and when ../shared is present the
// corpus files with the given extension, as seeds.
func ioFuzzSeeds(f *testing.F, ext string) {
	seeds, _ := filepath.Glob("testdata/io-*" + ext)
	if dir, err := ioCorpusDirQuiet(); err == nil {
		more, _ := filepath.Glob(filepath.Join(dir, "tcpdump-tests", "*"+ext))
		for i, p := range more {
			if i%8 == 0 { // a sample keeps the seed corpus quick to replay
				seeds = append(seeds, p)
			}
		}
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err == nil && len(b) <= 64<<10 {
			f.Add(b)
		}
	}
}

// ioCorpusDirQuiet returns <repo root>/../shared/corpus if it exists.
func ioCorpusDirQuiet() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", "corpus")
	_, err = os.Stat(p)
	return p, err
}

func FuzzPcap(f *testing.F) {
	fuzzing.Steady(f)
	ioFuzzSeeds(f, ".pcap")
	f.Fuzz(ioFuzzRead)
}

func FuzzPcapng(f *testing.F) {
	fuzzing.Steady(f)
	ioFuzzSeeds(f, ".pcapng")
	f.Fuzz(ioFuzzRead)
}
