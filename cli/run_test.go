package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const runLab = "../runner/testdata/run/http"

func needSandbox(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if _, err := os.Stat("/proc/self/ns/user"); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("CI is set: this sandbox test may not skip")
			}
			t.Skip("no namespaces")
		}
	}
}

func TestRun(t *testing.T) {
	needSandbox(t)
	wrong := writeScript(t, `local s = require("socket").connect("www.example.com", 80)
s:send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
print(s:receive("*l"))`)
	py := filepath.Join(t.TempDir(), "client.py")
	txt := filepath.Join(t.TempDir(), "notes.txt")
	for _, f := range []string{py, txt} {
		if err := os.WriteFile(f, []byte("print(1)\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"reference", []string{runLab}, ExitOK, []string{"score 9/9  passed", "artifacts: "}, ""},
		{"lab.yaml", []string{runLab + "/lab.yaml"}, ExitOK, []string{"score 9/9"}, ""},
		{"failing submission", []string{runLab, "--submission", wrong}, ExitFailed, []string{"FAIL   0/2  sends GET /", "score 5/9  failed"}, ""},
		{"json", []string{runLab, "--format", "json"}, ExitOK, []string{`"status": "passed"`}, "artifacts: "},
		{"missing lab", []string{}, ExitError, nil, "run needs a LAB"},
		{"two labs", []string{runLab, "alice.lua"}, ExitError, nil, `run takes one LAB, not 2 arguments ("alice.lua"...); the script to run goes in --submission`},
		{"out is a lab folder", []string{runLab, "--out", runLab}, ExitError, nil, `is not a run's folder (it holds "lab.yaml")`},
		{"bad isolation", []string{runLab, "--isolation", "vm"}, ExitError, nil, `unknown isolation "vm" (known: auto, namespace, none)`},
		{"no lab", []string{"no/such/lab"}, ExitError, nil, "no/such/lab"},
		{"missing submission", []string{runLab, "--submission", "missing.lua"}, ExitError, nil, `submission "missing.lua" does not exist`},
		{"submission folder", []string{runLab, "--submission", runLab}, ExitOK, []string{"score 9/9"}, ""},
		{"folder without a script", []string{runLab, "--submission", "../runner/testdata"}, ExitError, nil, `submission "../runner/testdata": folder "testdata" holds nothing wirelab can run`},
		{"python on a lua lab", []string{runLab, "--submission", py}, ExitError, nil, `"client.py" is a Python program, and lab "run-http" accepts lua only (submission.languages)`},
		{"unknown kind", []string{runLab, "--submission", txt}, ExitError, nil, `"notes.txt" is not a kind of file wirelab can run`},
		{"report folder missing", []string{runLab, "--format", "json=no/such/dir/r.json"}, ExitError, nil, `folder "no/such/dir" does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			code, stdout, stderr := scriptRun(append([]string{"run", "--out", out}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout has no %q:\n%s", w, stdout)
				}
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr has no %q:\n%s", tt.stderr, stderr)
			}
			if tt.name == "json" {
				var v map[string]any
				if err := json.Unmarshal([]byte(stdout), &v); err != nil {
					t.Errorf("stdout is not JSON: %v", err)
				}
			}
			if tt.code == ExitError {
				// Nothing ran, so no run folder was left behind.
				if _, err := os.Stat(out); err == nil {
					t.Errorf("the run's folder %s was created", out)
				}
			}
			if tt.code != ExitError {
				for _, f := range []string{"capture.pcapng", "output.txt", "events.jsonl", "result.json", "report.txt"} {
					if _, err := os.Stat(filepath.Join(out, f)); err != nil {
						t.Errorf("artifact: %v", err)
					}
				}
			}
		})
	}
}

func TestScriptInLab(t *testing.T) {
	needSandbox(t)
	p := writeScript(t, `local socket = require("socket")
local c = assert(socket.connect(arg[1], tonumber(arg[2])))
c:send("GET / HTTP/1.0\r\n\r\n")
print(c:receive("*l"))
print(socket.connect("8.8.8.8", 53))`)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where a run's temporary folders go: none may be left
	kept := filepath.Join(t.TempDir(), "kept")
	code, stdout, stderr := scriptRun("script", p, "--lab", runLab, "--out", kept, "--", "www.example.com", "80")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "HTTP/1.0 200 OK\tnil\tnil\nnil\tNetwork is unreachable\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if !strings.Contains(stderr, "artifacts: "+kept) {
		t.Errorf("stderr: %q", stderr)
	}
	if _, err := os.Stat(filepath.Join(kept, "capture.pcapng")); err != nil {
		t.Errorf("--out: %v", err)
	}
	loop := writeScript(t, `while true do end`)
	code, _, stderr = scriptRun("script", loop, "--lab", runLab, "--timeout", "200ms")
	if code != ExitFailed || !strings.Contains(stderr, "timeout: the script ran past its 200ms deadline") || strings.Contains(stderr, "artifacts: ") {
		t.Errorf("loop: exit %d, %q", code, stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "wirelab-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	dir := t.TempDir()
	code, _, stderr = scriptRun("script", dir, "--lab", runLab)
	if code != ExitError || !strings.Contains(stderr, "is a folder: give the script file") || strings.Contains(stderr, "artifacts: ") {
		t.Errorf("folder: exit %d, %q; want exit 2, nothing run", code, stderr)
	}
}

// An earlier run's folder may be run into again, reports beside it included;
// its files are replaced.
func TestRunAgainIntoTheSameFolder(t *testing.T) {
	needSandbox(t)
	out := filepath.Join(t.TempDir(), "run")
	for i := 0; i < 2; i++ {
		if code, _, stderr := scriptRun("run", runLab, "--out", out, "--format", "text", "--format", "junit="+filepath.Join(out, "junit.xml")); code != ExitOK {
			t.Fatalf("run %d: exit %d: %s", i+1, code, stderr)
		}
	}
}
