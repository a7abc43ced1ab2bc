package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocCommandLines checks every `wirelab ...` (or `go run . ...`) command
// line in README.md and docs/*.md against the real command tree: the command
// exists and every flag it uses is one the command has. A renamed flag or
// command breaks this test before it breaks a reader.
func TestDocCommandLines(t *testing.T) {
	files, _ := filepath.Glob("../docs/*.md")
	files = append(files, "../README.md")
	// Every fenced block is matched, whatever its language, so that a yaml
	// block's closing fence is never taken for the start of one.
	fence := regexp.MustCompile("(?s)```([a-z]*)\n(.*?)```")
	inline := regexp.MustCompile("`((?:wirelab|go run \\.) [^`]+)`")
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		type docLine struct {
			text   string
			inline bool // `wirelab packets -Y` in prose names a flag, without its value
		}
		var lines []docLine
		for _, m := range fence.FindAllStringSubmatch(string(b), -1) {
			switch m[1] {
			case "", "sh", "bash", "shell", "console":
			default:
				continue
			}
			for _, l := range strings.Split(m[2], "\n") {
				lines = append(lines, docLine{l, false})
			}
		}
		for _, m := range inline.FindAllStringSubmatch(string(b), -1) {
			lines = append(lines, docLine{m[1], true})
		}
		for _, dl := range lines {
			line := dl.text
			args, ok := commandLine(line)
			if !ok {
				continue
			}
			checked++
			root := newRoot(nil, nil)
			cmd, rest, err := root.Find(args)
			rootFlags := cmd == root && len(rest) > 0 && strings.HasPrefix(rest[0], "-") // wirelab --version
			if err != nil || (cmd == root && !rootFlags) {
				t.Errorf("%s: %q: no such command (%v)", filepath.Base(f), line, err)
				continue
			}
			if err := cmd.ParseFlags(rest); err != nil && !(dl.inline && strings.Contains(err.Error(), "needs an argument")) {
				t.Errorf("%s: %q: %v", filepath.Base(f), line, err)
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d command lines found in the docs; the extraction is broken", checked)
	}
}

// commandLine turns a documented shell line into wirelab's arguments.
func commandLine(line string) ([]string, bool) {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "$ ")
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	for _, sep := range []string{" | ", " > ", " && ", " 2>"} {
		if i := strings.Index(line, sep); i >= 0 {
			line = line[:i]
		}
	}
	var rest string
	switch {
	case strings.HasPrefix(line, "wirelab "):
		rest = strings.TrimPrefix(line, "wirelab ")
	case strings.HasPrefix(line, "go run . "):
		rest = strings.TrimPrefix(line, "go run . ")
	default:
		return nil, false
	}
	if strings.Contains(rest, "...") {
		rest = strings.ReplaceAll(rest, "...", "")
	}
	var args []string
	for _, f := range strings.Fields(rest) {
		args = append(args, strings.Trim(f, `'"`))
	}
	return args, len(args) > 0
}

// A usage mistake names what was wrong, shows the command's usage line and
// where the help is.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"check"}, []string{"error: expected at least 1 argument, got 0", "usage: wirelab check LAB...", "Run 'wirelab check --help' for more."}},
		{[]string{"packets", "a", "b"}, []string{"error: expected 1 argument, got 2", "usage: wirelab packets FILE"}},
		{[]string{"verify", "a"}, []string{"error: expected 2 arguments, got 1", "usage: wirelab verify LAB CAPTURE"}},
		{[]string{"labs", "x"}, []string{`error: wirelab labs takes no arguments, got "x"`, "usage: wirelab labs"}},
		{[]string{"chek", "labs/http-client"}, []string{`error: unknown command "chek" for "wirelab" (did you mean check?)`, "Run 'wirelab --help' for more."}},
		{[]string{"packets", "x.pcap", "--nope"}, []string{"unknown flag: --nope", "usage: wirelab packets FILE"}},
		{[]string{"nope"}, []string{`unknown command "nope"`, "Run 'wirelab --help' for more."}},
	} {
		var stdout, stderr bytes.Buffer
		if code := Run(tc.args, &stdout, &stderr); code != ExitError {
			t.Errorf("%v: exit %d, want %d", tc.args, code, ExitError)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%v: stderr has no %q:\n%s", tc.args, w, stderr.String())
			}
		}
	}
}

// Every command validates its arguments with wirelab's own validators, which
// say the count in wirelab's words and mark the mistake as usage; cobra's
// validators' messages would reach the user as cobra writes them.
func TestArgsValidatorsAreOurs(t *testing.T) {
	root := newRoot(io.Discard, io.Discard)
	many := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	for _, c := range root.Commands() {
		if c.Args == nil || c.Hidden || c.Name() == "help" {
			continue
		}
		for _, args := range [][]string{nil, many} {
			err := c.Args(c, args)
			if err == nil {
				continue
			}
			var ue usageError
			if !errors.As(err, &ue) {
				t.Errorf("%s %v: %q is not a usage error from wirelab's validators", c.Name(), args, err)
			}
		}
	}
}
