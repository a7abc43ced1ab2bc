package labs

import (
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/runner"
)

// expectation is a submission's recorded outcome: <name>.expect.yaml beside
// <name>.lua (or <name>.py, <name>.c: one record for every language of the
// same mistake) in a lab's testdata/submissions.
type expectation struct {
	Score    float64           `yaml:"score"`
	MaxScore float64           `yaml:"max_score"`
	Status   string            `yaml:"status"`
	Checks   map[string]string `yaml:"checks"`
}

// submission is one recorded submission of a lab.
type submission struct {
	name, script string
	want         expectation
}

// submissionExts are the kinds of file a lab records submissions in: the
// Lua worker's, and the programs of the seed chapter's languages.
var submissionExts = []string{".lua", ".py", ".c"}

// submissionName names a recorded submission in test names: a Lua one by its
// base name, as before programs could be submitted; another by its file name.
func submissionName(file string) string {
	if base, ok := strings.CutSuffix(file, ".lua"); ok {
		return base
	}
	return file
}

// catalogue returns the lab folders of the source tree, sorted.
func catalogue(t *testing.T) []string {
	t.Helper()
	matches, err := filepath.Glob("*/lab.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, m := range matches {
		dirs = append(dirs, filepath.Dir(m))
	}
	sort.Strings(dirs)
	if len(dirs) == 0 {
		t.Fatal("no lab folders found")
	}
	return dirs
}

// references returns a lab's references in other languages than Lua,
// testdata/reference.EXT, as absolute paths: each must get full marks.
func references(t *testing.T, dir string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "testdata", "reference.*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range matches {
		if !slices.Contains(submissionExts, filepath.Ext(m)) || filepath.Ext(m) == ".lua" {
			t.Errorf("%s: a reference is reference.py or reference.c (solution.lua is the Lua one)", m)
			continue
		}
		abs, _ := filepath.Abs(m)
		out = append(out, abs)
	}
	return out
}

// submissions reads a lab's recorded submissions: every .lua, .py and .c
// file needs its .expect.yaml (shared by the files of the same base name),
// and the reverse.
func submissions(t *testing.T, dir string) []submission {
	t.Helper()
	sub := filepath.Join(dir, "testdata", "submissions")
	entries, err := os.ReadDir(sub)
	if err != nil {
		t.Fatalf("%s: %v (every lab records wrong submissions)", sub, err)
	}
	var out []submission
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		switch ext := filepath.Ext(name); {
		case strings.HasSuffix(name, ".expect.yaml"):
		case slices.Contains(submissionExts, ext):
			base := strings.TrimSuffix(name, ext)
			seen[base] = true
			data, err := os.ReadFile(filepath.Join(sub, base+".expect.yaml"))
			if err != nil {
				t.Errorf("%s: %v: record the outcome beside the submission", filepath.Join(sub, name), err)
				continue
			}
			var want expectation
			dec := yaml.NewDecoder(strings.NewReader(string(data)))
			dec.KnownFields(true)
			if err := dec.Decode(&want); err != nil {
				t.Errorf("%s.expect.yaml: %v", filepath.Join(sub, base), err)
				continue
			}
			abs, _ := filepath.Abs(filepath.Join(sub, name))
			out = append(out, submission{name: submissionName(name), script: abs, want: want})
		default:
			t.Errorf("%s: unexpected file in testdata/submissions", filepath.Join(sub, name))
		}
	}
	for _, e := range entries {
		if base, ok := strings.CutSuffix(e.Name(), ".expect.yaml"); ok && !seen[base] {
			t.Errorf("%s: no %s.lua (or .py, .c) beside it", filepath.Join(sub, e.Name()), base)
		}
	}
	if len(out) < 2 {
		t.Errorf("%s: %d recorded submissions, want at least 2", sub, len(out))
	}
	return out
}

// needTools skips a run of a program whose language's tools (python3, cc)
// the machine lacks, and fails it in CI, which installs them.
func needTools(t *testing.T, file string) {
	t.Helper()
	tool := map[string]string{".py": "python3", ".c": "cc"}[filepath.Ext(file)]
	if tool == "" {
		return
	}
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s needs %s, and CI is set: CI installs it", filepath.Base(file), tool)
		}
		t.Skipf("%s needs %s, which is not installed", filepath.Base(file), tool)
	}
}

// TestCatalogueLoads checks that every lab loads and compiles, ships what a lab
// folder must hold, and that every recorded outcome is consistent with the lab:
// the same checks, and a score that is the sum of the passed checks' points.
func TestCatalogueLoads(t *testing.T) {
	for _, dir := range catalogue(t) {
		t.Run(dir, func(t *testing.T) {
			lab, err := runner.Load(dir)
			if err != nil {
				t.Fatalf("runner.Load: %v", err)
			}
			if lab.ID != dir {
				t.Errorf("lab id %q differs from its folder %q", lab.ID, dir)
			}
			for _, f := range []string{"README.md", "solution.lua"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("missing %s: %v", f, err)
				}
			}
			if filepath.Base(lab.Submission.File) != "solution.lua" {
				t.Errorf("submission.file is %q, want solution.lua", lab.Submission.File)
			}
			points := map[string]float64{}
			for _, c := range lab.Checks {
				points[c.Name] = c.Points
			}
			for _, p := range references(t, dir) {
				if _, err := lab.Resolve(p); err != nil {
					t.Errorf("%s: %v", p, err)
				}
			}
			for _, s := range submissions(t, dir) {
				if _, err := lab.Resolve(s.script); err != nil {
					t.Errorf("%s: %v", s.script, err)
				}
				w := s.want
				if w.MaxScore != lab.MaxScore() {
					t.Errorf("%s: max_score %g, the lab's is %g", s.name, w.MaxScore, lab.MaxScore())
				}
				var score float64
				for name, outcome := range w.Checks {
					p, ok := points[name]
					if !ok {
						t.Errorf("%s: check %q is not in the lab", s.name, name)
					}
					switch outcome {
					case "pass":
						score += p
					case "fail", "skip", "error":
					default:
						t.Errorf("%s: check %q: outcome %q is not pass, fail, skip or error", s.name, name, outcome)
					}
				}
				for name := range points {
					if _, ok := w.Checks[name]; !ok {
						t.Errorf("%s: no recorded outcome for check %q", s.name, name)
					}
				}
				if math.Abs(score-w.Score) > 1e-9 {
					t.Errorf("%s: recorded score %g, but the passed checks are worth %g", s.name, w.Score, score)
				}
				wantStatus := "failed"
				if score == lab.MaxScore() {
					wantStatus = "passed"
				}
				if w.Status != wantStatus && w.Status != "timeout" && w.Status != "error" {
					t.Errorf("%s: status %q, want %q for that score", s.name, w.Status, wantStatus)
				}
			}
		})
	}
}

// TestEmbeddedCatalogue checks that List sees every lab folder of the source
// tree, with the loader's title and points: nothing is missing from the embed
// patterns.
func TestEmbeddedCatalogue(t *testing.T) {
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	dirs := catalogue(t)
	if len(list) != len(dirs) {
		t.Fatalf("List has %d labs, the source tree %d", len(list), len(dirs))
	}
	for i, l := range list {
		dir := dirs[i]
		lab, err := runner.Load(dir)
		if err != nil {
			continue // reported by TestCatalogueLoads
		}
		if l.Name != lab.ID || l.Title != lab.Title || l.Points != lab.MaxScore() || l.Dir != "labs/"+dir {
			t.Errorf("List()[%d] = %+v; the loader says id %q, title %q, points %g, folder labs/%s", i, l, lab.ID, lab.Title, lab.MaxScore(), dir)
		}
		// Every file of the folder is embedded.
		err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if _, err := fs.Stat(FS(), filepath.ToSlash(p)); err != nil {
				t.Errorf("%s is not embedded: add a pattern to the go:embed line in labs.go", p)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	if _, ok := Get("http-client"); !ok {
		t.Error(`Get("http-client") found nothing`)
	}
	if _, ok := Get("no-such-lab"); ok {
		t.Error(`Get("no-such-lab") found a lab`)
	}
}
