package capture

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestCorpus opens every capture of tcpdump's regression suite (many malformed on
// purpose), decodes every frame and prints it: no panic, no hang, bounded memory.
func TestCorpus(t *testing.T) {
	dir := ioSharedDir(t, "tcpdump-tests")
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	const perFile = 10 * time.Second
	const maxHeap = 512 << 20
	type result struct {
		frames int
		err    error // nil, a *ReadError, or a not-a-capture error
		panic  any
	}
	var full, damaged, notCapture, frames int
	var peak uint64
	for i, de := range files {
		path := filepath.Join(dir, de.Name())
		done := make(chan result, 1)
		go func() {
			var r result
			defer func() {
				if p := recover(); p != nil {
					r.panic = p
				}
				done <- r
			}()
			src, err := OpenFile(path)
			if err != nil {
				r.err = err
				return
			}
			defer src.Close()
			d := NewDecoder()
			var p Packet
			for {
				fr, err := src.Next()
				if err != nil {
					if err != io.EOF {
						r.err = err
					}
					return
				}
				d.DecodeInto(fr, &p)
				_ = p.Line()
				r.frames++
			}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(perFile):
			t.Fatalf("%s: not read within %v", de.Name(), perFile)
		}
		if r.panic != nil {
			t.Errorf("%s: panic: %v", de.Name(), r.panic)
			continue
		}
		frames += r.frames
		var re *ReadError
		var nc *notCaptureError
		switch {
		case r.err == nil:
			full++
		case errors.As(r.err, &re):
			damaged++
			t.Logf("%s: %v (after %d frames)", de.Name(), r.err, r.frames)
		case errors.As(r.err, &nc):
			notCapture++
		default:
			t.Errorf("%s: %v", de.Name(), r.err)
		}
		if i%64 == 0 || i == len(files)-1 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			if ms.HeapInuse > maxHeap {
				t.Fatalf("after %s: %d MiB of heap in use", de.Name(), ms.HeapInuse>>20)
			}
		}
	}
	t.Logf("%d files: %d read fully, %d with a damage error, %d not captures; %d frames; peak heap %d MiB",
		len(files), full, damaged, notCapture, frames, peak>>20)
	if full < 800 {
		t.Errorf("only %d of %d files read fully", full, len(files))
	}
}
