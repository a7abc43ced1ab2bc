package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A run started from inside the lab's folder does not write into it: its
// default folder goes to the user's cache; from anywhere else it is
// ./wirelab-runs.
func TestDefaultDirOutsideLab(t *testing.T) {
	lab, _ := lintLab(t, "lab: in\nsubmission: {file: solution.lua}\nchecks:\n  - {name: a, packet: tcp}\n")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, wd := range []string{lab.Dir, filepath.Join(lab.Dir, "sub")} {
		os.MkdirAll(wd, 0o755)
		t.Chdir(wd)
		d, err := filepath.Abs(defaultDir(lab))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(d, lab.Dir+string(filepath.Separator)) || !strings.HasPrefix(d, filepath.Join(os.Getenv("XDG_CACHE_HOME"), "wirelab", "runs")+string(filepath.Separator)) {
			t.Errorf("from %s: run folder %s, want one under the cache, not in the lab %s", wd, d, lab.Dir)
		}
	}
	other := t.TempDir()
	t.Chdir(other)
	if d := defaultDir(lab); !strings.HasPrefix(d, RunsDir+string(filepath.Separator)) {
		t.Errorf("from another folder: run folder %s, want ./%s/...", d, RunsDir)
	}
}
