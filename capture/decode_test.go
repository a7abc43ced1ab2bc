package capture

import (
	"github.com/wirelab-dev/wirelab/internal/testcorpus"

	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// corpusDir returns the shared test corpus; a missing one fails the test.
func corpusDir(t testing.TB) string {
	t.Helper()
	return testcorpus.Dir(t)
}

// decodeFile reads and decodes every frame of a capture file.
func decodeFile(t testing.TB, path string) []*Packet {
	t.Helper()
	src, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	d := NewDecoder()
	var out []*Packet
	for {
		fr, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, d.Decode(fr))
	}
}

func fieldsLine(p *Packet, names ...string) string {
	cols := make([]string, len(names))
	for i, n := range names {
		cols[i] = strings.Join(p.Strings(n), ",")
	}
	return strings.Join(cols, "\t")
}

func TestScratch(t *testing.T) {
	if os.Getenv("SCRATCH") == "" {
		t.Skip()
	}
	for _, p := range decodeFile(t, os.Getenv("SCRATCH")) {
		t.Log(p.Line())
		t.Log(fieldsLine(p, strings.Split(os.Getenv("FIELDS"), " ")...), p.Malformed)
	}
}

// comparedFields are the registry fields the golden tests compare with tshark:
// all but protocol presence fields (tshark prints a protocol's summary text).
func comparedFields() []string {
	var out []string
	for _, f := range Fields().Fields() {
		if !strings.Contains(f.Name, ".") || f.Name == "frame.interface_id" || f.Name == "frame.comment" {
			continue
		}
		out = append(out, f.Name)
	}
	return out
}

func TestPrintComparedFields(t *testing.T) {
	if os.Getenv("PRINT_FIELDS") == "" {
		t.Skip()
	}
	os.WriteFile(os.Getenv("PRINT_FIELDS"), []byte(strings.Join(comparedFields(), "\n")+"\n"), 0o644)
}
