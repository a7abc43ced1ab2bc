package grade_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/grade"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// quickRun stands in for a sandboxed run where only the batch's bookkeeping is
// under test: it passes every submission, except one whose run cannot be
// carried out (the machine's fault).
func quickRun(ctx context.Context, lab *runner.Lab, entry, dir string) (*result.Result, error) {
	if strings.Contains(filepath.Base(entry), "machine-fault") {
		return nil, errors.New("the sandbox could not start")
	}
	return &result.Result{
		Version: result.Version, Lab: result.LabInfo{ID: lab.ID, SHA256: lab.SHA256},
		Status: result.StatusPassed, Score: lab.MaxScore(), MaxScore: lab.MaxScore(),
		Checks: []result.CheckResult{{Name: "ran", Status: result.CheckPass, Points: lab.MaxScore(), MaxPoints: lab.MaxScore()}},
	}, nil
}

// Every submission gets exactly one row in summary.csv, summary.json and
// junit.xml, whatever its name: names of the class files, x and x.old, a
// 251-byte name, dot-files, escape sequences and spreadsheet formulas; and
// submissions that could not be graded (a folder too big to hash, a run the
// machine could not carry out) have their row too, on every batch.
func TestEveryNameOneRow(t *testing.T) {
	lab := loadLab(t)
	class := t.TempDir()
	long := strings.Repeat("n", 251)
	ids := []string{"summary.csv", "summary.json", "junit.xml", "index.html", "x", "x.old", long, ".dot",
		"evil\x1b]0;pwned\x07\x1b[2K", `=HYPERLINK("http:example.com","x")`, "machine-fault", "@x", "big"}
	for _, id := range ids {
		if id == "big" {
			continue
		}
		writeFile(t, filepath.Join(class, id+".lua"), "print(1)\n")
	}
	// A file of no language wirelab knows: a row, not graded, with why.
	writeFile(t, filepath.Join(class, "roster.txt"), "ana, ben\n")
	ids = append(ids, "roster")
	// A folder too big to hash.
	writeFile(t, filepath.Join(class, "big", "solution.lua"), "print(1)\n")
	f, err := os.Create(filepath.Join(class, "big", "data.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(65 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()

	subs, err := grade.Discover([]string{class}, lab)
	if err != nil {
		t.Fatalf("discover: %v", err)
	}
	if len(subs) != len(ids) {
		t.Fatalf("%d submissions, want %d: %v", len(subs), len(ids), subs)
	}
	out := t.TempDir()
	for batch := 1; batch <= 2; batch++ {
		if _, err := grade.Grade(context.Background(), lab, subs, grade.Options{Out: out, Jobs: 2, Run: quickRun}); err != nil {
			t.Fatalf("batch %d: %v", batch, err)
		}
		checkRows(t, out, ids, batch)
	}
	// Grading x again keeps x.old (it used to be deleted as x's backup).
	writeFile(t, filepath.Join(class, "x.lua"), "print(2)\n")
	if _, err := grade.Grade(context.Background(), lab, subs, grade.Options{Out: out, Run: quickRun}); err != nil {
		t.Fatal(err)
	}
	checkRows(t, out, ids, 3)
}

func checkRows(t *testing.T, out string, ids []string, batch int) {
	t.Helper()
	want := append([]string(nil), ids...)
	sort.Strings(want)
	var sum grade.Summary
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, grade.SummaryJSON))), &sum); err != nil {
		t.Fatalf("batch %d: summary.json: %v", batch, err)
	}
	var got []string
	status := map[string]result.Status{}
	for _, r := range sum.Students {
		got = append(got, r.Student)
		status[r.Student] = r.Status
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("batch %d: summary.json students\n%q\nwant\n%q", batch, got, want)
	}
	for _, id := range []string{"big", "machine-fault"} {
		if status[id] != result.StatusError {
			t.Errorf("batch %d: %s: status %q, want error", batch, id, status[id])
		}
	}
	recs, err := csv.NewReader(strings.NewReader(readFile(t, filepath.Join(out, grade.SummaryCSV)))).ReadAll()
	if err != nil {
		t.Fatalf("batch %d: summary.csv: %v", batch, err)
	}
	if len(recs) != len(ids)+1 {
		t.Errorf("batch %d: summary.csv has %d rows, want %d", batch, len(recs)-1, len(ids))
	}
	for _, r := range recs[1:] {
		if strings.ContainsAny(r[0][:1], "=+-@\t\r") {
			t.Errorf("batch %d: summary.csv cell %q would be a spreadsheet formula", batch, r[0])
		}
	}
	junit := readFile(t, filepath.Join(out, grade.JUnitFile))
	if n := strings.Count(junit, "<testsuite "); n != len(ids) {
		t.Errorf("batch %d: junit.xml has %d testsuites, want %d", batch, n, len(ids))
	}
	if status["roster"] != result.StatusNotGraded {
		t.Errorf("batch %d: roster: status %q, want not-graded", batch, status["roster"])
	}
	if !strings.Contains(junit, `message="&#34;roster.txt&#34; is not a kind of file wirelab can run`) {
		t.Errorf("batch %d: junit.xml does not say why roster was not graded", batch)
	}
	for _, r := range recs {
		if r[0] == "roster" && (r[3] != "not-graded" || !strings.Contains(r[len(r)-1], "is not a kind of file wirelab can run")) {
			t.Errorf("batch %d: summary.csv row %q: want status not-graded and the reason last", batch, r)
		}
	}
	if !strings.Contains(junit, `message="the sandbox could not start"`) {
		t.Errorf("batch %d: junit.xml does not say why machine-fault was not graded", batch)
	}
}

// A student's folder name never is a class file, a dot-folder, an .old
// leftover or too long, and names that differ get different folders.
func TestFolderName(t *testing.T) {
	seen := map[string]string{}
	for _, id := range []string{"alice", "a.b-c_d", "summary.csv", "SUMMARY.CSV", "junit.xml", "x.old", ".x", "..", "a/b", "@a",
		strings.Repeat("é", 200), strings.Repeat("n", 251), strings.Repeat("n", 252), "\x1b[2J", "=1+1"} {
		name := grade.FolderName(id)
		if len(name) > 100 || name == "" || name[0] == '.' || strings.HasSuffix(name, ".old") || strings.ContainsAny(name, "/\x00") ||
			name == grade.SummaryCSV || name == grade.SummaryJSON || name == grade.JUnitFile || strings.EqualFold(name, grade.SummaryCSV) {
			t.Errorf("FolderName(%q) = %q", id, name)
		}
		if prev, ok := seen[name]; ok {
			t.Errorf("FolderName(%q) = FolderName(%q) = %q", id, prev, name)
		}
		seen[name] = id
	}
	if got := grade.FolderName("alice"); got != "alice" {
		t.Errorf("a plain id's folder is %q, want the id", got)
	}
}
