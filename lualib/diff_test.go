package lualib

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDifferential runs each testdata/diff program under C Lua 5.1 with C
// LuaSocket (lua5.1, Debian's lua5.1 and lua-socket) and in a wirelab state,
// and compares what they print. The extensions taken from later Luas are
// compared with the Lua they come from: testdata/diff52 (bit32) with lua5.2,
// testdata/diff53 (string.pack) with lua5.3. Without an oracle it skips,
// except in CI, which installs them and must not skip.
func TestDifferential(t *testing.T) {
	for _, o := range []struct{ dir, oracle, pkg string }{
		{"testdata/diff", "lua5.1", "lua5.1 and lua-socket"},
		{"testdata/diff52", "lua5.2", "lua5.2"},
		{"testdata/diff53", "lua5.3", "lua5.3"},
	} {
		t.Run(o.oracle, func(t *testing.T) {
			lua, err := exec.LookPath(o.oracle)
			if err != nil {
				if os.Getenv("CI") != "" {
					t.Fatalf("%s is not installed, and CI is set: install %s", o.oracle, o.pkg)
				}
				t.Skipf("%s is not installed (apt-get install %s)", o.oracle, o.pkg)
			}
			files, _ := filepath.Glob(o.dir + "/*.lua")
			if len(files) == 0 {
				t.Fatal("no differential programs in " + o.dir)
			}
			for _, f := range files {
				t.Run(strings.TrimSuffix(filepath.Base(f), ".lua"), func(t *testing.T) {
					t.Parallel()
					want := runOracle(t, lua, f)
					got := runWirelab(t, f)
					if got != want {
						t.Errorf("output differs from C %s's (-%s +wirelab):\n%s", o.oracle, o.oracle, lineDiff(want, got))
					}
				})
			}
		})
	}
}

// oracleLua is C Lua 5.1's path; a test without it is skipped, or fails
// in CI, which installs it.
func oracleLua(t *testing.T) string {
	t.Helper()
	lua51, err := exec.LookPath("lua5.1")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("lua5.1 is not installed, and CI is set: .ci/run installs it")
		}
		t.Skip("lua5.1 is not installed (apt-get install lua5.1)")
	}
	return lua51
}

func runOracle(t *testing.T, lua51, file string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, lua51, filepath.Base(file))
	cmd.Dir = filepath.Dir(file)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("lua5.1 %s: %v\n%s%s", file, err, out.String(), stderr.String())
	}
	return normalize(out.String())
}

func runWirelab(t *testing.T, file string) string {
	t.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Debian's pure-Lua modules (lua-copas: copas, coxpcall) load as they do
	// under lua5.1.
	s, err := NewState(&Env{Ctx: ctx, Stdout: &out, Dirs: []string{filepath.Dir(file), "/usr/share/lua/5.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DoString(string(src), filepath.Base(file)); err != nil {
		t.Fatalf("%v\noutput so far:\n%s", err, out.String())
	}
	return normalize(out.String())
}
