package lualib

import (
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

// TestHostileScripts: what a student submits may fail, but must not crash the
// process or escape; each case must end in an ordinary Lua error.
func TestHostileScripts(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"deep recursion", "local function f() return 1 + f() end f()", "stack overflow"},
		{"huge unpack", "local t = {} for i = 1, 1100000 do t[i] = i end unpack(t)", ""},
		{"deep coroutine recursion", "local function f() return coroutine.wrap(f)() end f()", ""},
		{"error with table", "error({code = 1})", ""},
		{"bad self", "socket.tcp().receive(42)", "(tcp{client} expected)"},
		{"method on closed", "local t = socket.tcp() t:close() assert(t:send == nil)", ""},
		{"string metatable", "getmetatable('').__index = nil; return ('x'):upper()", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestState(t, nil)
			err := s.DoString(tt.src, "hostile.lua")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

// FuzzRequireName: no module name resolves to a file outside the state's Dirs.
func FuzzRequireName(f *testing.F) {
	fuzzing.Steady(f)
	for _, seed := range []string{"helper", "sub.inner", "sub.escape", "../state", "/etc/passwd", "..", "a..b", ".x", "x.", "sub/inner", "sub\\inner", "\x00", "helper.lua"} {
		f.Add(seed)
	}
	s, err := NewState(&Env{Dirs: []string{"testdata/mods"}})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, name string) {
		path, _, _ := s.findModule(name)
		if path == "" {
			return
		}
		if !strings.Contains(path, "/testdata/mods/") || strings.Contains(path, "..") {
			t.Fatalf("module %q resolved to %q", name, path)
		}
	})
}
