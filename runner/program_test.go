package runner_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// pyClient fetches / by the lab's name (WIRELAB_ARG_HOST, resolved through
// the jail's /etc/hosts), prints the status line, then what its folder
// holds and its arguments.
const pyClient = `import os, socket, sys
host, port = os.environ["WIRELAB_ARG_HOST"], int(os.environ["WIRELAB_ARG_PORT"])
s = socket.create_connection((host, port))
s.sendall(("GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host).encode())
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
s.close()
print(data.split(b"\r\n", 1)[0].decode())
print("folder:", ",".join(sorted(os.listdir("."))), os.getcwd())
print("args:", sys.argv[1:])
`

// TestProgramSubmission runs program submissions through runner.Run, as
// `wirelab run --submission FILE` does: a Python client reaches the lab's
// server by its name and gets full marks, from a folder holding only its own
// file; a non-zero exit status reaches the result and its exit check; a C
// file that does not compile is status error with the compiler's message,
// and no check is evaluated.
func TestProgramSubmission(t *testing.T) {
	needRoot(t)
	for _, tool := range []string{"python3", "cc"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed, and CI is set", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	lab := load(t, "program")
	class := t.TempDir() // a class folder: the others' files lie beside each
	write := func(name, src string) string {
		p := filepath.Join(class, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("someone-else.py", "print('not yours')\n")
	run := func(t *testing.T, sub string) (*result.Result, string) {
		t.Helper()
		dir := t.TempDir()
		fin, err := runner.Run(context.Background(), lab, runner.RunOptions{Submission: sub, Dir: dir, Isolation: sandbox.IsolationNamespace})
		if err != nil {
			t.Fatalf("run: %v", err)
		}
		return fin.Result, dir
	}

	t.Run("python client", func(t *testing.T) {
		res, _ := run(t, write("client.py", pyClient))
		if res.Status != result.StatusPassed || res.Score != res.MaxScore {
			t.Fatalf("status %s, score %g/%g, exit %+v, output %q, checks %+v", res.Status, res.Score, res.MaxScore, res.Exit, res.Output.Text, res.Checks)
		}
		for _, want := range []string{"HTTP/1.1 200 OK\n", "folder: client.py /submission\n", "args: []\n"} {
			if !strings.Contains(res.Output.Text, want) {
				t.Errorf("output %q lacks %q", res.Output.Text, want)
			}
		}
	})
	t.Run("exit status", func(t *testing.T) {
		res, _ := run(t, write("exits.py", pyClient+"sys.exit(3)\n"))
		if res.Exit.Reason != result.ExitError || res.Exit.Code != 3 || !strings.Contains(res.Exit.Message, "status 3") {
			t.Fatalf("exit %+v", res.Exit)
		}
		for _, c := range res.Checks {
			want := result.CheckPass
			if c.Name == "ends normally" {
				want = result.CheckFail
			}
			if c.Status != want {
				t.Errorf("check %q: %s, want %s (%s)", c.Name, c.Status, want, c.Message)
			}
		}
	})
	t.Run("c build error", func(t *testing.T) {
		res, dir := run(t, write("broken.c", "#include <stdio.h>\nint main(void) { printf(\"hi\\n\") return 0; }\n"))
		if res.Status != result.StatusError || !res.Exit.Build || res.Score != 0 {
			t.Fatalf("status %s, score %g, exit %+v", res.Status, res.Score, res.Exit)
		}
		for _, want := range []string{"the build failed: `cc -O2 -Wall -o prog broken.c -lm`", "broken.c:2:", "error: expected"} {
			if !strings.Contains(res.Exit.Message, want) {
				t.Errorf("exit message %q lacks %q", res.Exit.Message, want)
			}
		}
		for _, c := range res.Checks {
			if c.Status != result.CheckSkip || c.Points != 0 {
				t.Errorf("check %q: %s, %g points; want skip, 0", c.Name, c.Status, c.Points)
			}
		}
		for _, f := range []string{runner.ReportFile, runner.HTMLFile, runner.ResultFile, sandbox.BuildLog} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), "error: expected") {
				t.Errorf("%s does not show the compiler's message:\n%s", f, b)
			}
		}
	})
}
