package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGradeCommand(t *testing.T) {
	needSandbox(t)
	class := t.TempDir()
	copyFile(t, "../labs/http-client/solution.lua", filepath.Join(class, "ana.lua"))
	copyFile(t, "../labs/http-client/testdata/submissions/no-host.lua", filepath.Join(class, "bo.lua"))
	out := filepath.Join(t.TempDir(), "grades")

	for round, want := range []string{"graded 2 submissions: 1 passed, 1 failed", "(2 kept from an earlier run)"} {
		var stdout, stderr bytes.Buffer
		code := Run([]string{"grade", "../labs/http-client", class, "--out", out, "--jobs", "2"}, &stdout, &stderr)
		if code != ExitOK || !strings.Contains(stdout.String(), want) {
			t.Fatalf("round %d: exit %d, stdout:\n%s\nstderr:\n%s", round+1, code, stdout.String(), stderr.String())
		}
		// Not a terminal: one plain progress line per student.
		if lines := strings.Count(stderr.String(), "\n"); lines != 2 {
			t.Errorf("round %d: %d progress lines, want 2:\n%s", round+1, lines, stderr.String())
		}
	}
	csv, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "student,score,max,status,ended,three-way handshake,") ||
		!strings.HasPrefix(rows[1], "ana,9,9,passed,ok,") || !strings.HasPrefix(rows[2], "bo,4,9,failed,ok,") {
		t.Errorf("summary.csv:\n%s", csv)
	}

	// junit.xml: a testsuite per student, a testcase per check.
	var ju struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	jb, err := os.ReadFile(filepath.Join(out, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(jb, &ju); err != nil {
		t.Fatal(err)
	}
	if len(ju.Suites) != 2 || ju.Suites[0].Name != "ana" || ju.Suites[1].Name != "bo" || len(ju.Suites[0].Cases) != 6 || ju.Tests != 12 || ju.Failures == 0 {
		t.Errorf("junit.xml:\n%s", jb)
	}

	// Shards merge into the same summary.
	var shards []string
	for _, k := range []string{"1/2", "2/2"} {
		d := filepath.Join(t.TempDir(), "shard")
		shards = append(shards, d)
		if code := Run([]string{"grade", "../labs/http-client", class, "--out", d, "--shard", k}, new(bytes.Buffer), new(bytes.Buffer)); code != ExitOK {
			t.Fatalf("shard %s: exit %d", k, code)
		}
	}
	merged := filepath.Join(t.TempDir(), "merged")
	var stdout bytes.Buffer
	if code := Run(append([]string{"merge", "--out", merged}, shards...), &stdout, new(bytes.Buffer)); code != ExitOK {
		t.Fatalf("merge: exit %d: %s", code, stdout.String())
	}
	got, _ := os.ReadFile(filepath.Join(merged, "summary.csv"))
	if string(got) != string(csv) {
		t.Errorf("merged summary.csv differs:\n%s\nwant:\n%s", got, csv)
	}
}

func TestGradeGradescope(t *testing.T) {
	needSandbox(t)
	sub := t.TempDir()
	copyFile(t, "../labs/http-client/solution.lua", filepath.Join(sub, "solution.lua"))
	results := filepath.Join(t.TempDir(), "results", "results.json")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the run's artifacts go: nothing may be left
	var stdout, stderr bytes.Buffer
	code := Run([]string{"grade", "../labs/http-client", "--gradescope", "--gradescope-submission", sub, "--gradescope-results", results}, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "wirelab-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	var gs struct {
		Score float64 `json:"score"`
		Tests []struct {
			Name     string  `json:"name"`
			Score    float64 `json:"score"`
			MaxScore float64 `json:"max_score"`
		} `json:"tests"`
	}
	b, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gs); err != nil {
		t.Fatal(err)
	}
	if gs.Score != 9 || len(gs.Tests) != 6 || gs.Tests[0].Name != "three-way handshake" || gs.Tests[0].MaxScore != 2 {
		t.Errorf("results.json: %s", b)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGradeLabError: a lab whose own service raises grades every student
// lab-error, by name in summary.csv, summary.json (counted apart), junit.xml
// and each result.json, with exit 3; the next batch grades them again rather
// than keeping the lab's fault as their grade. run says so too. Every result
// file names the wirelab that wrote it.
func TestGradeLabError(t *testing.T) {
	needSandbox(t)
	lab := "../runner/testdata/run/laberror"
	class := t.TempDir()
	copyFile(t, lab+"/solution.lua", filepath.Join(class, "ana.lua"))
	copyFile(t, lab+"/solution.lua", filepath.Join(class, "bo.lua"))
	out := filepath.Join(t.TempDir(), "grades")
	for round := 1; round <= 2; round++ {
		var stdout, stderr bytes.Buffer
		code := Run([]string{"grade", lab, class, "--out", out}, &stdout, &stderr)
		if code != ExitRetry || !strings.Contains(stdout.String(), "graded 2 submissions: 0 passed, 0 failed, 0 error, 0 timeout, 2 lab-error") ||
			!strings.Contains(stdout.String(), "2 runs were graded lab-error") || strings.Contains(stdout.String(), "kept") {
			t.Fatalf("round %d: exit %d, stdout:\n%s\nstderr:\n%s", round, code, stdout.String(), stderr.String())
		}
	}
	csv, _ := os.ReadFile(filepath.Join(out, "summary.csv"))
	if !strings.Contains(string(csv), "\nana,1,1,lab-error,") || !strings.Contains(string(csv), "\nbo,1,1,lab-error,") {
		t.Errorf("summary.csv:\n%s", csv)
	}
	var sum struct {
		Wirelab string
		Totals  struct {
			LabError int `json:"lab_error"`
		}
		Students []struct{ Status, Reason string }
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil || sum.Totals.LabError != 2 || sum.Wirelab == "" || sum.Students[0].Status != "lab-error" ||
		!strings.Contains(sum.Students[0].Reason, `the lab's service "broken" failed`) {
		t.Errorf("summary.json: %v\n%s", err, b)
	}
	if ju, _ := os.ReadFile(filepath.Join(out, "junit.xml")); !strings.Contains(string(ju), `<property name="status" value="lab-error"></property>`) {
		t.Errorf("junit.xml:\n%s", ju)
	}
	var res struct{ Wirelab, Status string }
	b, _ = os.ReadFile(filepath.Join(out, "ana", "result.json"))
	if err := json.Unmarshal(b, &res); err != nil || res.Status != "lab-error" || res.Wirelab != version() {
		t.Errorf("result.json: %v %+v (want wirelab %q)", err, res, version())
	}
	code, stdout, stderr := run("run", lab, "--out", t.TempDir())
	if code != ExitRetry || !strings.Contains(stdout, "lab-error") || !strings.Contains(stderr, `lab error: the lab's service "broken" failed`) {
		t.Errorf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
