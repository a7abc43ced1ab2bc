package labs

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/runner"
)

// expectation is a submission's recorded outcome: <name>.expect.yaml beside
// <name>.lua in a lab's testdata/submissions.
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

// submissions reads a lab's recorded submissions: every .lua file needs its
// .expect.yaml, and the reverse.
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
		switch {
		case strings.HasSuffix(name, ".lua"):
			base := strings.TrimSuffix(name, ".lua")
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
			out = append(out, submission{name: base, script: abs, want: want})
		case strings.HasSuffix(name, ".expect.yaml"):
		default:
			t.Errorf("%s: unexpected file in testdata/submissions", filepath.Join(sub, name))
		}
	}
	for _, e := range entries {
		if base, ok := strings.CutSuffix(e.Name(), ".expect.yaml"); ok && !seen[base] {
			t.Errorf("%s: no %s.lua beside it", filepath.Join(sub, e.Name()), base)
		}
	}
	if len(out) < 2 {
		t.Errorf("%s: %d recorded submissions, want at least 2", sub, len(out))
	}
	return out
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
			for _, s := range submissions(t, dir) {
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
