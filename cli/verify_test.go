package cli

import (
	"github.com/wirelab-dev/wirelab/internal/testcorpus"

	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFile returns a file of the shared test corpus; a missing one fails the test.
func corpusFile(t *testing.T, name string) string {
	t.Helper()
	return testcorpus.Path(t, name)
}

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		out  []string
	}{
		// The fixture is a recorded capture's lab: its checks name no host, and check says so without failing.
		{"clean", []string{"check", "../runner/testdata/http-get"}, ExitOK, []string{"../runner/testdata/http-get: ok (http-client, 9 points, 6 checks, 6 warnings)", `lab.yaml:31:5: warning: check "gets 200 OK": the filter pins neither source nor destination`}},
		{"problems", []string{"check", "../runner/testdata/broken/unknown-key.yaml"}, ExitFailed, []string{
			`unknown-key.yaml:5:3: unknown key "filtr" in capture (did you mean "filter"?)`, "3 problems"}},
		{"filter caret", []string{"check", "../runner/testdata/broken/bad-filter.yaml"}, ExitFailed, []string{
			"bad-filter.yaml:6:35: check \"plain\" filter: \"tcp.dstprot\" is not a known field (did you mean \"tcp.dstport\"?)\n\ttcp.flags.syn == 1 && tcp.dstprot == 80\n\t                      ^\n"}},
		{"several", []string{"check", "../runner/testdata/http-get", "../runner/testdata/broken/paths.yaml"}, ExitFailed, []string{": ok (", "4 problems"}},
		{"missing", []string{"check", "no/such/lab"}, ExitError, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			for _, s := range tt.out {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestVerify(t *testing.T) {
	pcap := corpusFile(t, "captures/http-get.pcap")
	dir := t.TempDir()
	output := filepath.Join(dir, "output.txt")
	os.WriteFile(output, []byte("HTTP/1.0 200 OK\n"), 0o644)
	jsonPath := filepath.Join(dir, "result.json")
	junitPath := filepath.Join(dir, "junit.xml")

	code, out, errs := run("verify", "../runner/testdata/http-get", pcap, "--output", output,
		"--format", "text", "--format", "json="+jsonPath, "--format", "junit="+junitPath)
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	// The student's view (the default) leaves the hidden check out.
	for _, s := range []string{"PASS   3/3  three-way handshake", "FAIL   0/1  no resets", "22   0.091382", "score 7/8  failed",
		"1 more check (1 point) is graded but not shown here"} {
		if !strings.Contains(out, s) {
			t.Errorf("text report lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "answers the extra question") {
		t.Errorf("the student's view names the hidden check:\n%s", out)
	}
	_, grader, _ := run("verify", "../runner/testdata/http-get", pcap, "--output", output, "--view", "grader")
	if !strings.Contains(grader, "score 8/9  failed") || !strings.Contains(grader, "answers the extra question") {
		t.Errorf("--view grader lacks the hidden check or its points:\n%s", grader)
	}
	if code, _, errs := run("verify", "../runner/testdata/http-get", pcap, "--view", "teacher"); code != ExitError || !strings.Contains(errs, `--view "teacher": want student or grader`) {
		t.Errorf("--view teacher: exit %d, %s", code, errs)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour in a report that is not on a terminal")
	}
	var res struct {
		Version    int
		Status     string
		Score      float64
		Submission struct{ SHA256 string }
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil || json.Unmarshal(b, &res) != nil || res.Version != 1 || res.Status != "failed" || res.Score != 8 || len(res.Submission.SHA256) != 64 {
		t.Errorf("json report: %v %+v", err, res)
	}
	if b, err := os.ReadFile(junitPath); err != nil || !bytes.Contains(b, []byte("<testsuites")) || bytes.Contains(b, []byte("answers the extra question")) {
		t.Errorf("junit report (the student's view): %v\n%s", err, b)
	}
}

func TestVerifyPasses(t *testing.T) {
	pcap := corpusFile(t, "captures/http-get.pcap")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(`lab: ok
checks:
  - name: handshake
    sequence: [tcp.flags.syn == 1 && tcp.flags.ack == 0, tcp.flags.syn == 1 && tcp.flags.ack == 1]
`), 0o644)
	code, out, errs := run("verify", dir, pcap, "--format", "github")
	if code != ExitOK || !strings.Contains(out, `"status": "pass"`) {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

func TestVerifyCannotEvaluate(t *testing.T) {
	notCapture := filepath.Join(t.TempDir(), "x.pcap")
	os.WriteFile(notCapture, []byte("hello, not a capture"), 0o644)
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"not a capture", []string{"verify", "../runner/testdata/http-get", notCapture}, "could not evaluate: capture:"},
		{"no capture", []string{"verify", "../runner/testdata/http-get", "/no/such.pcap"}, "could not evaluate"},
		{"broken lab", []string{"verify", "../runner/testdata/broken/paths.yaml", notCapture}, "the lab has 4 problems"},
		{"unknown format", []string{"verify", "../runner/testdata/http-get", notCapture, "--format", "pdf"}, `unknown report format "pdf"`},
		{"two on stdout", []string{"verify", "../runner/testdata/http-get", notCapture, "--format", "text", "--format", "json"}, "2 reports go to standard output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(tt.args...)
			if code != ExitError || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, stderr %q (want %q)\n%s", code, errs, tt.err, out)
			}
		})
	}
}

// TestVerifyCheckRaises: a lua check that raises is the lab's fault: the run
// is lab-error in every format, by name, and verify exits 3 (retry once the
// lab is fixed), though the submission did nothing wrong. When the check is
// hidden, the student's view says lab-error without naming it.
func TestVerifyCheckRaises(t *testing.T) {
	pcap := corpusFile(t, "captures/http-get.pcap")
	for _, hidden := range []bool{false, true} {
		dir := t.TempDir()
		vis := ""
		if hidden {
			vis = "\n    visibility: hidden"
		}
		os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(`lab: raises
checks:
  - name: handshake
    sequence: [tcp.flags.syn == 1 && tcp.flags.ack == 0, tcp.flags.syn == 1 && tcp.flags.ack == 1]
  - name: buggy check
    lua: checks.lua:buggy`+vis+"\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "checks.lua"), []byte("function buggy(ctx)\n  local t = nil\n  return t.ok\nend\n"), 0o644)
		files := map[string]string{}
		args := []string{"verify", dir, pcap}
		for _, f := range []string{"text", "json", "junit", "tap", "github", "gradescope", "html"} {
			files[f] = filepath.Join(dir, "report."+f)
			args = append(args, "--format", f+"="+files[f])
		}
		code, out, errs := run(args...)
		if code != ExitRetry || !strings.Contains(errs, "lab error: ") || !strings.Contains(errs, "the lab is at fault") {
			t.Fatalf("hidden %v: exit %d, want %d\n%s%s", hidden, code, ExitRetry, out, errs)
		}
		for f, path := range files {
			b, _ := os.ReadFile(path)
			if want := map[bool]string{true: "The lab itself failed", false: "lab-error"}[f == "html"]; !bytes.Contains(b, []byte(want)) {
				t.Errorf("hidden %v: %s report does not say lab-error:\n%s", hidden, f, b)
			}
			if hidden && f != "json" && f != "gradescope" && bytes.Contains(b, []byte("buggy check")) {
				t.Errorf("hidden %v: %s report (the student's view) names the hidden check:\n%s", hidden, f, b)
			}
		}
	}
}
