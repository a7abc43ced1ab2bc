package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plResult is what PrairieLearn reads of results.json.
type plResult struct {
	Gradable     *bool    `json:"gradable"`
	Score        *float64 `json:"score"`
	Message      string   `json:"message"`
	FormatErrors []string `json:"format_errors"`
	Tests        []struct {
		Name      string   `json:"name"`
		Points    *float64 `json:"points"`
		MaxPoints *float64 `json:"max_points"`
		Message   string   `json:"message"`
	} `json:"tests"`
}

// plJob makes a PrairieLearn grading job's /grade folder: student/ with
// files, and data/data.json with data (nil: none).
func plJob(t *testing.T, files map[string]string, data any) string {
	t.Helper()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "student"), 0o755)
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, "student", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if data != nil {
		b, _ := json.Marshal(data)
		os.MkdirAll(filepath.Join(root, "data"), 0o755)
		os.WriteFile(filepath.Join(root, "data", "data.json"), b, 0o644)
	}
	return root
}

func readPL(t *testing.T, root string) plResult {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "results", "results.json"))
	if err != nil {
		t.Fatalf("no results.json: %v", err)
	}
	var r plResult
	if err := json.Unmarshal(b, &r); err != nil || r.Gradable == nil || r.Score == nil {
		t.Fatalf("results.json: %v\n%s", err, b)
	}
	return r
}

// TestGradePrairieLearn grades real runs in PrairieLearn's layout: the
// reference in /grade/student scores 1 with a test per check; the same file
// given as data.json's submitted_answers._files (base64), with student/
// empty, is found there; nothing is left in TMPDIR.
func TestGradePrairieLearn(t *testing.T) {
	needSandbox(t)
	ref, err := os.ReadFile("../labs/http-client/solution.lua")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	files := map[string]any{"submitted_answers": map[string]any{"_files": []map[string]string{
		{"name": "solution.lua", "contents": base64.StdEncoding.EncodeToString(ref)},
		{"name": "../escape.lua", "contents": base64.StdEncoding.EncodeToString(ref)},
	}}}
	for name, root := range map[string]string{
		"student folder": plJob(t, map[string]string{"solution.lua": string(ref)}, map[string]any{"params": map[string]any{}}),
		"data.json":      plJob(t, nil, files),
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run([]string{"grade", "../labs/http-client", "--prairielearn", root}, &stdout, &stderr)
			if code != ExitOK || !strings.Contains(stdout.String(), "9/9 (passed)") {
				t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
			}
			r := readPL(t, root)
			if !*r.Gradable || *r.Score != 1 || len(r.Tests) != 6 || r.Tests[0].Name != "three-way handshake" ||
				*r.Tests[0].Points != 2 || *r.Tests[0].MaxPoints != 2 || !strings.Contains(r.Message, "http-client: passed, score 9/9") {
				t.Errorf("results.json: %+v", r)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(tmp), "escape.lua")); err == nil {
		t.Error("a file name with a folder in it was written outside the submission's folder")
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "wirelab-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestGradePrairieLearnNotGradable: an upload the lab cannot run is not
// gradable (PrairieLearn does not count the attempt), with format_errors
// saying what to submit; a job folder that is not there fails the job.
func TestGradePrairieLearnNotGradable(t *testing.T) {
	root := plJob(t, map[string]string{"notes.txt": "hello"}, nil)
	code, stdout, stderr := scriptRun("grade", runLab, "--prairielearn", root)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	r := readPL(t, root)
	if *r.Gradable || *r.Score != 0 || len(r.FormatErrors) != 1 || !strings.Contains(r.FormatErrors[0], "not-graded: nothing was graded") ||
		!strings.Contains(r.FormatErrors[0], `"notes.txt"`) || !strings.Contains(r.FormatErrors[0], "name it solution.lua or main.lua") {
		t.Errorf("results.json: %+v", r)
	}
	if code, _, stderr := scriptRun("grade", runLab, "--prairielearn", filepath.Join(root, "nope")); code != ExitError || !strings.Contains(stderr, "prairielearn job folder") {
		t.Errorf("missing job folder: exit %d, %s", code, stderr)
	}
}

// TestGradePrairieLearnLabError: a lab whose own service raises is not the
// student's fault: results.json is not gradable, and the job exits 3.
func TestGradePrairieLearnLabError(t *testing.T) {
	needSandbox(t)
	lab := "../runner/testdata/run/laberror"
	ref, _ := os.ReadFile(lab + "/solution.lua")
	root := plJob(t, map[string]string{"solution.lua": string(ref)}, nil)
	code, stdout, stderr := run("grade", lab, "--prairielearn", root)
	if code != ExitRetry || !strings.Contains(stderr, "lab error: ") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if r := readPL(t, root); *r.Gradable || len(r.FormatErrors) != 1 || !strings.Contains(r.FormatErrors[0], `lab-error: the lab's service "broken" failed`) {
		t.Errorf("results.json: %+v", r)
	}
}
