package sandbox

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/runner/result"
)

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		skipOrFail(t, name+" is not installed")
	}
}

// runProgram runs a program submission in a lab with a TCP echo service.
func runProgramLab(t *testing.T, files map[string]string, prog Program, lim Limits) (*Outcome, string) {
	t.Helper()
	needNamespaces(t)
	dir := t.TempDir()
	sub := filepath.Join(dir, "submission")
	os.Mkdir(sub, 0o755)
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(sub, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prog.Dir = sub
	out, err := Run(context.Background(), Config{
		Dir: dir, LabDir: dir, Hosts: labHosts, Source: "client",
		Services: []service.Spec{{Name: "echo", Kind: "tcp-echo", Listen: "www.example.com:7"}},
		Program:  &prog,
		Limits:   lim,
		Grace:    time.Second,
	})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	b, _ := os.ReadFile(out.Output)
	return out, string(b)
}

// TestProgram runs programs as submissions: a Python client reaches the
// lab's service by its name and is captured; a C program is built, and its
// segfault is a crash with its signal; a build that fails is an error with
// the compiler's message.
func TestProgram(t *testing.T) {
	needTool(t, "python3")
	t.Run("python client", func(t *testing.T) {
		src := `import socket
s = socket.create_connection(("www.example.com", 7))
s.sendall(b"hello from python\n")
print(s.recv(100).decode().strip())
`
		out, output := runProgramLab(t, map[string]string{"client.py": src}, Program{Run: []string{"python3", "client.py"}}, Limits{Timeout: time.Minute})
		if out.Exit.Reason != result.ExitOK || output != "hello from python\n" {
			t.Fatalf("exit %+v, output %q", out.Exit, output)
		}
		frames, err := readCapture(out.Capture)
		if err != nil || len(frames) < 8 {
			t.Fatalf("capture: %d frames, %v", len(frames), err)
		}
	})
	t.Run("exit status", func(t *testing.T) {
		out, _ := runProgramLab(t, map[string]string{"x.py": "import sys\nsys.exit(4)\n"}, Program{Run: []string{"python3", "x.py"}}, Limits{Timeout: time.Minute})
		if out.Exit.Reason != result.ExitError || out.Exit.Code != 4 {
			t.Fatalf("exit %+v", out.Exit)
		}
	})
	needTool(t, "cc")
	t.Run("c segfault", func(t *testing.T) {
		src := "#include <stdio.h>\nint main(void){ puts(\"before\"); fflush(stdout); volatile int *p = 0; *p = 1; return 0; }\n"
		out, output := runProgramLab(t, map[string]string{"crash.c": src},
			Program{Build: [][]string{{"cc", "-O2", "-Wall", "-o", "crash", "crash.c"}}, Run: []string{"./crash"}}, Limits{Timeout: time.Minute})
		if out.Exit.Reason != result.ExitCrash || out.Exit.Signal != "SIGSEGV" || output != "before\n" {
			t.Fatalf("exit %+v, output %q", out.Exit, output)
		}
	})
	t.Run("build never ends", func(t *testing.T) {
		out, _ := runProgramLab(t, map[string]string{"x.py": ""},
			Program{Build: [][]string{{"sh", "-c", "trap '' TERM; while :; do :; done"}}, BuildTimeout: time.Second, Run: []string{"python3", "x.py"}},
			Limits{Timeout: time.Minute})
		if out.Exit.Reason != result.ExitError || !strings.Contains(out.Exit.Message, "did not finish within the build's 1s") {
			t.Fatalf("exit %+v", out.Exit)
		}
	})
	t.Run("build fails", func(t *testing.T) {
		out, _ := runProgramLab(t, map[string]string{"bad.c": "int main(void) { return nosuch; }\n"},
			Program{Build: [][]string{{"cc", "-o", "bad", "bad.c"}}, Run: []string{"./bad"}}, Limits{Timeout: time.Minute})
		if out.Exit.Reason != result.ExitError || !strings.Contains(out.Exit.Message, "the build failed") || !strings.Contains(out.Exit.Message, "nosuch") {
			t.Fatalf("exit %+v", out.Exit)
		}
		if b, _ := os.ReadFile(filepath.Join(filepath.Dir(out.Output), BuildLog)); !strings.Contains(string(b), "nosuch") {
			t.Errorf("build.log: %q", b)
		}
	})
}

// TestProgramUserNamespace runs a program submission the way an ordinary
// user's run goes (the worker nobody on the host, in a user namespace): the
// jail has no cgroup and says so.
func TestProgramUserNamespace(t *testing.T) {
	needNamespaces(t)
	needTool(t, "python3")
	if os.Geteuid() != 0 {
		t.Skip("not root: the other tests run in a user namespace already")
	}
	asUser = &[2]int{65534, 65534}
	defer func() { asUser = nil }()
	exe, _ := os.Executable()
	bin, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o711)
	os.Chmod(dir, 0o777)
	workerExe = filepath.Join(dir, "worker.test")
	defer func() { workerExe = "" }()
	if err := os.WriteFile(workerExe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "submission")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "client.py"), []byte(`import os, socket
s = socket.create_connection(("www.example.com", 7))
s.sendall(b"as nobody\n")
print(s.recv(100).decode().strip(), os.getuid())
`), 0o644)
	out, err := Run(context.Background(), Config{
		Dir: dir, LabDir: dir, Hosts: labHosts, Source: "client",
		Services: []service.Spec{{Name: "echo", Kind: "tcp-echo", Listen: "www.example.com:7"}},
		Program:  &Program{Dir: sub, Run: []string{"python3", "client.py"}},
		Limits:   Limits{Timeout: time.Minute},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out.Output)
	if out.Exit.Reason != result.ExitOK || string(b) != "as nobody 0\n" {
		t.Fatalf("exit %+v, output %q", out.Exit, b)
	}
	warned := strings.Join(out.Warnings, "\n")
	if !strings.Contains(warned, "RLIMIT_AS") || !strings.Contains(warned, "RLIMIT_NPROC") {
		t.Errorf("warnings %q: want the rlimit fallbacks named", warned)
	}
}
