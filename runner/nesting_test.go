package runner

import (
	"strings"
	"testing"
)

// TestLoadDeepLua: a lab whose submission, service script and check file are
// nested 200,000 deep fails to load with C Lua's "chunk has too many syntax
// levels" for each (main parsed such a 4 MB solution.lua for 34 s in 1 GB and
// then blamed a ")").
func TestLoadDeepLua(t *testing.T) {
	deep := func(body string) string {
		return body + "x = " + strings.Repeat("{", 200000) + strings.Repeat("}", 200000) + "\n"
	}
	lab := `lab: deep
submission:
  file: solution.lua
services:
  - name: s
    kind: lua
    listen: 127.0.0.1:7
    script: service.lua
checks:
  - name: a
    lua: checks.lua:ok
`
	files := map[string]string{
		"solution.lua": deep(""),
		"service.lua":  deep("function handle(c) end\n"),
		"checks.lua":   deep("function ok(ctx) return true end\n"),
	}
	loadProblems(t, lab, files, []string{
		`submission file "solution.lua" does not compile: solution.lua:1: chunk has too many syntax levels`,
		`service "s" script "service.lua" does not compile: service.lua:2: chunk has too many syntax levels`,
		`lua file "checks.lua" does not compile: checks.lua:2: chunk has too many syntax levels`,
	})
}
