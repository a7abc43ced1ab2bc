package labs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestNoPeeking: a submission's require searches its own folder only, so it
// cannot load a lab's reference solution, checks or recorded submissions (a
// one-line require("solution") used to score full marks on every lab), and the
// error names no grader path (issue 11 item 1).
func TestNoPeeking(t *testing.T) {
	needSandbox(t)
	const src = `for _, m in ipairs({"checks", "testdata.submissions.x", "README"}) do
  local ok, err = pcall(require, m)
  print(m, ok, (tostring(err):match("module '[^']+' not found")))
end
require("solution")
`
	for _, dir := range catalogue(t) {
		t.Run(dir, func(t *testing.T) {
			lab, err := runner.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			sub := filepath.Join(t.TempDir(), "peek.lua")
			if err := os.WriteFile(sub, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			run, err := runner.Run(context.Background(), lab, runner.RunOptions{Submission: sub, Dir: out, Isolation: sandbox.IsolationNamespace})
			if err != nil {
				t.Fatal(err)
			}
			res := run.Result
			if res.Score == res.MaxScore {
				t.Errorf("require(\"solution\") scored full marks %g/%g", res.Score, res.MaxScore)
			}
			msg := res.Exit.Message
			if res.Exit.Reason != result.ExitError || !strings.Contains(msg, "module 'solution' not found") {
				t.Errorf("exit %s %q, want an error saying module 'solution' was not found", res.Exit.Reason, msg)
			}
			abs, _ := filepath.Abs(dir)
			if strings.Contains(msg, abs) || strings.Contains(msg, dir+"/") {
				t.Errorf("the error shows the lab's path: %q", msg)
			}
			got, _ := os.ReadFile(filepath.Join(out, "output.txt"))
			want := "checks\tfalse\tmodule 'checks' not found\n" +
				"testdata.submissions.x\tfalse\tmodule 'testdata.submissions.x' not found\n" +
				"README\tfalse\tmodule 'README' not found\n"
			if string(got) != want {
				t.Errorf("output %q, want %q", got, want)
			}
		})
	}
}

// TestModulesFolder: a lab that hands students helper modules names a folder
// with submission.modules; a submission anywhere requires from it, and still
// not from the lab's folder.
func TestModulesFolder(t *testing.T) {
	needSandbox(t)
	lab := t.TempDir()
	files := map[string]string{
		"lab.yaml": `lab: modules
title: helper modules
timeout: 5s
hosts:
  client: 10.0.0.10
submission:
  file: solution.lua
  modules: lib
checks:
  - name: uses the helper
    output: {lines: ["hello from lib"]}
`,
		"solution.lua":  `print(require("greet").text)`,
		"secret.lua":    `return {text = "the lab's secret"}`,
		"lib/greet.lua": `return {text = "hello from " .. (...):gsub("greet", "lib")}`,
	}
	student := filepath.Join(t.TempDir(), "main.lua")
	if err := os.WriteFile(student, []byte(`print(require("greet").text) print(pcall(require, "secret")) print(pcall(require, "solution"))`), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		p := filepath.Join(lab, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := runner.Load(lab)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	run, err := runner.Run(context.Background(), l, runner.RunOptions{Submission: student, Dir: out, Isolation: sandbox.IsolationNamespace})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(out, "output.txt"))
	lines := strings.Split(string(got), "\n")
	if run.Result.Score != run.Result.MaxScore || len(lines) < 3 || lines[0] != "hello from lib" ||
		!strings.Contains(lines[1], "module 'secret' not found") || !strings.Contains(lines[2], "module 'solution' not found") {
		t.Errorf("score %g/%g, output:\n%s", run.Result.Score, run.Result.MaxScore, got)
	}
	if strings.Contains(string(got), lab) {
		t.Errorf("the output shows the lab's path:\n%s", got)
	}
	for _, bad := range []string{".", "..", "/tmp", "missing", "solution.lua"} {
		yaml := strings.Replace(files["lab.yaml"], "modules: lib", "modules: "+bad, 1)
		if err := os.WriteFile(filepath.Join(lab, "lab.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := runner.Load(lab); err == nil || !strings.Contains(err.Error(), "submission modules") {
			t.Errorf("modules: %s loaded, error %v", bad, err)
		}
	}
}
