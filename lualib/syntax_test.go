package lualib

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/gopher-lua/parse"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

// FuzzSyntaxMessage feeds syntaxMessage arbitrary chunks: it must return,
// never panic, and every message it gives is "chunk:line: ...".
func FuzzSyntaxMessage(f *testing.F) {
	fuzzing.Steady(f)
	for _, seed := range []string{"x = = 1", "if x then", "function f()\n  print(1)\n", "t = {1,, 2}",
		"x = [==[ a ]=]", "x = 'a\\300'", "--[[ open", "for a b in x do end", "return ...", "x = 3..2",
		"local t = {a = 1, [2] = 3; 4}", "a.b:c'x'{1}(2)", "while true do break end", "\r\n\n\rx ="} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if CheckNesting(src, "=f") != nil {
			return // refused before any parse, as loadLua does
		}
		msg := syntaxMessage(src, "=f")
		if msg != "" && !strings.HasPrefix(msg, "f:") {
			t.Fatalf("%q: message %q does not start with the chunk's name", src, msg)
		}
		if msg == "" {
			if _, err := parse.Parse(bytes.NewReader([]byte(src)), "f"); err != nil && !strings.Contains(src, "goto") {
				// gopher-lua refuses what Lua 5.1's grammar accepts: the caller
				// keeps gopher-lua's message then; note it, it is no failure
				t.Logf("%q: gopher-lua refuses, Lua 5.1's grammar accepts", src)
			}
		}
	})
}
