package lualib

import (
	"os"
	"strings"
	"testing"
)

// TestLuaAPIDocExamples compiles every Lua example in docs/lua-api.md (the
// socket and lab sections as well as scan, banner and capture), so the
// student's manual never shows Lua that does not parse.
func TestLuaAPIDocExamples(t *testing.T) {
	b, err := os.ReadFile("../docs/lua-api.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(b), "```lua\n")[1:]
	if len(blocks) < 30 {
		t.Fatalf("only %d Lua examples in docs/lua-api.md; the extraction is broken", len(blocks))
	}
	s, _ := newTestState(t, nil)
	for i, blk := range blocks {
		code, _, ok := strings.Cut(blk, "```")
		if !ok {
			t.Fatalf("example %d is not closed", i+1)
		}
		if _, err := s.L.LoadString(code); err != nil {
			t.Errorf("example %d does not compile: %v\n%s", i+1, err, code)
		}
	}
}
