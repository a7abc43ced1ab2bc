package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocExamples loads every full lab in docs/lab-format.md: a fenced yaml
// block whose first line starts with "lab:". The files the examples name
// (solution.lua, checks.lua, server.lua, tester.lua, index.html) are created empty beside
// each one.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "lab-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	var cur []string
	in := false
	for _, line := range strings.Split(string(doc), "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```yaml":
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			if len(cur) > 0 && strings.HasPrefix(cur[0], "lab:") {
				blocks = append(blocks, strings.Join(cur, "\n")+"\n")
			}
		case in:
			cur = append(cur, line)
		}
	}
	if len(blocks) < 2 {
		t.Fatalf("found %d full labs in docs/lab-format.md, want at least 2", len(blocks))
	}
	for i, b := range blocks {
		dir := t.TempDir()
		for _, f := range []string{"solution.lua", "checks.lua", "server.lua", "tester.lua", "index.html"} {
			os.WriteFile(filepath.Join(dir, f), nil, 0o644)
		}
		os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(b), 0o644)
		if _, err := Load(dir); err != nil {
			t.Errorf("example lab %d (%s) does not load:\n%v", i+1, strings.SplitN(b, "\n", 2)[0], err)
		}
	}
}
