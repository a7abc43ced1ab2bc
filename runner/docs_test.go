package runner

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/service"
)

// luaCheckRef finds `lua: FILE:FUNC` in an example, to define FUNC in FILE.
var luaCheckRef = regexp.MustCompile(`lua:\s*"?([\w.-]+\.lua):(\w+)`)

// TestDocExamples loads every full lab in docs/lab-format.md: a fenced yaml
// block whose first line starts with "lab:". The files the examples name
// (solution.lua, checks.lua, server.lua, tester.lua, index.html) are created beside each one,
// empty but for the functions its lua checks name.
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
		files := map[string]string{"solution.lua": "", "checks.lua": "", "server.lua": "", "tester.lua": "", "index.html": ""}
		// The loader checks that a lua check's function is defined.
		for _, m := range luaCheckRef.FindAllStringSubmatch(b, -1) {
			files[m[1]] += "function " + m[2] + "(ctx) return true end\n"
		}
		for f, text := range files {
			os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644)
		}
		os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(b), 0o644)
		lab, err := Load(dir)
		if err != nil {
			t.Errorf("example lab %d (%s) does not load:\n%v", i+1, strings.SplitN(b, "\n", 2)[0], err)
			continue
		}
		// The docs show labs a submission cannot fool (runner.Lint).
		for _, w := range Lint(lab) {
			t.Errorf("example lab %d: %s", i+1, strings.TrimPrefix(w.String(), filepath.Join(dir, "lab.yaml")))
		}
		// `max` alone counts from zero: such a check passes on a capture with
		// no packet at all, so an example using it must mean "at most".
		for _, c := range lab.Checks {
			if c.Kind == KindPacket && c.Min == 0 && c.Max >= 0 && !strings.HasPrefix(c.Name, "at most") {
				t.Errorf("example lab %d: check %q has max: %d alone, which passes with no matching packet; add min: 1 (or name it \"at most ...\")", i+1, c.Name, c.Max)
			}
		}
	}
}

// TestDocCheckKinds proves docs/lab-format.md agrees with CheckKinds: the
// checks section lists every kind, in CheckKinds' order, and each has a
// section of its own (### `kind`: ...) in that order.
func TestDocCheckKinds(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "lab-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	quoted := make([]string, len(CheckKinds))
	for i, k := range CheckKinds {
		quoted[i] = "`" + k + "`"
	}
	list := "exactly one of the keys " + strings.Join(quoted[:len(quoted)-1], ", ") + ", " + quoted[len(quoted)-1] + ")"
	if !strings.Contains(strings.Join(strings.Fields(text), " "), list) {
		t.Errorf("docs/lab-format.md's checks section does not list the kinds as %q", list)
	}
	var sections []string
	for _, m := range regexp.MustCompile("(?m)^### `([a-z_]+)`: ").FindAllStringSubmatch(text, -1) {
		sections = append(sections, m[1])
	}
	if strings.Join(sections, " ") != strings.Join(CheckKinds, " ") {
		t.Errorf("docs/lab-format.md has sections for the kinds %v, CheckKinds is %v", sections, CheckKinds)
	}
}

// TestDocLanguages proves docs/lab-format.md's table of languages is the
// registry's: every language, in order, with its docs line.
func TestDocLanguages(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "lab-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, g := range languages.order {
		rows = append(rows, "| `"+g.name+"` | "+g.doc+" |")
	}
	if !strings.Contains(string(doc), strings.Join(rows, "\n")) {
		t.Errorf("docs/lab-format.md does not hold the languages table:\n%s", strings.Join(rows, "\n"))
	}
}

// TestDocServiceKinds proves docs/lab-format.md agrees with the service-kind
// registry: the services table lists every kind in the registry's order, and
// each kind has a section (### `kind`, or ### `a` and `b` for kinds documented
// together) in that order.
func TestDocServiceKinds(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "lab-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	kinds := service.Kinds()
	quoted := make([]string, len(kinds))
	for i, k := range kinds {
		quoted[i] = "`" + k + "`"
	}
	row := "| `kind` | One of " + strings.Join(quoted[:len(quoted)-1], ", ") + ", " + quoted[len(quoted)-1] + ". |"
	if !strings.Contains(text, row) {
		t.Errorf("docs/lab-format.md's services table lacks the row %q", row)
	}
	var sections []string
	for _, m := range regexp.MustCompile("(?m)^### (`[a-z-]+`(?: and `[a-z-]+`)*)$").FindAllStringSubmatch(text, -1) {
		for _, k := range regexp.MustCompile("`([a-z-]+)`").FindAllStringSubmatch(m[1], -1) {
			if _, ok := service.Lookup(k[1]); ok {
				sections = append(sections, k[1])
			}
		}
	}
	if strings.Join(sections, " ") != strings.Join(kinds, " ") {
		t.Errorf("docs/lab-format.md has sections for the service kinds %v, the registry is %v", sections, kinds)
	}
}
