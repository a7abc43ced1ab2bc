package sandbox

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/runner/service"
)

func TestMain(m *testing.M) {
	if IsWorker() {
		os.Exit(WorkerMain())
	}
	os.Exit(m.Run())
}

// needNamespaces skips a test that needs network namespaces, or fails it in CI.
func needNamespaces(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		skipOrFail(t, "network namespaces need Linux")
	}
	if os.Geteuid() != 0 {
		if _, err := os.Stat("/proc/self/ns/user"); err != nil {
			skipOrFail(t, "no user namespaces")
		}
	}
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set: a sandbox test may not skip)", why)
	}
	t.Skip(why)
}

// script writes a Lua script into a temporary folder and returns its path.
func script(t *testing.T, dir, src string) string {
	t.Helper()
	p := filepath.Join(dir, "submission.lua")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var labHosts = []Host{
	{Name: "www.example.com", Addr: netip.MustParseAddr("10.0.0.80")},
	{Name: "client", Addr: netip.MustParseAddr("10.0.0.10")},
}

func run(t *testing.T, src string, lim Limits, mod ...func(*Config)) *Outcome {
	t.Helper()
	needNamespaces(t)
	dir := t.TempDir()
	cfg := Config{
		Dir:       dir,
		LabDir:    dir,
		Hosts:     labHosts,
		Script:    script(t, dir, src),
		Source:    "client",
		Limits:    lim,
		Grace:     time.Second,
		Isolation: IsolationAuto,
	}
	for _, m := range mod {
		m(&cfg)
	}
	out, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return out
}

// TestLimits runs scripts that hit each limit, and checks that the run ends
// with the limit's reason, within bounds, and that the parent is unharmed.
func TestLimits(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		lim    Limits
		reason string
		msg    string
		within time.Duration
	}{
		{"finishes", `print("hello")`, Limits{Timeout: 5 * time.Second}, ReasonOK, "", 5 * time.Second},
		{"lua error", "local x = nil\nx.y = 1", Limits{Timeout: 5 * time.Second}, ReasonError, "submission.lua:2:", 5 * time.Second},
		{"busy loop", `while true do end`, Limits{Timeout: 500 * time.Millisecond}, ReasonTimeout, "deadline", 3 * time.Second},
		// Backtracking inside a Go built-in ignores the Lua context: the parent kills it.
		{"string.find", `print(string.find(string.rep("a", 3e4), string.rep("a?", 3e4) .. string.rep("a", 3e4)))`,
			Limits{Timeout: 500 * time.Millisecond}, ReasonTimeout, "killed", 4 * time.Second},
		{"memory bomb", `local t = {} local s = string.rep("x", 1e6) for i = 1, 1e6 do t[i] = s .. i end`,
			Limits{Timeout: 20 * time.Second, Memory: 64 << 20}, ReasonMemory, "memory", 20 * time.Second},
		{"one huge string", `local s = string.rep("x", 2e9) print(#s)`,
			Limits{Timeout: 20 * time.Second, Memory: 64 << 20}, ReasonMemory, "memory", 20 * time.Second},
		{"output flood", `while true do print(string.rep("y", 100)) end`,
			Limits{Timeout: 10 * time.Second, Output: 4096}, ReasonOutput, "4096 bytes", 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			begin := time.Now()
			out := run(t, tt.src, tt.lim)
			took := time.Since(begin)
			t.Logf("%s: %+v after %v", tt.name, out.Exit, took)
			if out.Exit.Reason != tt.reason || !strings.Contains(out.Exit.Message, tt.msg) {
				t.Errorf("exit %+v, want reason %q with %q", out.Exit, tt.reason, tt.msg)
			}
			if took > tt.within {
				t.Errorf("took %v, want at most %v", took, tt.within)
			}
			if !out.Started {
				t.Errorf("the script never started")
			}
			if _, err := readCapture(out.Capture); err != nil {
				t.Errorf("capture: %v", err)
			}
		})
	}
	t.Run("output marker", func(t *testing.T) {
		out := run(t, `for i = 1, 1000 do print("0123456789") end`, Limits{Timeout: 10 * time.Second, Output: 100})
		b, err := os.ReadFile(out.Output)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Repeat("0123456789\n", 10)[:100] + "\n[wirelab: output truncated after 100 bytes]\n"
		if string(b) != want {
			t.Errorf("output.txt:\n%q\nwant\n%q", b, want)
		}
	})
}

func TestServiceFailsToStart(t *testing.T) {
	needNamespaces(t)
	dir := t.TempDir()
	_, err := Run(context.Background(), Config{
		Dir: dir, LabDir: dir, Hosts: labHosts,
		Services: []service.Spec{
			{Name: "web", Kind: "http", Listen: "www.example.com:80", Routes: map[string]service.Route{"/": {}}},
			{Name: "web2", Kind: "tcp-echo", Listen: "www.example.com:80"},
		},
	})
	var se *SetupError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), `service "web2": listen tcp 10.0.0.80:80: bind: address already in use`) {
		t.Fatalf("got %v, want a setup error naming web2 and the address in use", err)
	}
}

// readCapture reads every frame of a capture file.
func readCapture(path string) ([]capture.Frame, error) {
	src, err := capture.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var frames []capture.Frame
	for {
		fr, err := src.Next()
		if err == io.EOF {
			return frames, nil
		}
		if err != nil {
			return frames, err
		}
		fr.Data = append([]byte(nil), fr.Data...)
		frames = append(frames, fr)
	}
}
