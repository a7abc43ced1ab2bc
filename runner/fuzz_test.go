package runner

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must never panic or hang,
// and must return either a lab or an ErrorList.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.yaml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
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
