package filter_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/internal/testcorpus"
)

func readList(t *testing.T, name string) []string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out
}

func sharedCorpus(t *testing.T) string { return testcorpus.Dir(t) }

type rawFrame struct {
	data     []byte
	linkType int
	fr       capture.Frame
}

func readFrames(path string) ([]rawFrame, error) {
	src, err := capture.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var out []rawFrame
	for {
		fr, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			// tcpdump stops at a broken record too; compare what both read.
			return out, nil
		}
		fr.Data = append([]byte(nil), fr.Data...)
		out = append(out, rawFrame{fr.Data, int(fr.LinkType), fr})
	}
}

// writePcap writes frames as a classic pcap file of link type lt, frame k
// stamped k seconds, so tcpdump's output names the frames it kept.
func writePcap(path string, lt int, frames []rawFrame, stamps []int) error {
	var b bytes.Buffer
	le := binary.LittleEndian
	hdr := make([]byte, 24)
	le.PutUint32(hdr[0:], 0xa1b2c3d4)
	le.PutUint16(hdr[4:], 2)
	le.PutUint16(hdr[6:], 4)
	le.PutUint32(hdr[16:], 262144)
	le.PutUint32(hdr[20:], uint32(lt))
	b.Write(hdr)
	for i, fr := range frames {
		rec := make([]byte, 16)
		le.PutUint32(rec[0:], uint32(stamps[i]))
		le.PutUint32(rec[8:], uint32(len(fr.data)))
		le.PutUint32(rec[12:], uint32(max(fr.fr.Info.Length, len(fr.data))))
		b.Write(rec)
		b.Write(fr.data)
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// tcpdumpFrames runs tcpdump with the filter on a file writePcap wrote and
// returns the stamps (frame numbers) of the frames it kept, or its error.
func tcpdumpFrames(in string, expr, tmp string) ([]int, error) {
	out := filepath.Join(tmp, "out.pcap")
	cmd := exec.Command("tcpdump", "-r", in, "-w", out, "--", expr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := stderr.String()
		if i := strings.Index(msg, "tcpdump: "); i >= 0 {
			msg = msg[i+len("tcpdump: "):]
		}
		// libpcap's optimizer refuses a filter that can match nothing on the
		// link type ("ip6" on a raw IPv4 capture): it selects no frame.
		if strings.Contains(msg, "expression rejects all packets") {
			return nil, nil
		}
		return nil, errors.New(strings.TrimSpace(msg))
	}
	b, err := os.ReadFile(out)
	if err != nil || len(b) < 24 {
		return nil, fmt.Errorf("tcpdump output: %v", err)
	}
	var nums []int
	le := binary.LittleEndian
	for off := 24; off+16 <= len(b); {
		nums = append(nums, int(le.Uint32(b[off:])))
		off += 16 + int(le.Uint32(b[off+8:]))
	}
	return nums, nil
}

// TestCaptureFiltersAgainstTcpdump compiles every capture filter of
// testdata/tcpdump-filters.txt and requires, on every capture of
// testdata/tcpdump-corpus.txt, the frames `tcpdump -r FILE -w - FILTER` writes;
// where tcpdump refuses the filter for a capture's link type, the filter must
// refuse it too (LinkTypeError). The test matches decoded Packets, the way
// `wirelab packets -f` does.
func TestCaptureFiltersAgainstTcpdump(t *testing.T) {
	corpus := sharedCorpus(t)
	if _, err := exec.LookPath("tcpdump"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tcpdump is required in CI")
		}
		t.Skip("tcpdump is not installed; skipping the cross-check")
	}
	if testing.Short() {
		t.Skip("short mode: the tcpdump cross-check runs about 8,000 tcpdump processes")
	}
	filters := readList(t, "tcpdump-filters.txt")
	files := readList(t, "tcpdump-corpus.txt")
	tmp := t.TempDir()

	// The captures of one link type are joined into one file, so tcpdump runs
	// once per filter and link type; frame numbers are global.
	var all []rawFrame
	fileOf := []int{}
	byLT := map[int][]int{} // link type -> global frame indexes
	for i, f := range files {
		fr, err := readFrames(filepath.Join(corpus, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(fr) == 0 {
			t.Fatalf("%s: no frames", f)
		}
		for _, x := range fr {
			if x.linkType != fr[0].linkType {
				t.Fatalf("%s: several link types", f)
			}
			byLT[x.linkType] = append(byLT[x.linkType], len(all))
			all = append(all, x)
			fileOf = append(fileOf, i)
		}
	}
	var lts []int
	for lt, idx := range byLT {
		lts = append(lts, lt)
		var frs []rawFrame
		for _, k := range idx {
			frs = append(frs, all[k])
		}
		// Stamps are global frame numbers, from 1.
		stamps := make([]int, len(idx))
		for j, k := range idx {
			stamps[j] = k + 1
		}
		if err := writePcap(filepath.Join(tmp, fmt.Sprintf("lt%d.pcap", lt)), lt, frs, stamps); err != nil {
			t.Fatal(err)
		}
	}
	sort.Ints(lts)

	type job struct{ x, lt int }
	type result struct {
		nums []int
		err  error
	}
	var jobs []job
	for x := range filters {
		for _, lt := range lts {
			jobs = append(jobs, job{x, lt})
		}
	}
	results := make([]result, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		dir := t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				j := jobs[k]
				n, err := tcpdumpFrames(filepath.Join(tmp, fmt.Sprintf("lt%d.pcap", j.lt)), filters[j.x], dir)
				results[k] = result{n, err}
			}
		}()
	}
	for k := range jobs {
		next <- k
	}
	close(next)
	wg.Wait()

	// wirelab: decode every frame in order, per capture, as wirelab packets does.
	pkts := make([]*capture.Packet, len(all))
	var dec *capture.Decoder
	for k, fr := range all {
		if k == 0 || fileOf[k] != fileOf[k-1] {
			dec = capture.NewDecoder()
		}
		pkts[k] = dec.Decode(fr.fr)
	}

	agree, total, bothRefuse := 0, 0, 0
	var bad []string
	for k, j := range jobs {
		r := results[k]
		expr := filters[j.x]
		f, cerr := capture.CompileCapture(expr)
		want := map[int]bool{}
		for _, n := range r.nums {
			want[n-1] = true
		}
		// One verdict per (filter, capture) pair.
		for i, file := range files {
			var frames []int
			for _, g := range byLT[j.lt] {
				if fileOf[g] == i {
					frames = append(frames, g)
				}
			}
			if len(frames) == 0 {
				continue
			}
			name := fmt.Sprintf("%q on %s", expr, file)
			if r.err != nil {
				if cerr != nil || f.LinkTypeError(j.lt) != nil {
					bothRefuse++
					continue
				}
				total++
				bad = append(bad, fmt.Sprintf("%s: tcpdump refuses it (%v); wirelab accepts it", name, r.err))
				continue
			}
			total++
			if cerr != nil {
				bad = append(bad, fmt.Sprintf("%s: wirelab refuses it: %v", name, cerr))
				continue
			}
			var got, exp []int
			for _, g := range frames {
				n := g - frames[0] + 1
				if f.Match(pkts[g]) {
					got = append(got, n)
				}
				if want[g] {
					exp = append(exp, n)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(exp) {
				bad = append(bad, fmt.Sprintf("%s:\n    wirelab %v\n    tcpdump %v", name, got, exp))
				continue
			}
			agree++
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
	t.Logf("capture filters vs tcpdump: %d of %d (filter, capture) pairs agree (%.1f %%); %d pairs both refuse; %d filters × %d captures",
		agree, total, 100*float64(agree)/float64(max(total, 1)), bothRefuse, len(filters), len(files))
}
