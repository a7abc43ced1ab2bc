package capture

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestHeadersOnlyAgrees decodes every capture of the corpus and of testdata
// twice, fully and with HeadersOnly, and compares every field the table says
// headers give: a field that needs the conversation and is not marked conv
// shows up here, with the frame that tells them apart.
func TestHeadersOnlyAgrees(t *testing.T) {
	var paths []string
	for _, pat := range []string{filepath.Join(corpusDir(t), "*", "*.pcap*"), "testdata/*.pcap*", "testdata/*/*.pcap*"} {
		m, _ := filepath.Glob(pat)
		paths = append(paths, m...)
	}
	var alone []int
	for id := range table.fields {
		if table.fields[id].alone {
			alone = append(alone, id)
		}
	}
	reg := table.reg.fields
	differ := map[string]string{} // field -> an example
	frames, values := 0, 0
	for _, path := range paths {
		src, err := OpenFile(path)
		if err != nil {
			continue // not a capture the reader takes: read_corpus_test's business
		}
		// DecodeInto copies the frame: both decoders can read it.
		full, heads := NewDecoder(), NewDecoder()
		heads.HeadersOnly = true
		var p, q Packet
		for {
			fr, err := src.Next()
			if err != nil {
				break
			}
			full.DecodeInto(fr, &p)
			heads.DecodeInto(fr, &q)
			frames++
			for _, id := range alone {
				f := reg[id]
				x, y := strings.Join(p.Strings(f.Name), ","), strings.Join(q.Strings(f.Name), ",")
				if x != "" || y != "" {
					values++
				}
				if x != y {
					if _, seen := differ[f.Name]; !seen {
						differ[f.Name] = filepath.Base(path) + " frame " + itoa(p.Number) + ": full " + x + ", headers only " + y
					}
				}
			}
		}
		src.Close()
	}
	if frames < 10000 {
		t.Fatalf("only %d frames decoded: the corpus is missing?", frames)
	}
	names := make([]string, 0, len(differ))
	for n := range differ {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Errorf("%s differs (mark it conv): %s", n, differ[n])
	}
	t.Logf("%d captures, %d frames, %d fields, %d values compared", len(paths), frames, len(alone), values)
	if os.Getenv("HEADERS_VERBOSE") != "" {
		for _, id := range alone {
			t.Log(reg[id].Name)
		}
	}
}
