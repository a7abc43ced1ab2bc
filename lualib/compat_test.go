package lualib

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files (compat goldens are produced by running lua5.1 with C LuaSocket)")

// addrRE hides what differs from run to run: pointers in tostring forms.
var addrRE = regexp.MustCompile(`0x[0-9a-f]+`)

func normalize(s string) string { return addrRE.ReplaceAllString(s, "0x") }

// TestCompat runs each testdata/compat script in a wirelab state and compares
// its output with what the same script printed under C Lua 5.1 with C LuaSocket
// (the .out golden; -update regenerates it with lua5.1).
func TestCompat(t *testing.T) {
	files, _ := filepath.Glob("testdata/compat/*.lua")
	if len(files) == 0 {
		t.Fatal("no compat scripts")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".lua"), func(t *testing.T) {
			golden := strings.TrimSuffix(f, ".lua") + ".out"
			if *update {
				cmd := exec.Command("lua5.1", filepath.Base(f))
				cmd.Dir = filepath.Dir(f)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("lua5.1 %s: %v\n%s", f, err, out)
				}
				if err := os.WriteFile(golden, []byte(normalize(string(out))), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			s, err := NewState(&Env{Ctx: ctx, Stdout: &out, Dirs: []string{filepath.Dir(f)}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			// named as lua5.1 names it when run from the script's folder
			if err := s.DoString(string(src), filepath.Base(f)); err != nil {
				t.Fatalf("%v\noutput so far:\n%s", err, out.String())
			}
			if got := normalize(out.String()); got != string(want) {
				t.Errorf("output differs from C LuaSocket's (-want +got):\n%s", lineDiff(string(want), got))
			}
		})
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  - " + a + "\n  + " + c + "\n")
		}
	}
	return b.String()
}
