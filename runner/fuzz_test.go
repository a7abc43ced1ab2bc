package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must never panic or hang,
// and must return either a lab or an ErrorList.
func FuzzLoad(f *testing.F) {
	fuzzing.Steady(f)
	seeds, _ := filepath.Glob("testdata/*/*.yaml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Add([]byte("lab: m\nchecks:\n  - &c {name: a, packet: tcp}\n  - <<: [*c, {hint: h}]\n    name: b\n  - {<<: 3, name: c, none: udp}\n"))
	f.Add([]byte(`lab: q
checks:
  - name: s
    sequence: ["tcp.flags.syn == 1 &&\t", {match: 'ip.src == ''x''', within: 1s}]
    packet: |
      tcp &&
      udp.foo
`))
	f.Add([]byte("lab: x\nsubmission:\n  args: &a {x: [*a, *a, *a]}\nchecks: [{name: a, packet: tcp}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lab, err := Parse("testdata/http-get/fuzz.yaml", data)
		if err == nil {
			if lab == nil {
				t.Fatal("nil lab without error")
			}
			return
		}
		if _, ok := err.(ErrorList); !ok {
			t.Fatalf("error %T: %v", err, err)
		}
	})
}

// TestLoadHostileSizes: a lab file full of aliases to one check loads (or
// fails) quickly.
func TestLoadHostileSizes(t *testing.T) {
	var b strings.Builder
	b.WriteString("lab: big\nx: &c {name: a, packet: tcp.flags.syn == 1 && tcp.dstport == 80}\nchecks: [")
	for i := 0; i < 200000; i++ {
		b.WriteString("*c,")
	}
	b.WriteString("*c]\n")
	start := time.Now()
	_, err := Parse("testdata/big.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "more than the 1000 a lab may have") {
		t.Errorf("err = %.300v", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
}

// FuzzEvaluate grades arbitrary capture bytes with the DESIGN lab: damaged or
// hostile captures are graded or refused, never a panic. Its Lua check is left
// out: each evaluation would start a sandboxed check worker (a process in a
// namespace of its own), which held the target to a few executions a minute;
// the worker has its own tests (internal/sandbox TestCheckerHostileLab, runner
// TestHostileLabChecks). Seeds: the corpus's http-get capture, its halves, and
// every 16th capture of the tcpdump corpus of at most 4 KB.
func FuzzEvaluate(f *testing.F) {
	fuzzing.Steady(f)
	if b, err := os.ReadFile(corpusPath("captures/http-get.pcap")); err == nil {
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(b[len(b)/2:])
	}
	more, _ := filepath.Glob(corpusPath("tcpdump-tests/*.pcap"))
	for i, p := range more {
		if b, err := os.ReadFile(p); err == nil && i%16 == 0 && len(b) <= 4<<10 {
			f.Add(b)
		}
	}
	lab, err := Load("testdata/http-get")
	if err != nil {
		f.Fatal(err)
	}
	noLua := *lab
	noLua.Checks = nil
	for _, c := range lab.Checks {
		if c.Kind != KindLua {
			noLua.Checks = append(noLua.Checks, c)
		}
	}
	if len(noLua.Checks) == len(lab.Checks) {
		f.Fatal("the lab has no Lua check to leave out")
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "fuzz.pcap")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Evaluate(context.Background(), &noLua, result.Artifacts{Capture: p})
		if err == nil && len(res.Checks) != len(noLua.Checks) {
			t.Fatalf("%d results for %d checks", len(res.Checks), len(noLua.Checks))
		}
	})
}

// corpusPath is the path of a corpus file, whether or not it exists.
func corpusPath(name string) string {
	dir, _ := filepath.Abs(".")
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "corpus", name)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return name
		}
		dir = parent
	}
}
