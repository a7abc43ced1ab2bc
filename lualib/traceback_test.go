package lualib

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTraceback runs each script of testdata/traceback, which ends with an
// error, under C Lua 5.1 and wirelab: the message and the stack traceback
// must be C's, line for line.
func TestTraceback(t *testing.T) {
	lua := oracleLua(t)
	files, _ := filepath.Glob("testdata/traceback/*.lua")
	if len(files) < 6 {
		t.Fatalf("%d scripts in testdata/traceback", len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".lua"), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, lua, filepath.Base(f))
			cmd.Dir = filepath.Dir(f)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err == nil {
				t.Fatalf("lua5.1 %s ended without an error", f)
			}
			want := strings.TrimPrefix(strings.TrimSpace(stderr.String()), lua+": ")

			s, err := NewState(&Env{Ctx: ctx, Stdout: &bytes.Buffer{}, Dirs: []string{filepath.Dir(f)}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var le *Error
			if err := s.DoString(string(src), filepath.Base(f)); !errors.As(err, &le) {
				t.Fatalf("wirelab: %v, want a Lua error", err)
			}
			if got := le.Message + "\n" + le.Traceback; got != want {
				t.Errorf("wirelab:\n%s\nC Lua 5.1:\n%s", got, want)
			}
		})
	}
}
