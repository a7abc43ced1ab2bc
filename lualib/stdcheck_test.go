package lualib

import (
	"errors"
	"testing"
)

// TestChunkErrorWords: an error that ends a chunk reads as the standalone
// lua 5.1 reports it: a string or number as it is, the machine's messages in
// C Lua's words, any other value "(error object is not a string)" with no
// traceback.
func TestChunkErrorWords(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`error({})`, "(error object is not a string)"},
		{`error(true)`, "(error object is not a string)"},
		{`error(print)`, "(error object is not a string)"},
		{`error(42)`, "e.lua:1: 42"},
		{`return {} < {}`, "e.lua:1: attempt to compare two table values"},
		{`for i = 1, nil do end`, "e.lua:1: 'for' limit must be a number"},
		{`error("attempt to compare table with table", 0)`, "attempt to compare table with table"},
		{`local t = {} for k in pairs(t) do end local a, b, c, y return y.z`, "e.lua:1: attempt to index local 'y' (a nil value)"},
		{`return ("x"):rep({})`, "e.lua:1: bad argument #1 to 'rep' (number expected, got table)"},
		{`math.floor()`, "e.lua:1: bad argument #1 to 'floor' (number expected, got no value)"},
	} {
		s, _ := newTestState(t, nil)
		err := s.DoString(c.src, "e.lua")
		var le *Error
		if !errors.As(err, &le) {
			t.Errorf("%s: %v, want a Lua error", c.src, err)
			continue
		}
		if le.Message != c.want {
			t.Errorf("%s: %q, want %q", c.src, le.Message, c.want)
		}
		if c.want == "(error object is not a string)" && le.Traceback != "" {
			t.Errorf("%s: traceback %q, want none", c.src, le.Traceback)
		}
	}
}
