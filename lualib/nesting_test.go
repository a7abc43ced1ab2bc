package lualib

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// nestShapes build chunks nested k deep in the ways C Lua's parser counts.
var nestShapes = []struct {
	name  string
	exact bool // CheckNesting refuses exactly where C Lua 5.1 does
	make  func(k int) string
}{
	{"tables", true, func(k int) string { return "x = " + strings.Repeat("{", k) + strings.Repeat("}", k) + "\n" }},
	{"blocks", true, func(k int) string { return strings.Repeat("do ", k) + strings.Repeat("end ", k) + "\n" }},
	{"calls", true, func(k int) string { return "f" + strings.Repeat("(", k) + "1" + strings.Repeat(")", k) + "\n" }},
	{"functions", true, func(k int) string {
		return strings.Repeat("function f() ", k) + strings.Repeat("end ", k) + "\n"
	}},
	{"ifs", true, func(k int) string { return strings.Repeat("if x then ", k) + strings.Repeat("end ", k) + "\n" }},
	{"parens", false, func(k int) string { return "x = " + strings.Repeat("(", k) + "1" + strings.Repeat(")", k) + "\n" }},
	{"concat", false, func(k int) string { return "x = " + strings.Repeat("'a' .. ", k) + "'a'\n" }},
	{"unary", false, func(k int) string { return "x = " + strings.Repeat("- ", k) + "1\n" }},
	{"not", false, func(k int) string { return "x = " + strings.Repeat("not ", k) + "1\n" }},
	{"power", false, func(k int) string { return "x = " + strings.Repeat("2 ^ ", k) + "1\n" }},
	{"mixed", false, func(k int) string {
		return "local t = " + strings.Repeat("{f(function() return -", k/4) + "1" +
			strings.Repeat(" end)}", k/4) + "\n"
	}},
	{"strings and comments", false, func(k int) string {
		return "-- ((((( [[\n" + "x = " + strings.Repeat("({'(' , [[\n(]], --[==[ { ]==]\n", k/2) + "1" +
			strings.Repeat("})", k/2) + "\n"
	}},
}

// TestCheckNestingAgreesWithLua51 runs each shape just under and over the limit
// in C Lua 5.1 and in CheckNesting: CheckNesting never refuses a chunk lua5.1
// accepts, refuses with lua5.1's message, and (for the exact shapes) refuses
// exactly where lua5.1 does.
func TestCheckNestingAgreesWithLua51(t *testing.T) {
	lua51 := oracleLua(t)
	dir := t.TempDir()
	for _, sh := range nestShapes {
		t.Run(sh.name, func(t *testing.T) {
			for k := 180; k <= 210; k++ {
				src := sh.make(k)
				file := filepath.Join(dir, "n.lua")
				if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				// Run as a script, as a student runs solution.lua: C Lua
				// compiles it from one C level, as wirelab does. The
				// shapes are harmless to run (at worst a call of nil).
				out, _ := exec.Command(lua51, file).CombinedOutput()
				cmsg, _, _ := strings.Cut(strings.TrimPrefix(string(out), lua51+": "), "\n")
				cRefuses := strings.HasSuffix(cmsg, "chunk has too many syntax levels")
				err := CheckNesting(src, file)
				if err != nil && strings.HasSuffix(cmsg, "too complex near '{'") {
					continue // refused by C Lua for another limit first
				}
				if err != nil && !cRefuses {
					t.Fatalf("depth %d: CheckNesting refuses %v, lua5.1 says %q", k, err, cmsg)
				}
				if err != nil && err.Error() != cmsg {
					t.Fatalf("depth %d: CheckNesting says %q, lua5.1 %q", k, err, cmsg)
				}
				if sh.exact && cRefuses && err == nil {
					t.Fatalf("depth %d: lua5.1 refuses (%q), CheckNesting accepts", k, cmsg)
				}
			}
		})
	}
}

// TestDeepNestingIsAnError hands a state chunks nested 200,000 deep by every
// way a script loads code: each ends as Lua's syntax error, quickly, instead of
// parsing for seconds or overflowing the Go stack.
func TestDeepNestingIsAnError(t *testing.T) {
	const k = 200000
	const msg = "chunk has too many syntax levels"
	for _, sh := range nestShapes {
		t.Run(sh.name, func(t *testing.T) {
			src := sh.make(k)
			s, _ := newTestState(t, nil)
			err := s.DoString(src, "deep.lua")
			if err == nil || !strings.HasPrefix(err.Error(), "deep.lua:") || !strings.HasSuffix(err.Error(), msg) {
				t.Fatalf("DoString: %v, want deep.lua:N: %s", err, msg)
			}
		})
	}
	src := nestShapes[0].make(k)
	t.Run("file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "solution.lua")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		s, _ := newTestState(t, nil)
		if err := s.DoFile(file); err == nil || err.Error() != file+":1: "+msg {
			t.Fatalf("DoFile: %v", err)
		}
	})
	t.Run("loadstring and load", func(t *testing.T) {
		s, _ := newTestState(t, nil)
		s.L.SetGlobal("deep", lua.LString(src))
		err := s.DoString(`
			local f, e = loadstring(deep, "=deep")
			assert(f == nil and e == "deep:1: `+msg+`", e)
			local done = false
			f, e = load(function() if done then return nil end done = true return deep end, "=deep")
			assert(f == nil and e == "deep:1: `+msg+`", e)
		`, "t.lua")
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("require", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "deep.lua"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		s, _ := newTestState(t, &Env{Dirs: []string{dir}})
		err := s.DoString(`local ok, e = pcall(require, "deep") assert(not ok) error(e, 0)`, "t.lua")
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Fatalf("require: %v", err)
		}
	})
}

// TestCheckNestingAcceptsRealCode: no Lua file in the repository (labs,
// built-in modules, test scripts) nor in the shared corpus is refused.
func TestCheckNestingAcceptsRealCode(t *testing.T) {
	n := 0
	for _, root := range []string{"..", "../../shared"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".lua") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil || len(src) > 4<<20 {
				return nil
			}
			n++
			if err := CheckNesting(string(src), path); err != nil {
				t.Errorf("%v", err)
			}
			return nil
		})
	}
	if n < 50 {
		t.Fatalf("only %d Lua files found", n)
	}
}
