package lualib

import (
	"context"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// FuzzPatterns runs Lua 5.1's pattern functions and string.format, written
// here, on any pattern, subject and format: a bad one is a Lua error, never a
// Go panic or a hang past the deadline.
func FuzzPatterns(f *testing.F) {
	for _, s := range [][3]string{
		{"hello world", "%f[%w]%w+", "%5.2f|%-5s|%q"},
		{"f(a(b)c)d", "%b()", "%d %x %u"},
		{"key = value", "^(%w+)%s*=%s*(%w+)$", "%10.3s"},
		{"aaa", "a-", "%c%%"},
		{"[[x]]", "[%]]", "%#o %+d"},
		{"x", "(", "%"},
		{"abc", "%1", "%y"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, subject, pattern, format string) {
		if len(subject) > 256 || len(pattern) > 64 || len(format) > 64 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var out strings.Builder
		s, err := NewState(&Env{Ctx: ctx, Stdout: &out})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		g := s.L.G.Global
		g.RawSetString("S", lua.LString(subject))
		g.RawSetString("P", lua.LString(pattern))
		g.RawSetString("F", lua.LString(format))
		// Errors are expected; DoString returns them, a Go panic would not.
		_ = s.DoString(`
pcall(string.find, S, P) pcall(string.match, S, P)
pcall(string.gsub, S, P, "<%0>") pcall(string.gsub, S, P, function(...) return ... end)
pcall(function() for a in string.gmatch(S, P) do end end)
pcall(string.format, F, 1, 2.5, "x", 3)`, "fuzz.lua")
	})
}
