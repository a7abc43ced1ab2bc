package labs

import (
	"os"
	"path/filepath"
	"strings"
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

// A folder another user could have written is never reused: a lab planted in
// a shared folder must not run as whoever asks for the built-in lab.
func TestExtractRefusesPlantedFolders(t *testing.T) {
	parent := t.TempDir()
	if err := os.Chmod(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	dir, err := Extract("http-client", parent)
	if err != nil {
		t.Fatal(err)
	}
	planted := filepath.Join(dir, "lab.yaml")
	if err := os.WriteFile(planted, []byte("lab: http-client\ntitle: PLANTED\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// World-writable: someone else may have written it.
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	assertFresh(t, parent, dir)
	if os.Geteuid() == 0 {
		// Owned by another user.
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		assertFresh(t, parent, dir)
	}
	// A shared parent (like /tmp) is never trusted for reuse at all.
	shared := t.TempDir()
	if err := os.Chmod(shared, 0o1777); err != nil {
		t.Fatal(err)
	}
	d1, err := Extract("http-client", shared)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := Extract("http-client", shared)
	if err != nil {
		t.Fatal(err)
	}
	if d1 == d2 || filepath.Dir(d1) == shared {
		t.Errorf("extraction under a shared folder reused or used it: %s, %s", d1, d2)
	}
	os.RemoveAll(d1)
	os.RemoveAll(d2)
}

func assertFresh(t *testing.T, parent, planted string) {
	t.Helper()
	got, err := Extract("http-client", parent)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if got != planted {
			os.RemoveAll(got)
		}
	}()
	if got == planted {
		t.Fatalf("the planted folder %s was reused", planted)
	}
	b, err := os.ReadFile(filepath.Join(got, "lab.yaml"))
	if err != nil || strings.Contains(string(b), "PLANTED") {
		t.Fatalf("extracted lab.yaml: %v %q", err, b)
	}
}
