package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/runner"
)

func TestInitWritesALabThatLoads(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"init", "dns-lookup", "--dir", dir}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	target := filepath.Join(dir, "dns-lookup")
	for _, f := range []string{"lab.yaml", "solution.lua", "README.md"} {
		data, err := os.ReadFile(filepath.Join(target, f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "[[") {
			t.Errorf("%s: template delimiters left in:\n%s", f, data)
		}
	}
	lab, err := runner.Load(target)
	if err != nil {
		t.Fatalf("the new lab does not load: %v", err)
	}
	if lab.ID != "dns-lookup" {
		t.Errorf("lab id %q, want %q", lab.ID, "dns-lookup")
	}
	if !strings.Contains(stdout.String(), "wirelab run "+target) {
		t.Errorf("stdout does not say how to run it:\n%s", stdout.String())
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "mine")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(target, "lab.yaml")
	if err := os.WriteFile(keep, []byte("lab: mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"init", "mine", "--dir", dir}, &stdout, &stderr); code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	if !strings.Contains(stderr.String(), "already exists") {
		t.Errorf("stderr %q does not say why", stderr.String())
	}
	if data, _ := os.ReadFile(keep); string(data) != "lab: mine\n" {
		t.Errorf("the existing lab.yaml was changed: %q", data)
	}
}

// init takes every id the lab format allows, '.' and '_' included (it
// rejected "dns.v2" and "net_101", valid values of lab:).
func TestInitTakesEveryValidID(t *testing.T) {
	for _, name := range []string{"dns.v2", "net_101", "a", "x-1.2_b"} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		if code := Run([]string{"init", name, "--dir", dir}, &stdout, &stderr); code != ExitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr.String())
		}
		lab, err := runner.Load(filepath.Join(dir, name))
		if err != nil || lab.ID != name {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestInitRejectsBadNames(t *testing.T) {
	for _, name := range []string{"My Lab", "../escape", "-dash", "UPPER", "a/b", "", ".hidden", "_x", strings.Repeat("a", 65)} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			if code := Run([]string{"init", name, "--dir", dir}, &stdout, &stderr); code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("%d entries written for a rejected name", len(entries))
			}
		})
	}
}

// TestInitDirParentMustExist: --dir may name a new folder, but its parent must
// exist: a typo in --dir does not create a whole tree of folders.
func TestInitDirParentMustExist(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dir    string // under a temporary folder
		ok     bool
		absent string // a folder that must not have been created
	}{
		{"existing dir", ".", true, ""},
		{"new dir", "labs", true, ""},
		{"new tree", "nonexistent/deep", false, "nonexistent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, tc.dir)
			var stdout, stderr bytes.Buffer
			code := Run([]string{"init", "mine", "--dir", dir}, &stdout, &stderr)
			_, err := os.Stat(filepath.Join(dir, "mine", "lab.yaml"))
			if tc.ok {
				if code != ExitOK || err != nil {
					t.Fatalf("exit %d (%v), stderr %q", code, err, stderr.String())
				}
				return
			}
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			parent := filepath.Join(root, tc.absent)
			if !strings.Contains(stderr.String(), parent+" does not exist") {
				t.Errorf("stderr %q does not name the missing folder %s", stderr.String(), parent)
			}
			if _, err := os.Stat(parent); err == nil {
				t.Errorf("%s was created", parent)
			}
		})
	}
}
