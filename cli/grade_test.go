package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/runner/grade"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// A Gradescope upload that holds no usable submission still gets a
// results.json the student can read (score 0 and what to fix), not a failed
// autograder; a missing submission folder is the autograder's fault (exit 2).
func TestGradescopeBadUpload(t *testing.T) {
	tests := []struct {
		name   string
		files  []string // in the upload folder
		code   int
		output []string // in results.json's output
	}{
		{"empty", nil, ExitOK, []string{"score 0/9", "This lab takes a Lua script", "name it solution.lua or main.lua", "the upload was empty"}},
		{"two scripts", []string{"a.lua", "b.lua"}, ExitOK, []string{"score 0/9", `"a.lua", "b.lua"`}},
		{"no script", []string{"notes.txt"}, ExitOK, []string{"score 0/9", `"notes.txt"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			upload := filepath.Join(dir, "submission")
			if err := os.Mkdir(upload, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(upload, f), []byte("print(1)\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			results := filepath.Join(dir, "results", "results.json")
			code, stdout, stderr := scriptRun("grade", runLab, "--gradescope",
				"--gradescope-submission", upload, "--gradescope-results", results)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			b, err := os.ReadFile(results)
			if err != nil {
				t.Fatalf("no results.json: %v", err)
			}
			var gs struct {
				Score  float64 `json:"score"`
				Output string  `json:"output"`
			}
			if err := json.Unmarshal(b, &gs); err != nil {
				t.Fatalf("results.json: %v\n%s", err, b)
			}
			if gs.Score != 0 {
				t.Errorf("score %v, want 0", gs.Score)
			}
			for _, w := range tt.output {
				if !strings.Contains(gs.Output, w) {
					t.Errorf("output has no %q:\n%s", w, gs.Output)
				}
			}
		})
	}
	t.Run("missing folder", func(t *testing.T) {
		dir := t.TempDir()
		results := filepath.Join(dir, "results.json")
		code, _, stderr := scriptRun("grade", runLab, "--gradescope",
			"--gradescope-submission", filepath.Join(dir, "nope"), "--gradescope-results", results)
		if code != ExitError || !strings.Contains(stderr, "nope") {
			t.Errorf("exit %d, stderr %q; want exit 2 naming the folder", code, stderr)
		}
		if _, err := os.Stat(results); err == nil {
			t.Error("results.json written for a missing submission folder")
		}
	})
}

// What the lab cannot run is named on stderr and is a row of the class (not
// graded), never silently left out; a student's folder with one script in
// it is graded whatever the script's name.
func TestGradeNamesWhatItCannotRun(t *testing.T) {
	needSandbox(t)
	class := t.TempDir()
	ref, err := os.ReadFile(filepath.Join(runLab, "solution.lua"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(class, "alice.lua"), ref, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(class, "bob"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(class, "bob", "client.lua"), ref, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(class, "carol.py"), []byte("print(1)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "grades")
	code, stdout, stderr := scriptRun("grade", runLab, class, "--out", out)
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if want := "warning: " + filepath.Join(class, "carol.py") + `: not graded: "carol.py" is a Python program, and lab "run-http" accepts lua only`; !strings.Contains(stderr, want) {
		t.Errorf("stderr has no %q:\n%s", want, stderr)
	}
	if !strings.Contains(stdout, "graded 3 submissions: 2 passed, 0 failed, 0 error, 0 timeout, 1 not graded") {
		t.Errorf("stdout:\n%s", stdout)
	}
	csv, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil || !strings.Contains(string(csv), "\ncarol,0,9,not-graded,") {
		t.Errorf("summary.csv (%v):\n%s", err, csv)
	}
}

func TestMergeAndGradeUsage(t *testing.T) {
	classDir := t.TempDir()
	notDir := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no folders", []string{"merge", "--out", "x"}, "merge needs the output folders"},
		{"missing folder", []string{"merge", "no/such/shard", "--out", "x"}, `"no/such/shard" is not a folder`},
		{"a file", []string{"merge", notDir, "--out", "x"}, "is not a folder"},
		{"no --out", []string{"merge", t.TempDir()}, "merge needs --out DIR"},
		{"grade --jobs", []string{"grade", runLab, t.TempDir(), "--jobs", "-3"}, "--jobs -3"},
		{"grade --repeat", []string{"grade", runLab, t.TempDir(), "--repeat", "0"}, "--repeat 0"},
		{"grade out in lab", []string{"grade", runLab, t.TempDir(), "--out", runLab + "/grades"}, "is inside the lab's folder"},
		{"grade out in class", []string{"grade", runLab, classDir, "--out", filepath.Join(classDir, "grades")}, "is inside the submissions folder"},
		{"grade none in parallel", []string{"grade", runLab, t.TempDir(), "--isolation", "none", "--jobs", "4"}, "--isolation=none grades one submission at a time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := scriptRun(tt.args...)
			if code != ExitError || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.stderr)
			}
		})
	}
}

// On a terminal the bar replaces itself, so a student who could not be graded
// is printed above it: the closing "see above" must have something above.
func TestProgressNamesErrorsOnTerminal(t *testing.T) {
	var b strings.Builder
	p := &progress{w: &b, tty: true, start: time.Now(), counts: map[result.Status]int{}}
	p.event(grade.Event{Done: 1, Total: 2, Row: &grade.Row{Student: "alice", MaxScore: 9, Status: result.StatusPassed}})
	p.event(grade.Event{Done: 2, Total: 2, Row: &grade.Row{Student: "bob", MaxScore: 9, Status: result.StatusError, Reason: "service \"web\": bind: address already in use"}})
	p.finish()
	out := b.String()
	if strings.Contains(out, "alice 0/9") {
		t.Errorf("a graded student got a line of its own:\n%q", out)
	}
	if !strings.Contains(out, "bob 0/9 error  service \"web\": bind: address already in use\n") {
		t.Errorf("the ungraded student is not named:\n%q", out)
	}
	if !strings.Contains(out, "2/2  passed 1  failed 0  error 1") {
		t.Errorf("no bar:\n%q", out)
	}
}
