package lualib

import (
	"context"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

// fuzzState is a state for one fuzz input, under a 2 s deadline, with the
// input's strings as globals (name to value).
func fuzzState(t *testing.T, globals map[string]string) *State {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	t.Cleanup(cancel)
	s, _ := newTestState(t, &Env{Ctx: ctx})
	for name, v := range globals {
		s.L.G.Global.RawSetString(name, lua.LString(v))
	}
	return s
}

// FuzzPatterns runs Lua 5.1's pattern functions and string.format, written
// here, on any pattern, subject and format: a bad one is a Lua error, never a
// Go panic or a hang past the deadline.
func FuzzPatterns(f *testing.F) {
	fuzzing.Steady(f)
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
		s := fuzzState(t, map[string]string{"S": subject, "P": pattern, "F": format})
		// Errors are expected; DoString returns them, a Go panic would not.
		_ = s.DoString(`
pcall(string.find, S, P) pcall(string.match, S, P)
pcall(string.gsub, S, P, "<%0>") pcall(string.gsub, S, P, function(...) return ... end)
pcall(function() for a in string.gmatch(S, P) do end end)
pcall(string.format, F, 1, 2.5, "x", 3)`, "fuzz.lua")
	})
}

// FuzzStringPack runs the string.pack format reader (strpack.go) on any format
// and data: a bad format is a Lua error, never a Go panic. Where a format packs,
// what it packed unpacks with the same format, and a fixed-size format packs
// exactly string.packsize bytes (as in Lua 5.3).
func FuzzStringPack(f *testing.F) {
	fuzzing.Steady(f)
	for _, s := range [][2]string{
		{"<i4", "\x01\x00\x00\x00"},
		{">I2 s1 z", "\x00\x05\x03abcxy\x00"},
		{"!8 b h xX i8 d", strings.Repeat("\x01", 32)},
		{"=j n f c3", strings.Repeat("\xff", 32)},
		{"i17", ""},
		{"!3 i", "abc"},
		{"Xi4 I16 s", "\x00"},
		{"c", "x"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, format, data string) {
		if len(format) > 64 || len(data) > 256 {
			return
		}
		s := fuzzState(t, map[string]string{"F": format, "D": data})
		err := s.DoString(`
pcall(string.packsize, F)
pcall(string.unpack, F, D)
pcall(string.unpack, F, D, 2)
pcall(string.unpack, F, D, -1)
local size_ok, size = pcall(string.packsize, F)
for _, v in ipairs({1, -1, 0.5, "", "a", D}) do
  local args = {}
  for i = 1, 16 do args[i] = v end
  local ok, p = pcall(string.pack, F, unpack(args))
  if ok then
    local uok, uerr = pcall(string.unpack, F, p)
    if not uok then error("property: unpack of pack failed: " .. tostring(uerr), 0) end
    if size_ok and #p ~= size then
      error("property: packed " .. #p .. " bytes, packsize says " .. size, 0)
    end
  end
end`, "fuzz.lua")
		if err != nil && strings.Contains(err.Error(), "property:") {
			t.Fatalf("format %q: %v", format, err)
		}
	})
}
