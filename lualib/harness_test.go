package lualib

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// newTestState returns a state over testdata with a per-test deadline.
func newTestState(t *testing.T, env *Env) (*State, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	if env == nil {
		env = &Env{}
	}
	if env.Ctx == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		t.Cleanup(cancel)
		env.Ctx = ctx
	}
	if env.Stdout == nil {
		env.Stdout = &out
	}
	if env.Dirs == nil {
		env.Dirs = []string{"testdata/mods"}
	}
	s, err := NewState(env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, &out
}

// runLuaTests runs every global function named Test* in file as a subtest, each
// in a fresh state. A test fails when its function raises an error.
func runLuaTests(t *testing.T, file string, env func(t *testing.T) *Env) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	probe, _ := newTestState(t, nil)
	if err := probe.DoString(string(src), file); err != nil {
		t.Fatalf("loading %s: %v", file, err)
	}
	var names []string
	probe.L.G.Global.ForEach(func(k, v lua.LValue) {
		if ks, ok := k.(lua.LString); ok && strings.HasPrefix(string(ks), "Test") && v.Type() == lua.LTFunction {
			names = append(names, string(ks))
		}
	})
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatalf("%s has no Test functions", file)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var e *Env
			if env != nil {
				e = env(t)
			}
			s, out := newTestState(t, e)
			if err := s.DoString(string(src), file); err != nil {
				t.Fatal(err)
			}
			if err := s.DoString(name+"()", name); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
		})
	}
}

func TestLuaFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/*_test.lua")
	if len(files) == 0 {
		t.Fatal("no testdata/*_test.lua files")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), "_test.lua"), func(t *testing.T) {
			runLuaTests(t, f, nil)
		})
	}
}
