package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A class in four kinds of file, graded for real on a catalogue lab that
// accepts lua, python and c: the Lua, Python and C references get the same
// full marks, a Python folder its partial score, a C file that does not
// compile is an error, and a file of no known kind a not-graded row with
// the reason. One row each, nothing dropped.
func TestGradeClassOfLanguages(t *testing.T) {
	needSandbox(t)
	const lab = "../labs/port-scan"
	class := t.TempDir()
	copyFile(t, lab+"/solution.lua", filepath.Join(class, "alice.lua"))
	copyFile(t, lab+"/testdata/reference.py", filepath.Join(class, "bea.py"))
	copyFile(t, lab+"/testdata/reference.c", filepath.Join(class, "cal.c"))
	if err := os.Mkdir(filepath.Join(class, "dan"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, lab+"/testdata/submissions/off-by-one.py", filepath.Join(class, "dan", "main.py"))
	if err := os.WriteFile(filepath.Join(class, "eve.c"), []byte("int main(void) { return missing; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(class, "notes.txt"), []byte("ana, ben\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "grades")
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"grade", lab, class, "--out", out, "--jobs", "2"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if want := "graded 6 submissions: 3 passed, 1 failed, 1 error, 0 timeout, 1 not graded"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout has no %q:\n%s", want, stdout.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // student: score,max,status,ended
		"alice": "6,6,passed,ok", "bea": "6,6,passed,ok", "cal": "6,6,passed,ok", "dan": "3,6,failed,ok",
		"eve": "0,6,error,error", "notes": "0,6,not-graded,",
	}
	if len(recs) != len(want)+1 {
		t.Errorf("summary.csv has %d rows, want %d:\n%s", len(recs)-1, len(want), b)
	}
	for _, r := range recs[1:] {
		if got := strings.Join(r[1:5], ","); got != want[r[0]] {
			t.Errorf("%s: %s, want %s", r[0], got, want[r[0]])
		}
		if r[0] == "notes" && !strings.Contains(r[len(r)-1], `"notes.txt" is not a kind of file wirelab can run`) {
			t.Errorf("notes: reason %q", r[len(r)-1])
		}
	}
	// The compiler's message is in eve's report.
	rep, err := os.ReadFile(filepath.Join(out, "eve", "report.txt"))
	if err != nil || !strings.Contains(string(rep), "missing") || !strings.Contains(string(rep), "undeclared") {
		t.Errorf("eve's report.txt (%v) does not give the compiler's message:\n%s", err, rep)
	}
}

// Gradescope mode grades an upload of a lab's other languages: a folder
// holding one Python program, whatever its name.
func TestGradescopePython(t *testing.T) {
	needSandbox(t)
	sub := t.TempDir()
	copyFile(t, "../labs/port-scan/testdata/reference.py", filepath.Join(sub, "scanner.py"))
	results := filepath.Join(t.TempDir(), "results.json")
	var stdout, stderr bytes.Buffer
	code := Run([]string{"grade", "../labs/port-scan", "--gradescope", "--gradescope-submission", sub, "--gradescope-results", results}, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	var gs struct {
		Score float64 `json:"score"`
		Tests []struct {
			Name  string  `json:"name"`
			Score float64 `json:"score"`
		} `json:"tests"`
	}
	if err := json.Unmarshal(b, &gs); err != nil {
		t.Fatal(err)
	}
	if gs.Score != 6 || len(gs.Tests) != 3 {
		t.Errorf("results.json: %s", b)
	}
}

// The README tour's Python step is a command that works: each `go run . run`
// line of README.md that hands in a .py file is run for real, and the
// reference gets the full marks the README promises.
func TestReadmePythonStep(t *testing.T) {
	needSandbox(t)
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, m := range regexp.MustCompile("`(go run \\. run [^`]*--submission [^`]*\\.py)`").FindAllStringSubmatch(string(b), -1) {
		args, ok := commandLine(m[1])
		if !ok {
			t.Fatalf("%q is not a command line", m[1])
		}
		for i, a := range args {
			if strings.HasPrefix(a, "labs/") {
				args[i] = "../" + a // the test runs in cli/
			}
		}
		var stdout, stderr bytes.Buffer
		code := Run(append(args, "--out", filepath.Join(t.TempDir(), "run")), &stdout, &stderr)
		ran++
		if strings.HasSuffix(m[1], "reference.py") {
			if code != ExitOK || !strings.Contains(stdout.String(), "  passed") {
				t.Errorf("%s: exit %d, want full marks:\n%s\n%s", m[1], code, stdout.String(), stderr.String())
			}
		} else if code != ExitFailed || !strings.Contains(stdout.String(), "failed") {
			t.Errorf("%s: exit %d, want a failed grade:\n%s\n%s", m[1], code, stdout.String(), stderr.String())
		}
	}
	if ran < 1 {
		t.Errorf("README.md has %d Python run steps, want at least the reference's", ran)
	}
}
