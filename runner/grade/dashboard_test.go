package grade_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wirelab-dev/wirelab/internal/browsertest"
	"github.com/wirelab-dev/wirelab/runner/grade"
)

// dashboardClass grades a small class with one submission of several
// outcomes: passed, wrong answers, a script error, the output limit.
func dashboardClass(t *testing.T) string {
	t.Helper()
	needSandbox(t)
	lab := loadLab(t)
	src := t.TempDir()
	copyFile := func(from, to string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(src, to), string(b))
	}
	copyFile("testdata/lab/solution.lua", "ada.lua")
	copyFile("testdata/lab/solution.lua", "bob.lua")
	copyFile("testdata/hostile/syntax-error.lua", "cy.lua")
	// (No memory bomb: on a loaded machine it may reach the deadline first.)
	copyFile("testdata/hostile/output-flood.lua", "eve.lua")
	// Connects but sends a POST and prints nothing.
	writeFile(t, filepath.Join(src, "fay.lua"), `local socket = require("socket")
local c = assert(socket.connect(lab.args.host, lab.args.port))
c:send("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
c:receive("*a")
c:close()
`)
	subs, err := grade.Discover([]string{src}, lab)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := grade.Grade(context.Background(), lab, subs, grade.Options{Out: out, Jobs: 2, Run: sandboxRun}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDashboard: grade writes index.html beside summary.csv, whose per-check
// pass rates are summary.csv's (the students with a check's full points),
// whose outcome counts name every outcome, and which links each student's
// report. In headless Chromium it loads without console errors and its
// student table sorts by score.
func TestDashboard(t *testing.T) {
	out := dashboardClass(t)
	page := readFile(t, filepath.Join(out, grade.DashboardFile))
	f, err := os.Open(filepath.Join(out, grade.SummaryCSV))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	head, rows := recs[0], recs[1:]
	// The fixture's checks are all-or-nothing: passing is having its points.
	maxPts := map[string]float64{"handshake": 2, "sends GET /": 2, "prints the status line": 1, "ends cleanly": 1}
	if head[len(head)-2] != "flaky" || head[len(head)-1] != "reason" {
		t.Fatalf("summary.csv's last columns are %q, want flaky and reason", head[len(head)-2:])
	}
	for col := 5; col < len(head)-2; col++ { // the checks, between ended and flaky
		name := head[col]
		passed := 0
		for _, r := range rows {
			if p, _ := strconv.ParseFloat(r[col], 64); p == maxPts[name] && p > 0 {
				passed++
			}
		}
		re := regexp.MustCompile(`<tr data-check="` + regexp.QuoteMeta(name) + `" data-passed="(\d+)" data-total="(\d+)">`)
		m := re.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("index.html has no row for check %q", name)
			continue
		}
		if m[1] != strconv.Itoa(passed) || m[2] != strconv.Itoa(len(rows)) {
			t.Errorf("check %q: index.html says %s/%s passed, summary.csv %d/%d", name, m[1], m[2], passed, len(rows))
		}
	}
	for outcome, n := range map[string]int{"passed": 2, "failed": 1, "failed (script error)": 1, "output": 1} {
		re := regexp.MustCompile(`data-outcome="` + regexp.QuoteMeta(outcome) + `"><span>[^<]*</span><b>(\d+)</b>`)
		if m := re.FindStringSubmatch(page); m == nil || m[1] != strconv.Itoa(n) {
			t.Errorf("outcome %q: %v in index.html, want %d", outcome, m, n)
		}
	}
	for _, r := range rows {
		link := `href="` + r[0] + `/report.html"`
		if !strings.Contains(page, link) {
			t.Errorf("no link to %s's report", r[0])
		}
		if _, err := os.Stat(filepath.Join(out, r[0], "report.html")); err != nil {
			t.Errorf("%s has no report.html: %v", r[0], err)
		}
	}

	b := browsertest.New(t)
	p := b.Open(t, browsertest.FileURL(t, filepath.Join(out, grade.DashboardFile)), 1280, 900)
	if n := p.Count("#students tbody tr"); n != len(rows) {
		t.Errorf("%d students in the table, want %d", n, len(rows))
	}
	bars := browsertest.Eval[int](p, `Array.from(document.querySelectorAll("#histogram .bar")).reduce((s, b) => s + +b.dataset.n, 0)`)
	if bars != len(rows) {
		t.Errorf("the histogram counts %d students, want %d", bars, len(rows))
	}
	// Sorting by score, twice: ascending, then descending.
	scores := `Array.from(document.querySelectorAll("#students tbody tr td:nth-child(2)")).map(td => +td.dataset.v)`
	for _, dir := range []string{"ascending", "descending"} {
		p.Do(chromedp.Click(chromedp.CSS(`#students th:nth-child(2)`)))
		got := browsertest.Eval[[]float64](p, scores)
		for i := 1; i < len(got); i++ {
			if (dir == "ascending" && got[i] < got[i-1]) || (dir == "descending" && got[i] > got[i-1]) {
				t.Errorf("sorted %s by score: %v", dir, got)
				break
			}
		}
	}
	if errs := p.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	p.Screenshot(filepath.Join(browsertest.ArtifactDir(t, "dashboard"), "dashboard.png"))
	// A student's report opens from the dashboard.
	p2 := b.Open(t, browsertest.FileURL(t, filepath.Join(out, "fay", "report.html")), 1280, 900)
	if n := p2.Count("#flow-svg .arrow"); n == 0 {
		t.Error("fay's report draws no arrows")
	}
	if errs := p2.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors in fay's report:\n%s", strings.Join(errs, "\n"))
	}
}
