package labs

import (
	"os"
	"path/filepath"
	"testing"
)

func TestExtract(t *testing.T) {
	parent := t.TempDir()
	dir, err := Extract("replay-server", parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"lab.yaml", "solution.lua", "README.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// The recorded capture the replay service serves comes along.
	if m, _ := filepath.Glob(filepath.Join(dir, "*.pcapng")); len(m) == 0 {
		t.Error("no capture extracted")
	}
	again, err := Extract("replay-server", parent)
	if err != nil || again != dir {
		t.Errorf("second extraction: %q, %v; want the same folder %q", again, err, dir)
	}
	if _, err := Extract("no-such-lab", parent); err == nil {
		t.Error("an unknown lab was extracted")
	}
}
