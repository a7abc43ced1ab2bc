package runner

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// langLab loads a lab accepting languages (a YAML list's text) with the
// given args.
func langLab(t *testing.T, languages, args string) *Lab {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "solution.lua"), []byte("print(1)\n"), 0o644)
	y := "lab: langs\nsubmission:\n  file: solution.lua\n"
	if args != "" {
		y += "  args: " + args + "\n"
	}
	if languages != "" {
		y += "  languages: " + languages + "\n"
	}
	y += "checks:\n  - name: a\n    packet: tcp\n"
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(y), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

func write(t *testing.T, p, content string, mode os.FileMode) string {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestResolve: a submission's language by its extension, its first bytes and
// mode, or a folder's contents; and the reason when the lab cannot run it.
func TestResolve(t *testing.T) {
	lab := langLab(t, "[lua, python, c, executable, make]", "{host: www.example.com, port: 80}")
	luaOnly := langLab(t, "", "")
	d := t.TempDir()
	write(t, filepath.Join(d, "alice.lua"), "print(1)\n", 0o644)
	write(t, filepath.Join(d, "bob.py"), "print(1)\n", 0o644)
	write(t, filepath.Join(d, "carol.c"), "int main(void){return 0;}\n", 0o644)
	write(t, filepath.Join(d, "dave"), "#!/usr/bin/env python3\nprint(1)\n", 0o644) // no executable bit: run through its #!
	write(t, filepath.Join(d, "erin.sh"), "#!/bin/sh -e\necho hi\n", 0o755)
	write(t, filepath.Join(d, "frank.bin"), "\x7fELF\x02\x01\x01", 0o755)
	write(t, filepath.Join(d, "notes.txt"), "hello\n", 0o644)
	write(t, filepath.Join(d, "gina", "Makefile"), "all:\n\tcc -o prog main.c\n", 0o644)
	write(t, filepath.Join(d, "gina", "main.c"), "int main(void){return 0;}\n", 0o644)
	write(t, filepath.Join(d, "hal", "client.py"), "print(1)\n", 0o644)
	write(t, filepath.Join(d, "hal", "README.md"), "mine\n", 0o644)
	write(t, filepath.Join(d, "ivy", "solution.py"), "print(1)\n", 0o644)
	write(t, filepath.Join(d, "ivy", "helper.py"), "X = 1\n", 0o644)
	write(t, filepath.Join(d, "jo", "a.py"), "print(1)\n", 0o644)
	write(t, filepath.Join(d, "jo", "b.py"), "print(1)\n", 0o644)
	write(t, filepath.Join(d, "kim", "main.lua"), "print(1)\n", 0o644)
	write(t, filepath.Join(d, "kim", "client.py"), "print(1)\n", 0o644)
	os.MkdirAll(filepath.Join(d, "empty"), 0o755)
	os.Symlink(filepath.Join(d, "bob.py"), filepath.Join(d, "link.py"))

	for _, tc := range []struct {
		lab        *Lab
		path, lang string
		file       string // the entry, relative to d
		run        string // the run argv, space-joined
		build      string // the build commands, ; between them
		err        string // a part of the *NotRunnableError's message
	}{
		{lab: lab, path: "alice.lua", lang: "lua", file: "alice.lua"},
		{lab: lab, path: "bob.py", lang: "python", file: "bob.py", run: "python3 bob.py"},
		{lab: lab, path: "carol.c", lang: "c", file: "carol.c", run: "./prog", build: "cc -O2 -Wall -o prog carol.c -lm"},
		{lab: lab, path: "dave", lang: "executable", file: "dave", run: "/usr/bin/env python3 dave"},
		{lab: lab, path: "erin.sh", lang: "executable", file: "erin.sh", run: "/bin/sh -e erin.sh"},
		{lab: lab, path: "frank.bin", lang: "executable", file: "frank.bin", run: "./frank.bin"},
		{lab: lab, path: "notes.txt", err: `"notes.txt" is not a kind of file wirelab can run: not .lua, .py, .c, not an executable`},
		{lab: lab, path: "gina", lang: "make", file: "gina/Makefile", run: "./prog", build: "make"},
		{lab: lab, path: "hal", lang: "python", file: "hal/client.py", run: "python3 client.py"},
		{lab: lab, path: "ivy", lang: "python", file: "ivy/solution.py", run: "python3 solution.py"},
		{lab: lab, path: "jo", err: `folder "jo" holds 2 files wirelab could run ("a.py", "b.py") and none is named solution.EXT or main.EXT: name the one to run main.EXT, or add a Makefile`},
		{lab: lab, path: "kim", lang: "lua", file: "kim/main.lua"},
		{lab: lab, path: "empty", err: `folder "empty" holds nothing wirelab can run`},
		{lab: lab, path: "link.py", err: "not a regular file"},
		{lab: luaOnly, path: "alice.lua", lang: "lua", file: "alice.lua"},
		{lab: luaOnly, path: "bob.py", err: `"bob.py" is a Python program, and lab "langs" accepts lua only (submission.languages)`},
		{lab: luaOnly, path: "gina", err: `"gina" is a folder with a Makefile, and lab "langs" accepts lua only`},
		{lab: luaOnly, path: "kim", lang: "lua", file: "kim/main.lua"},
		{lab: luaOnly, path: "hal", err: `"hal/client.py" is a Python program, and lab "langs" accepts lua only`},
	} {
		t.Run(tc.path, func(t *testing.T) {
			e, err := tc.lab.Resolve(filepath.Join(d, tc.path))
			if tc.err != "" {
				var nr *NotRunnableError
				if !errors.As(err, &nr) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Resolve: %v (%T), want a NotRunnableError with %q", err, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Language.Name != tc.lang || e.File != filepath.Join(d, tc.file) {
				t.Fatalf("got %s %s, want %s %s", e.Language.Name, e.File, tc.lang, tc.file)
			}
			if e.Language.IsLua() {
				return
			}
			c, err := tc.lab.Command(e, nil)
			if err != nil {
				t.Fatal(err)
			}
			var builds []string
			for _, b := range c.Build {
				builds = append(builds, strings.Join(b, " "))
			}
			if got := strings.Join(c.Run, " "); got != tc.run {
				t.Errorf("run %q, want %q", got, tc.run)
			}
			if got := strings.Join(builds, "; "); got != tc.build {
				t.Errorf("build %q, want %q", got, tc.build)
			}
			if !slices.Contains(c.Env, "WIRELAB_ARG_HOST=www.example.com") || !slices.Contains(c.Env, "WIRELAB_ARG_PORT=80") {
				t.Errorf("env %q lacks the lab's args", c.Env)
			}
		})
	}
	// A folder named on grade's command line is a submission by its names
	// only: hal (one client.py) could be a class of one.
	if _, ok, err := lab.ResolveFolder(filepath.Join(d, "hal")); ok || err != nil {
		t.Errorf("ResolveFolder(hal) = %v, %v; want not a submission", ok, err)
	}
	if e, ok, err := lab.ResolveFolder(filepath.Join(d, "ivy")); !ok || err != nil || e.Language.Name != "python" {
		t.Errorf("ResolveFolder(ivy) = %v, %v", ok, err)
	}
}

// TestTemplates: the lab's own build and run, with every placeholder.
func TestTemplates(t *testing.T) {
	lab := langLab(t, `[lua, {python: {run: [python3, -u, "{file}", "{arg.host}", "{arg.port}", "{args}", "{{x}}"]}}, {c: {build: [[cc, -o, "{name}", "{dir}/{file}"], [strip, "{name}"]], run: ["./{name}"]}}]`,
		`{host: www, port: 80, ports: [21, 22], opts: {a: 1}, on: true, rate: 0.5}`)
	d := t.TempDir()
	py := write(t, filepath.Join(d, "client.py"), "print(1)\n", 0o644)
	e, err := lab.Resolve(py)
	if err != nil {
		t.Fatal(err)
	}
	c, err := lab.Command(e, []string{"one", "two words"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"python3", "-u", "client.py", "www", "80", "one", "two words", "{x}"}; !slices.Equal(c.Run, want) {
		t.Errorf("run %q, want %q", c.Run, want)
	}
	wantEnv := []string{"PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1", "WIRELAB_ARG_HOST=www", "WIRELAB_ARG_ON=true", `WIRELAB_ARG_OPTS={"a":1}`, "WIRELAB_ARG_PORT=80", "WIRELAB_ARG_PORTS=[21,22]", "WIRELAB_ARG_RATE=0.5",
		`WIRELAB_ARGS={"host":"www","on":true,"opts":{"a":1},"port":80,"ports":[21,22],"rate":0.5}`}
	if !slices.Equal(c.Env, wantEnv) {
		t.Errorf("env\n%q, want\n%q", c.Env, wantEnv)
	}
	cf := write(t, filepath.Join(d, "sub", "server.c"), "int main(void){return 0;}\n", 0o644)
	e, err = lab.Resolve(cf)
	if err != nil {
		t.Fatal(err)
	}
	c, err = lab.Command(e, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Build; len(got) != 2 || strings.Join(got[0], " ") != "cc -o server /submission/server.c" || strings.Join(got[1], " ") != "strip server" {
		t.Errorf("build %q", got)
	}
	if !slices.Equal(c.Run, []string{"./server"}) {
		t.Errorf("run %q", c.Run)
	}
	if n := argEnvName("closed-port.2"); n != "CLOSED_PORT_2" {
		t.Errorf("ArgEnvName = %q", n)
	}
}

// TestLanguagesRegistry: every language has a docs line, and Lua alone runs
// in the worker.
func TestLanguagesRegistry(t *testing.T) {
	for _, g := range languages.order {
		if g.doc == "" || g.title == "" {
			t.Errorf("language %q lacks its doc or title", g.name)
		}
		if (g.run == nil && g.runFor == nil) != (g.name == LangLua) {
			t.Errorf("language %q: only Lua runs without a run template", g.name)
		}
	}
	r := &langRegistry{}
	if err := r.register(&pythonLang); err != nil {
		t.Fatal(err)
	}
	if err := r.register(&language{name: "py2", exts: []string{".py"}, run: []string{"python2"}}); err == nil {
		t.Error("a second language for .py was registered")
	}
}
