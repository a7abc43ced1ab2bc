package yamlx

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestDecoder decodes a small file with a problem in every key and checks
// each is reported at its line and column, sorted, with the way out.
func TestDecoder(t *testing.T) {
	src := "name: x\ntimout: 10s\nwait: 10\nsize: 64 parsecs\ncount: many\non: maybe\nlist: [a, {b: c}]\n"
	d := NewDecoder("f.yaml", []byte(src))
	root := d.Parse([]byte(src), "empty")
	if root == nil {
		t.Fatal(d.Errs)
	}
	for _, e := range d.Mapping(root, "the file", []string{"name", "timeout", "wait", "size", "count", "on", "list"}) {
		switch e.Key {
		case "wait":
			d.Duration(e.V, "wait")
		case "size":
			d.Size(e.V, "size")
		case "count":
			d.Integer(e.V, "count", 0, 10)
		case "on":
			d.Boolean(e.V, "on")
		case "list":
			d.StrList(e.V, "list")
		}
	}
	d.Errs.Sort()
	want := []string{
		`f.yaml:2:1: unknown key "timout" in the file (did you mean "timeout"?)`,
		`f.yaml:3:7: wait "10" needs a unit: write 10s (or ms, m)`,
		`f.yaml:4:7: size "64 parsecs" is not a size: write bytes or a number and a unit, like 64KiB, 256MiB or 1GB`,
		`f.yaml:5:8: count must be a whole number, not "many"`,
		`f.yaml:6:5: on must be true or false, not "maybe"`,
		`f.yaml:7:11: list must be a text, not a mapping`,
	}
	if got := d.Errs.Error(); got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

// TestParse checks the syntax errors a person makes most: a tab in the
// indentation is named at the tab, and an empty file says what to write.
func TestParse(t *testing.T) {
	for src, want := range map[string]string{
		"a:\n\tb: 1\n": "f.yaml:2:1: invalid YAML: a tab character in the indentation: indent with spaces, not tabs",
		"":             "f.yaml: write something",
		"a: [\n":       "f.yaml:1: invalid YAML: did not find expected node content",
		// the quoting mistake, named at its own line and column, not the
		// mapping's first line, with the line as it should be
		"checks:\n  - name: a\n    packet: tcp\n  - name: root\n    packet: \"http.request.uri == \"/\" && tcp\"\n": `f.yaml:5:35: invalid YAML: the quote before this column ends the quoted value, but the line goes on; a value holding quotes goes in single quotes, each ' in it doubled: packet: 'http.request.uri == "/" && tcp'`,
		"- packet: \"a\" == b\n":      `f.yaml:1:14: invalid YAML: the quote before this column ends the quoted value, but the line goes on; a value holding quotes goes in single quotes, each ' in it doubled: - packet: '"a" == b'`,
		"a: 1\nname: 'Bob's check'\n": `f.yaml:2:12: invalid YAML: the quote before this column ends the quoted value, but the line goes on; a value holding quotes goes in single quotes, each ' in it doubled: name: 'Bob''s check'`,
	} {
		d := NewDecoder("f.yaml", []byte(src))
		if d.Parse([]byte(src), "write something") != nil || d.Errs.Error() != want {
			t.Errorf("%q: %v, want %s", src, d.Errs, want)
		}
	}
}

// A value quoted as a whole, a quote inside, a comment after it: valid YAML,
// and no quoting mistake.
func TestQuotesThatAreRight(t *testing.T) {
	for _, src := range []string{
		"a: \"x == \\\"/\\\"\" # a comment\n",
		"a: 'it''s'\n",
		"a: 'http.request.uri == \"/\"'\n",
		"a: x \"y\" z\n",
	} {
		d := NewDecoder("f.yaml", []byte(src))
		if d.Parse([]byte(src), "write something") == nil {
			t.Errorf("%q: %v", src, d.Errs)
		}
		for i, l := range d.Lines {
			if col, _ := earlyQuoteLine(string(l)); col != 0 {
				t.Errorf("%q line %d: a quoting mistake at column %d", src, i+1, col)
			}
		}
	}
}

// TestOptional: a mapping or list that may be left out is returned through an
// alias, nothing at all for a missing key or an empty value, and any other
// value is one problem at its place saying what it must be.
func TestOptional(t *testing.T) {
	src := "m: &m {a: 1}\nalias: *m\nempty:\ntilde: ~\nlist: [1]\ntext: hello\n"
	d := NewDecoder("f.yaml", []byte(src))
	root := d.Parse([]byte(src), "empty")
	got := map[string]*yaml.Node{}
	for _, e := range d.Mapping(root, "the file", []string{"m", "alias", "empty", "tilde", "list", "text"}) {
		got[e.Key] = d.Optional(e.V, yaml.MappingNode, e.Key+" must map names to values")
	}
	if n := got["alias"]; n == nil || n.Kind != yaml.MappingNode || n != got["m"] {
		t.Errorf("alias: %v, want the mapping m", n)
	}
	for _, k := range []string{"empty", "tilde", "list", "text"} {
		if got[k] != nil {
			t.Errorf("%s: %v, want nil", k, got[k])
		}
	}
	if d.Optional(nil, yaml.SequenceNode, "missing must be a list") != nil {
		t.Error("a missing key: not nil")
	}
	want := "f.yaml:5:7: list must map names to values, not a list\n" +
		`f.yaml:6:7: text must map names to values, not "hello"`
	if d.Errs.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", d.Errs.Error(), want)
	}
}
