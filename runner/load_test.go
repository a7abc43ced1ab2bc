package runner

import (
	"flag"
	"github.com/wirelab-dev/wirelab/runner/result"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestLoadHTTPGet(t *testing.T) {
	lab, err := Load("testdata/http-get")
	if err != nil {
		t.Fatal(err)
	}
	if lab.ID != "http-client" || len(lab.Checks) != 6 || len(lab.Hosts) != 2 || lab.Hosts[0].Name != "localhost" {
		t.Errorf("lab = %+v", lab)
	}
	if got := lab.Services[0].Listen; got != "localhost:80" {
		t.Errorf("listen = %s", got)
	}
	if a, _ := lab.HostAddr(lab.Submission.Host); lab.Submission.Host != "client" || a.String() != "127.0.0.1" {
		t.Errorf("submission host %q at %v", lab.Submission.Host, a)
	}
	if !filepath.IsAbs(lab.Submission.File) || !strings.HasSuffix(lab.Submission.File, "solution.lua") {
		t.Errorf("submission file %q", lab.Submission.File)
	}
	c := lab.Checks[0]
	if c.Kind != KindSequence || len(c.Steps) != 3 || c.Within.String() != "1s" || c.Points != 3 {
		t.Errorf("check 0 = %+v", c)
	}
	if c := lab.Checks[2]; c.Min != 2 || c.Max != 2 {
		t.Errorf("count: min %d max %d", c.Min, c.Max)
	}
	if c := lab.Checks[5]; c.LuaFunc != "status_code" || c.Visibility != result.Hidden {
		t.Errorf("lua check = %+v", c)
	}
}

// TestBroken loads every lab under testdata/broken and compares the errors with
// the golden file beside it.
func TestBroken(t *testing.T) {
	files, _ := filepath.Glob("testdata/broken/*.yaml")
	if len(files) == 0 {
		t.Fatal("no broken labs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := Load(f)
			if err == nil {
				t.Fatal("loaded without error")
			}
			if _, ok := err.(ErrorList); !ok {
				t.Errorf("error is %T, want ErrorList", err)
			}
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(f, ".yaml") + ".golden"
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestMergeKeys(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(`lab: merge
checks:
  - &syn
    name: a
    points: 2
    hint: look at the SYN
    packet: tcp.flags.syn == 1
  - <<: *syn
    name: b
    points: 3
`), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := lab.Checks[1]
	if b.Name != "b" || b.Points != 3 || b.Hint != "look at the SYN" || b.Filter != "tcp.flags.syn == 1" {
		t.Errorf("merged check = %+v", b)
	}
}

// loadProblems loads a lab from YAML text, with extra files beside it, and
// fails unless it is refused with every one of want among its problems.
func loadProblems(t *testing.T, text string, files map[string]string, want []string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if err == nil {
		t.Fatal("the lab loaded")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("missing %q in:\n%v", w, err)
		}
	}
}

// TestWrongShapes: a key whose value must be a mapping or a list, given
// another shape, is one problem at the value saying what it must be; empty,
// it is left out.
func TestWrongShapes(t *testing.T) {
	loadProblems(t, `lab: shapes
submission:
  args: [host]
  languages: lua
services: {web: 1}
links: [client]
checks:
  - name: x
    output: {contains: "x"}
`, nil, []string{
		"lab.yaml:3:9: submission args must be a mapping (like `{host: www.example.com, port: 80}`), not a list",
		`lab.yaml:4:14: submission languages must be a list of languages, like [lua, python, c] (known: lua, python, c, executable, make), not "lua"`,
		"lab.yaml:5:11: services must be a list (each entry starting with `- name:`), not a mapping",
		"lab.yaml:6:8: links must map interfaces to impairments (like `client: {both: {delay: 50ms}}`), not a list",
	})
	loadText(t, "lab: empty\nsubmission: {args: ~, languages: ~}\nservices: ~\nlinks: ~\nchecks:\n  - {name: x, output: {contains: x}}\n", map[string]string{"solution.lua": ""})
}
