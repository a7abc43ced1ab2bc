package deploy

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestClassroomTemplate runs the wirelab step of the GitHub Classroom
// workflow as the runner would (bash -e, GITHUB_OUTPUT), in a template
// repository holding a catalogue lab in lab/ and a student's program in
// submission/: a Python scanner gets full marks and a C one that scans too
// few ports its partial score, each in the base64 result the grading
// reporter reads.
func TestClassroomTemplate(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "" {
			t.Skip("needs root, as the workflow runs wirelab with sudo (CI runs it)")
		}
		t.Fatal("CI is set: this test must run as root")
	}
	b, err := os.ReadFile("github-classroom/classroom.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				ID  string `yaml:"id"`
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("classroom.yml: %v", err)
	}
	var script string
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			if s.ID == "wirelab" {
				script = s.Run
			}
		}
	}
	const installed = `sudo "$(go env GOPATH)/bin/wirelab"`
	if !strings.Contains(script, installed) {
		t.Fatalf("no step with id wirelab running %s in classroom.yml:\n%s", installed, script)
	}
	bin := filepath.Join(t.TempDir(), "wirelab")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script = strings.ReplaceAll(script, installed, `"`+bin+`"`)

	for _, tc := range []struct {
		file, from string
		score      float64
		status     string
		tests      string // each test's status, in the lab's order
	}{
		{"scan.py", "../labs/port-scan/testdata/reference.py", 6, "pass", "pass pass pass"},
		{"scan.c", "../labs/port-scan/testdata/submissions/first-hundred.c", 0, "fail", "fail fail fail"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			repo := t.TempDir()
			if err := os.CopyFS(filepath.Join(repo, "lab"), os.DirFS("../labs/port-scan")); err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(tc.from)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(repo, "submission"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(repo, "submission", tc.file), src, 0o644); err != nil {
				t.Fatal(err)
			}
			ghOut := filepath.Join(t.TempDir(), "github_output")
			cmd := exec.Command("bash", "-e", "-c", script)
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+ghOut)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("the wirelab step failed: %v\n%s", err, out)
			}
			outputs, err := os.ReadFile(ghOut)
			if err != nil {
				t.Fatal(err)
			}
			enc, ok := strings.CutPrefix(strings.TrimSpace(string(outputs)), "result=")
			if !ok {
				t.Fatalf("GITHUB_OUTPUT %q has no result=", outputs)
			}
			raw, err := base64.StdEncoding.DecodeString(enc)
			if err != nil {
				t.Fatalf("result is not base64: %v", err)
			}
			var res struct {
				Status   string  `json:"status"`
				MaxScore float64 `json:"max_score"`
				Tests    []struct {
					Status string  `json:"status"`
					Score  float64 `json:"score"`
				} `json:"tests"`
			}
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatalf("result: %v\n%s", err, raw)
			}
			var score float64
			var sts []string
			for _, x := range res.Tests {
				score += x.Score
				sts = append(sts, x.Status)
			}
			if res.Status != tc.status || res.MaxScore != 6 || score != tc.score || strings.Join(sts, " ") != tc.tests {
				t.Errorf("status %s, score %g/%g, tests %q; want %s, %g/6, %q\n%s", res.Status, score, res.MaxScore, sts, tc.status, tc.score, tc.tests, raw)
			}
		})
	}
}
