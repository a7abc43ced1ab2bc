package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/runner/result"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixture is a Result from evaluating http-get.pcap (see the runner package's
// TestWriteReportFixture): passes, failures, a broken sequence, a skip.
func fixture(t *testing.T) *result.Result {
	t.Helper()
	b, err := os.ReadFile("testdata/result.json")
	if err != nil {
		t.Fatal(err)
	}
	var res result.Result
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	res := fixture(t)
	ext := map[string]string{"text": "txt", "json": "json", "junit": "xml", "tap": "tap", "gradescope": "json", "github": "json", "prairielearn": "json"}
	for _, f := range Formats() {
		if f == "html" {
			continue // rendered and checked in a browser: html_test.go
		}
		t.Run(f, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, f, res); err != nil {
				t.Fatal(err)
			}
			golden(t, f+".golden."+ext[f], b.Bytes())
		})
		if studentFacing(f) {
			// The fixture has hidden checks: the grader's view differs.
			t.Run(f+"-grader", func(t *testing.T) {
				var b bytes.Buffer
				if err := WriteOptions(&b, f, res, Options{Grader: true}); err != nil {
					t.Fatal(err)
				}
				golden(t, f+".grader.golden."+ext[f], b.Bytes())
			})
		}
	}
	t.Run("text-color", func(t *testing.T) {
		var b bytes.Buffer
		if err := WriteOptions(&b, "text", res, Options{Color: true}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "\x1b[31mFAIL") {
			t.Error("no colour with Color set")
		}
		var plain bytes.Buffer
		Write(&plain, "text", res)
		if strings.Contains(plain.String(), "\x1b[") {
			t.Error("colour without Color")
		}
	})
}

func TestUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "html5", fixture(t))
	if err == nil || !strings.Contains(err.Error(), `unknown report format "html5" (known: text, github, gradescope, html, json, junit, prairielearn, tap)`) {
		t.Errorf("err = %v", err)
	}
}

// TestJSONRoundTrip: the json report is the Result, version and all.
func TestJSONRoundTrip(t *testing.T) {
	res := fixture(t)
	var b bytes.Buffer
	Write(&b, "json", res)
	var back result.Result
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Version != 1 || back.Score != res.Score || len(back.Checks) != len(res.Checks) || back.Duration != res.Duration {
		t.Errorf("round trip lost data: %+v", back)
	}
}

// TestJUnitStructure checks the XML against the JUnit schema's structure:
// testsuites > testsuite > testcase, the count attributes, one child per
// failing, erroring or skipped case.
func TestJUnitStructure(t *testing.T) {
	res := fixture(t)
	var b bytes.Buffer
	WriteOptions(&b, "junit", res, Options{Grader: true}) // every check
	type problem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    *int     `xml:"tests,attr"`
		Failures *int     `xml:"failures,attr"`
		Errors   *int     `xml:"errors,attr"`
		Suites   []struct {
			Name     string  `xml:"name,attr"`
			Tests    int     `xml:"tests,attr"`
			Failures int     `xml:"failures,attr"`
			Errors   int     `xml:"errors,attr"`
			Skipped  int     `xml:"skipped,attr"`
			Time     float64 `xml:"time,attr"`
			Cases    []struct {
				Name      string   `xml:"name,attr"`
				Classname string   `xml:"classname,attr"`
				Time      *float64 `xml:"time,attr"`
				Failure   *problem `xml:"failure"`
				Error     *problem `xml:"error"`
				Skipped   *problem `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests == nil || doc.Failures == nil || doc.Errors == nil || len(doc.Suites) != 1 {
		t.Fatalf("testsuites lacks attributes or suites: %s", b.String())
	}
	s := doc.Suites[0]
	if s.Name != res.Lab.ID || s.Tests != len(res.Checks) || len(s.Cases) != s.Tests || *doc.Tests != s.Tests {
		t.Errorf("suite %q tests=%d cases=%d", s.Name, s.Tests, len(s.Cases))
	}
	fail, errs, skip := 0, 0, 0
	for i, c := range s.Cases {
		if c.Name != res.Checks[i].Name || c.Classname == "" || c.Time == nil {
			t.Errorf("case %d: %+v", i, c)
		}
		n := 0
		if c.Failure != nil {
			fail++
			n++
			if c.Failure.Message == "" {
				t.Errorf("case %q: failure without message", c.Name)
			}
		}
		if c.Error != nil {
			errs++
			n++
		}
		if c.Skipped != nil {
			skip++
			n++
		}
		if n > 1 {
			t.Errorf("case %q has %d outcomes", c.Name, n)
		}
		if (n == 0) != (res.Checks[i].Status == result.CheckPass) {
			t.Errorf("case %q: outcome does not match status %s", c.Name, res.Checks[i].Status)
		}
	}
	if fail != s.Failures || errs != s.Errors || skip != s.Skipped || *doc.Failures != fail || *doc.Errors != errs {
		t.Errorf("counts: attributes %d/%d/%d, cases %d/%d/%d", s.Failures, s.Errors, s.Skipped, fail, errs, skip)
	}
}

// TestGradescopeSchema checks field names and JSON types of results.json as
// Gradescope documents them.
func TestGradescopeSchema(t *testing.T) {
	var b bytes.Buffer
	Write(&b, "gradescope", fixture(t))
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	top := map[string]string{"score": "number", "execution_time": "number", "output": "string", "visibility": "string", "stdout_visibility": "string", "tests": "array"}
	checkTypes(t, "results", doc, top)
	vis := map[string]bool{"visible": true, "hidden": true, "after_due_date": true, "after_published": true}
	if !vis[doc["visibility"].(string)] || !vis[doc["stdout_visibility"].(string)] {
		t.Errorf("visibility %v / %v", doc["visibility"], doc["stdout_visibility"])
	}
	tests, _ := doc["tests"].([]any)
	if len(tests) == 0 {
		t.Fatal("no tests")
	}
	for i, x := range tests {
		tt, ok := x.(map[string]any)
		if !ok {
			t.Fatalf("test %d is %T", i, x)
		}
		checkTypes(t, "test", tt, map[string]string{"name": "string", "score": "number", "max_score": "number", "status": "string", "output": "string", "visibility": "string", "tags": "array"})
		if st := tt["status"]; st != "passed" && st != "failed" {
			t.Errorf("test %d status %v", i, st)
		}
		if v, _ := tt["visibility"].(string); !vis[v] {
			t.Errorf("test %d visibility %q", i, v)
		}
		for _, tag := range tt["tags"].([]any) {
			if _, ok := tag.(string); !ok {
				t.Errorf("test %d tag %v", i, tag)
			}
		}
	}
}

func TestGitHubShape(t *testing.T) {
	var b bytes.Buffer
	Write(&b, "github", fixture(t))
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	checkTypes(t, "result", doc, map[string]string{"max_score": "number", "status": "string", "tests": "array"})
	for _, x := range doc["tests"].([]any) {
		tt := x.(map[string]any)
		checkTypes(t, "test", tt, map[string]string{"name": "string", "status": "string", "message": "string", "score": "number"})
		if st := tt["status"]; st != "pass" && st != "fail" && st != "error" {
			t.Errorf("status %v", st)
		}
	}
}

func checkTypes(t *testing.T, what string, m map[string]any, want map[string]string) {
	t.Helper()
	for k, typ := range want {
		v, ok := m[k]
		if !ok {
			t.Errorf("%s: missing %q", what, k)
			continue
		}
		got := "?"
		switch v.(type) {
		case float64:
			got = "number"
		case string:
			got = "string"
		case []any:
			got = "array"
		case map[string]any:
			got = "object"
		case bool:
			got = "boolean"
		}
		if got != typ {
			t.Errorf("%s: %q is %s, want %s", what, k, got, typ)
		}
	}
}

func TestTAPShape(t *testing.T) {
	var b bytes.Buffer
	res := fixture(t)
	WriteOptions(&b, "tap", res, Options{Grader: true}) // every check
	lines := strings.Split(b.String(), "\n")
	if lines[0] != "TAP version 14" || lines[1] != "1..7" {
		t.Errorf("header %q %q", lines[0], lines[1])
	}
	points, inYAML := 0, false
	for _, l := range lines[2:] {
		switch {
		case l == "  ---":
			inYAML = true
		case l == "  ...":
			inYAML = false
		case inYAML && !strings.HasPrefix(l, "  "):
			t.Errorf("YAML block line not indented: %q", l)
		case strings.HasPrefix(l, "ok ") || strings.HasPrefix(l, "not ok "):
			points++
		}
	}
	if points != len(res.Checks) || inYAML {
		t.Errorf("%d test points, want %d (open YAML block: %v)", points, len(res.Checks), inYAML)
	}
}

// TestJUnitHostileOutput: whatever a submission prints, the XML stays well formed.
func TestJUnitHostileOutput(t *testing.T) {
	res := fixture(t)
	res.Output.Text = "\x00\x1b[31m<b>&amp;</b>]]>\r\n\xff\xfe"
	res.Checks[2].Message = "a \x07 bell & <tag>"
	var b bytes.Buffer
	if err := Write(&b, "junit", res); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&b)
	for {
		_, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well formed: %v", err)
			}
			break
		}
	}
}

// TestTextNoTerminalEscapes: what a submission printed or raised cannot move
// the cursor or change colours in the text report.
func TestTextNoTerminalEscapes(t *testing.T) {
	res := fixture(t)
	res.Exit.Message = "boom\x1b[2J"
	res.Output.Text = "\x1b[31mred\x07\n"
	res.Checks[6].Message = "ended with error: \x1b]0;title\x07"
	var b bytes.Buffer
	Write(&b, "text", res)
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("escape characters reached the report:\n%q", b.String())
	}
}

// TestTextNoC1Escapes: C1 controls (U+009B is CSI, U+009D is OSC), bytes that
// are not UTF-8 (a lone 0x9b is CSI to an 8-bit terminal) and control
// characters in the submission's name are made visible too.
func TestTextNoC1Escapes(t *testing.T) {
	res := fixture(t)
	res.Submission.ID = "evil\x1b]0;pwned\x07"
	res.Submission.Path = "/tmp/\u009b2J.lua"
	res.Exit.Message = "boom\u009d0;title\u009c \x9b31m"
	res.Checks[6].Message = "ended with error: \u009b2J"
	res.Reason = "x\x1b[2K"
	var b bytes.Buffer
	Write(&b, "text", res)
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u009c", "\u009d", "\x9b"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("%q reached the report:\n%q", bad, b.String())
		}
	}
	if !strings.Contains(b.String(), `\x9b2J`) {
		t.Errorf("C1 CSI is not shown as \\x9b:\n%s", b.String())
	}
}

// TestTextMultilineMessage: every line of a check's message is indented under
// the check, so a filter error's caret stays under its column.
func TestTextMultilineMessage(t *testing.T) {
	res := fixture(t)
	res.Checks[6].Message = "checks.lua:1: invalid display filter:\ntcp.prot == 1\n^\n\"tcp.prot\" is not a known field"
	var b bytes.Buffer
	Write(&b, "text", res)
	want := "             checks.lua:1: invalid display filter:\n             tcp.prot == 1\n             ^\n             \"tcp.prot\" is not a known field\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("message lines not indented:\n%s", b.String())
	}
}

// TestTextWording: the lines a person reads around the checks are sentences:
// how the script ended per reason, the submission named once, no output file
// told apart from empty output, and "1 error" in the singular.
func TestTextWording(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(res *result.Result)
		want   []string
		not    []string
	}{
		{"memory limit", func(res *result.Result) {
			res.Exit = result.Exit{Reason: result.ExitMemory, Message: "the script used 70 MiB of memory, over the 64 MiB limit, and was killed"}
		}, []string{"\nended: memory — the script used 70 MiB of memory, over the 64 MiB limit, and was killed\n"}, []string{"ended with memory"}},
		{"memory, other message", func(res *result.Result) {
			res.Exit = result.Exit{Reason: result.ExitMemory, Message: "rss 70 MiB"}
		}, []string{"\nended: memory — the script was stopped: it used more memory than the lab allows (rss 70 MiB)\n"}, nil},
		{"timeout, no message", func(res *result.Result) {
			res.Exit = result.Exit{Reason: result.ExitTimeout}
		}, []string{"\nended: timeout — the script was stopped: it ran longer than the lab allows\n"}, nil},
		{"error", func(res *result.Result) {
			res.Exit = result.Exit{Reason: result.ExitError, Message: "x.lua:3: boom"}
		}, []string{"\nended: error — x.lua:3: boom\n"}, []string{"stack traceback"}},
		{"error with its traceback", func(res *result.Result) {
			res.Exit = result.Exit{Reason: result.ExitError, Message: "x.lua:3: boom",
				Traceback: "stack traceback:\n\t[C]: in function 'error'\n\tx.lua:3: in function 'f'\n\tx.lua:5: in main chunk\n\t[C]: ?"}
		}, []string{"\nended: error — x.lua:3: boom\n  stack traceback:\n    [C]: in function 'error'\n    x.lua:3: in function 'f'\n    x.lua:5: in main chunk\n    [C]: ?\n"}, nil},
		{"verify names the capture once", func(res *result.Result) {
			res.Submission = result.SubmissionInfo{ID: "run.pcap", Path: "run.pcap"}
		}, []string{"\nsubmission run.pcap\n"}, []string{"(run.pcap)"}},
		{"no output file", func(res *result.Result) {
			res.Output = result.Output{Absent: true}
			failOutputCheck(t, res)
		}, []string{"no --output file was given, so output checks have nothing to read"}, []string{"printed nothing"}},
		{"empty output", func(res *result.Result) {
			res.Output = result.Output{}
			failOutputCheck(t, res)
		}, []string{"the script printed nothing"}, nil},
		{"one error", func(res *result.Result) {
			for i := range res.Checks {
				if res.Checks[i].Status == result.CheckError {
					res.Checks[i].Status = result.CheckFail
				}
			}
			res.Checks[0].Status = result.CheckError
		}, []string{", 1 error)"}, []string{"1 errors"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := fixture(t)
			tc.change(res)
			var b bytes.Buffer
			if err := WriteOptions(&b, "text", res, Options{Grader: true}); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range tc.not {
				if strings.Contains(b.String(), w) {
					t.Errorf("report has %q:\n%s", w, b.String())
				}
			}
		})
	}
}

func failOutputCheck(t *testing.T, res *result.Result) {
	t.Helper()
	for i := range res.Checks {
		if res.Checks[i].Kind == kindOutput {
			res.Checks[i].Status = result.CheckFail
			return
		}
	}
	t.Fatal("the fixture has no output check")
}

// TestStudentView: in every student-facing format, the student's view names
// no check a student may not see (hidden, after_due_date, after_published),
// counts only the checks shown, and says how many more are graded; the
// grader's view, json and gradescope (which marks each test for Gradescope to
// hide) have every check.
func TestStudentView(t *testing.T) {
	res := fixture(t)
	var withheld []string
	for _, c := range res.Checks {
		if !studentSees(c) {
			withheld = append(withheld, c.Name)
		}
	}
	if len(withheld) < 2 {
		t.Fatalf("the fixture withholds %d checks, want a hidden and an after_due_date one", len(withheld))
	}
	// A hidden check that could not be evaluated must not be named in the
	// run's reason either.
	res.Checks[5].Status, res.Checks[5].Message = result.CheckError, "boom"
	res.Status, res.Reason = result.ChecksStatus(res.Checks)
	if !strings.Contains(res.Reason, withheld[1]) {
		t.Fatalf("reason %q does not name the erroring check", res.Reason)
	}
	for _, f := range Formats() {
		t.Run(f, func(t *testing.T) {
			var student, grader bytes.Buffer
			if err := WriteOptions(&student, f, res, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := WriteOptions(&grader, f, res, Options{Grader: true}); err != nil {
				t.Fatal(err)
			}
			for _, name := range withheld {
				if !strings.Contains(grader.String(), name) {
					t.Errorf("the grader's view lacks check %q", name)
				}
				if studentFacing(f) && strings.Contains(student.String(), name) {
					t.Errorf("the student's view names check %q", name)
				}
			}
			if !studentFacing(f) {
				if f != "json" && f != "gradescope" {
					t.Errorf("%s is not student-facing: say why here", f)
				}
				if !bytes.Equal(student.Bytes(), grader.Bytes()) {
					t.Error("a grader's format differs between views")
				}
				return
			}
			switch f {
			case "github":
				var gh ghResult
				if err := json.Unmarshal(student.Bytes(), &gh); err != nil {
					t.Fatal(err)
				}
				// The hidden check's error makes the run lab-error, which
				// the student sees without the check's name.
				if len(gh.Tests) != len(res.Checks)-len(withheld) || gh.MaxScore != 7.5 || gh.Status != "error" || gh.Outcome != "lab-error" {
					t.Errorf("github student view: %d tests, max %v, status %s, outcome %s; want %d, 7.5, error, lab-error", len(gh.Tests), gh.MaxScore, gh.Status, gh.Outcome, len(res.Checks)-len(withheld))
				}
			default:
				if !strings.Contains(student.String(), "2 more checks") && !strings.Contains(student.String(), `"withheld_checks" value="2"`) {
					t.Error("the student's view does not say that checks are withheld")
				}
			}
		})
	}
	// Gradescope marks each test and speaks of visible checks only at the top.
	var b bytes.Buffer
	if err := Write(&b, "gradescope", res); err != nil {
		t.Fatal(err)
	}
	var gs gsResults
	if err := json.Unmarshal(b.Bytes(), &gs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range gs.Tests {
		if slices.Contains(withheld, tc.Name) == (tc.Visibility == "visible") {
			t.Errorf("gradescope test %q has visibility %q", tc.Name, tc.Visibility)
		}
	}
	for _, name := range withheld {
		if strings.Contains(gs.Output, name) {
			t.Errorf("gradescope's top-level output names check %q", name)
		}
	}
}

// TestDueDate: an after_due_date check is left out of the student's view
// until the lab's due date has passed and shown from then on, in every
// student-facing format; a hidden one stays out; with no due date it stays
// out too.
func TestDueDate(t *testing.T) {
	res := fixture(t)
	var after, hidden string
	for _, c := range res.Checks {
		switch c.Visibility {
		case result.AfterDueDate:
			after = c.Name
		case result.Hidden:
			hidden = c.Name
		}
	}
	if after == "" || hidden == "" {
		t.Fatal("the fixture has no after_due_date or hidden check")
	}
	due := time.Date(2026, 12, 10, 23, 59, 0, 0, time.UTC)
	for _, f := range Formats() {
		if !studentFacing(f) {
			continue
		}
		for _, tt := range []struct {
			due   *time.Time
			now   time.Time
			shown bool
		}{
			{&due, due.Add(-time.Minute), false},
			{&due, due, true},
			{&due, due.Add(time.Hour), true},
			{nil, due.Add(time.Hour), false},
		} {
			r := *res
			r.Lab.Due = tt.due
			var b bytes.Buffer
			if err := WriteOptions(&b, f, &r, Options{Now: tt.now}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(b.String(), after); got != tt.shown {
				t.Errorf("%s, due %v, at %v: after_due_date check shown %v, want %v", f, tt.due, tt.now, got, tt.shown)
			}
			if strings.Contains(b.String(), hidden) {
				t.Errorf("%s, at %v: the hidden check is shown", f, tt.now)
			}
		}
	}
}

// TestEveryOutcomeNamed: every format names the run's status and how the
// submission ended, for each of them, in the student's view and the
// grader's: a grader reading any one of them tells "wrong answer" from
// "crashed" or "out of memory", and a lab's own failure from the student's.
func TestEveryOutcomeNamed(t *testing.T) {
	for _, st := range result.Statuses() {
		for _, ended := range result.ExitReasons() {
			if st == result.StatusNotGraded && ended != result.ExitOK {
				continue // a submission not graded did not run
			}
			for _, grader := range []bool{false, true} {
				res := fixture(t)
				res.Status, res.Reason = st, ""
				if st != result.StatusPassed && st != result.StatusFailed {
					res.Reason = "why: " + st.String()
				}
				if st == result.StatusPassed {
					// the student's view takes passed or failed from the checks it shows
					for i := range res.Checks {
						res.Checks[i].Status, res.Checks[i].Points = result.CheckPass, res.Checks[i].MaxPoints
					}
					res.Score = res.MaxScore
				}
				res.Exit = result.Exit{Reason: ended}
				if ended != result.ExitOK {
					res.Exit.Message = "what happened"
				}
				for _, f := range Formats() {
					var b bytes.Buffer
					if err := WriteOptions(&b, f, res, Options{Grader: grader, Dir: t.TempDir()}); err != nil {
						t.Fatal(err)
					}
					for _, miss := range outcomeMissing(t, f, b.Bytes(), st, ended) {
						t.Errorf("%s (grader %v), status %s ended %s: %s", f, grader, st, ended, miss)
					}
				}
			}
		}
	}
}

// outcomeMissing lists what format f's output out does not say of status st
// and exit reason ended.
func outcomeMissing(t *testing.T, f string, out []byte, st result.Status, ended result.ExitReason) []string {
	t.Helper()
	var miss []string
	has := func(what, s string) {
		if !strings.Contains(s, what) {
			miss = append(miss, fmt.Sprintf("no %q", what))
		}
	}
	// the line endedLine writes, when the submission did not end normally
	line := "ended: " + ended.String() + " — "
	text := string(out)
	switch f {
	case "text":
		has("  "+st.String()+"  (", text)
	case "html":
		// the counts line and the page's end say it (TestHTMLOutcomeWords: the status in words)
	case "json":
		var r result.Result
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatal(err)
		}
		if r.Status != st || r.Exit.Reason != ended {
			miss = append(miss, fmt.Sprintf("status %s ended %s", r.Status, r.Exit.Reason))
		}
		return miss
	case "junit":
		has(`<property name="status" value="`+st.String()+`">`, text)
		if st != result.StatusNotGraded {
			has(`<property name="ended" value="`+ended.String()+`">`, text)
		}
		return miss
	case "github":
		var gh ghResult
		if err := json.Unmarshal(out, &gh); err != nil {
			t.Fatal(err)
		}
		want := ended.String()
		if st == result.StatusNotGraded {
			want = ""
		}
		if gh.Outcome != st.String() || gh.Ended != want {
			miss = append(miss, fmt.Sprintf("outcome %q ended %q", gh.Outcome, gh.Ended))
		}
		return miss
	case "gradescope":
		var gs gsResults
		if err := json.Unmarshal(out, &gs); err != nil {
			t.Fatal(err)
		}
		text = gs.Output
		has(": "+st.String()+", score ", text)
	case "prairielearn":
		var pl plResults
		if err := json.Unmarshal(out, &pl); err != nil {
			t.Fatal(err)
		}
		text = pl.Message
		has(": "+st.String()+", score ", text)
	case "tap":
		has("# http-client: "+st.String()+", score ", text)
		line = "# " + line
	default:
		t.Fatalf("format %q: the test does not know where it names the outcome", f)
	}
	if ended != result.ExitOK {
		has(line, text)
	}
	return miss
}
