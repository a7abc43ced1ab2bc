package runner

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxLabSize bounds the lab file a loader reads.
const MaxLabSize = 1 << 20

// Load reads, validates and compiles the lab at path: a lab.yaml file, or a folder
// holding one. Every problem is reported at once, as an ErrorList sorted by
// position; an unreadable file is a plain error.
func Load(path string) (*Lab, error) {
	file := path
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		file = filepath.Join(path, "lab.yaml")
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			if _, err2 := os.Stat(filepath.Join(path, "lab.yml")); err2 == nil {
				file = filepath.Join(path, "lab.yml")
			}
		}
	}
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no lab at %q: %w", path, fs.ErrNotExist)
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxLabSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(data) > MaxLabSize {
		return nil, fmt.Errorf("%s: lab file is larger than %d bytes", file, MaxLabSize)
	}
	return Parse(file, data)
}

// Parse validates and compiles a lab file's bytes. path names the file in
// messages, and its folder is where relative paths resolve.
func Parse(path string, data []byte) (*Lab, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	sum := sha256.Sum256(data)
	d := &decoder{file: path, dir: dir, lines: bytes.Split(data, []byte("\n"))}
	lab := &Lab{Path: path, Dir: dir, SHA256: hex.EncodeToString(sum[:]), Version: 1, Timeout: DefaultTimeout}

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		d.errs = append(d.errs, yamlError(path, d.lines, err))
		return nil, d.errs
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		d.errs.Add(Pos{File: path}, "the lab file is empty: start with `lab: NAME` and a `checks:` list (see docs/lab-format.md)")
		return nil, d.errs
	}
	d.lab(doc.Content[0], lab)
	d.compile(lab)
	d.errs.Sort()
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return lab, nil
}

// yamlError turns a YAML syntax error ("yaml: line 3: did not find expected key")
// into a positioned Error.
func yamlError(path string, lines [][]byte, err error) *Error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	if strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token") {
		if ln, col := tabIndent(lines, line); ln > 0 {
			return &Error{Pos: Pos{File: path, Line: ln, Col: col}, Msg: "invalid YAML: a tab character in the indentation: indent with spaces, not tabs"}
		}
	}
	return &Error{Pos: Pos{File: path, Line: line}, Msg: "invalid YAML: " + msg}
}

// tabIndent finds the line whose indentation holds a tab, which YAML forbids:
// the first at or after line (the YAML parser names the line before the tab at
// times), else the first in the file. It returns the line and the tab's column,
// or 0, 0 when no line is indented with a tab.
func tabIndent(lines [][]byte, line int) (int, int) {
	find := func(from int) (int, int) {
		for i := max(from, 1); i <= len(lines); i++ {
			l := lines[i-1]
			indent := len(l) - len(bytes.TrimLeft(l, " \t"))
			if j := bytes.IndexByte(l[:indent], '\t'); j >= 0 && indent < len(bytes.TrimRight(l, "\r")) {
				return i, j + 1
			}
		}
		return 0, 0
	}
	if ln, col := find(line); ln > 0 {
		return ln, col
	}
	return find(1)
}

// decoder walks the YAML node tree of one lab file, collecting every problem.
type decoder struct {
	file   string
	dir    string
	lines  [][]byte
	errs   ErrorList
	budget int // nodes left for free-form values (args), against alias bombs

	luaFiles map[string]*luaChunk // lab Lua files parsed so far, by absolute path
}

func (d *decoder) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: d.file}
	}
	return Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.Add(d.pos(n), format, args...)
}

// resolve follows aliases (bounded: an alias of an alias ... ends).
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// kv is one known key of a mapping and its value.
type kv struct {
	key   string
	k, v  *yaml.Node
	index int
}

// mapping checks that n is a mapping whose keys are all in known and appear once,
// and returns its entries. what names the mapping in messages ("capture",
// `check "x"`).
func (d *decoder) mapping(n *yaml.Node, what string, known []string) []kv {
	n = resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		if isNull(n) {
			return nil
		}
		d.errorf(n, "%s must be a mapping of keys to values, not %s", what, describe(n))
		return nil
	}
	seen := map[string]*yaml.Node{}
	var out []kv
	pairs, own := mergedPairs(n)
	for i := 0; i+1 < len(pairs); i += 2 {
		k, v := resolve(pairs[i]), pairs[i+1]
		if k != nil && k.Tag == "!!merge" {
			d.errorf(k, "%s: a merge (<<) needs a mapping or a list of mappings, like <<: *defaults", what)
			continue
		}
		if k == nil || k.Kind != yaml.ScalarNode {
			d.errorf(pairs[i], "%s: a key must be a plain word, not %s", what, describe(k))
			continue
		}
		if _, dup := seen[k.Value]; dup && i >= own {
			continue // a merged key the mapping itself (or an earlier merge) sets
		}
		if prev, dup := seen[k.Value]; dup {
			d.errorf(k, "%s: key %q is repeated (first at line %d)", what, k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
		if !contains(known, k.Value) {
			d.unknownKey(k, what, known)
			continue
		}
		out = append(out, kv{key: k.Value, k: k, v: v, index: i / 2})
	}
	return out
}

// mergedPairs returns a mapping's key and value nodes with YAML merge keys
// (`<<: *defaults`) expanded: the mapping's own pairs first, then those of the
// merged mappings, so that own keys win.
func mergedPairs(n *yaml.Node) (pairs []*yaml.Node, own int) {
	var mine, merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k == nil || k.Tag != "!!merge" {
			mine = append(mine, n.Content[i], n.Content[i+1])
			continue
		}
		v := resolve(n.Content[i+1])
		var srcs []*yaml.Node
		switch {
		case v == nil:
		case v.Kind == yaml.MappingNode:
			srcs = []*yaml.Node{v}
		case v.Kind == yaml.SequenceNode:
			for _, c := range v.Content {
				if c = resolve(c); c != nil && c.Kind == yaml.MappingNode {
					srcs = append(srcs, c)
				}
			}
		}
		if len(srcs) == 0 {
			mine = append(mine, n.Content[i], n.Content[i+1])
		}
		for _, m := range srcs {
			for j := 0; j+1 < len(m.Content); j += 2 {
				if mk := resolve(m.Content[j]); mk != nil && mk.Tag != "!!merge" {
					merged = append(merged, m.Content[j], m.Content[j+1])
				}
			}
		}
	}
	return append(mine, merged...), len(mine)
}

func (d *decoder) unknownKey(k *yaml.Node, what string, known []string) {
	if s := nearest(k.Value, known); s != "" {
		d.errorf(k, "unknown key %q in %s (did you mean %q?)", k.Value, what, s)
		return
	}
	d.errorf(k, "unknown key %q in %s (known: %s)", k.Value, what, strings.Join(known, ", "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describe names what a node is, for "must be X, not Y" messages.
func describe(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if isNull(n) {
			return "empty"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:37] + "..."
		}
		return fmt.Sprintf("%q", v)
	}
	return "an empty document"
}

// str decodes a scalar string. Numbers and booleans written without quotes are
// accepted as their text: `banner: 220` means "220".
func (d *decoder) str(n *yaml.Node, what string) (string, bool) {
	n = resolve(n)
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s must be a text, not %s", what, describe(n))
		return "", false
	}
	if isNull(n) {
		return "", true
	}
	return n.Value, true
}

func (d *decoder) integer(n *yaml.Node, what string, min, max int64) (int64, bool) {
	n = resolve(n)
	if n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!str") {
		d.errorf(n, "%s must be a whole number, not %s", what, describe(n))
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil {
		d.errorf(n, "%s must be a whole number, not %q", what, n.Value)
		return 0, false
	}
	if v < min || v > max {
		d.errorf(n, "%s must be between %d and %d, not %d", what, min, max, v)
		return 0, false
	}
	return v, true
}

func (d *decoder) number(n *yaml.Node, what string) (float64, bool) {
	n = resolve(n)
	if n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		d.errorf(n, "%s must be a number, not %s", what, describe(n))
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || v != v || v > 1e9 || v < -1e9 {
		d.errorf(n, "%s must be a number, not %q", what, n.Value)
		return 0, false
	}
	return v, true
}

func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	n = resolve(n)
	if n == nil {
		return false, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b, true
		}
	}
	d.errorf(n, "%s must be true or false, not %s", what, describe(n))
	return false, false
}

// strings decodes one text or a list of texts.
func (d *decoder) strList(n *yaml.Node, what string) ([]string, bool) {
	n = resolve(n)
	if n == nil {
		return nil, false
	}
	if n.Kind == yaml.ScalarNode {
		s, ok := d.str(n, what)
		if !ok || isNull(n) {
			return nil, ok
		}
		return []string{s}, true
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a text or a list of texts, not %s", what, describe(n))
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	ok := true
	for _, c := range n.Content {
		s, good := d.str(c, what)
		ok = ok && good
		out = append(out, s)
	}
	return out, ok
}

// anyValue converts a free-form node (submission args) to Go values: maps,
// lists, strings, numbers, booleans, nil.
func (d *decoder) anyValue(n *yaml.Node, what string) any {
	d.budget--
	if d.budget < 0 {
		if d.budget == -1 {
			d.errorf(n, "%s is too large (more than 10000 values)", what)
		}
		return nil
	}
	n = resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolve(n.Content[i])
			if k == nil || k.Kind != yaml.ScalarNode {
				d.errorf(n.Content[i], "%s: a key must be a plain word, not %s", what, describe(k))
				continue
			}
			m[k.Value] = d.anyValue(n.Content[i+1], what)
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			l = append(l, d.anyValue(c, what))
		}
		return l
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return n.Value
		}
		return v
	}
	return nil
}

// nearest returns the known word closest to s when it is close enough to be a
// likely typo, else "".
func nearest(s string, known []string) string {
	best, bestD := "", 1<<30
	for _, k := range known {
		if dist := levenshtein(s, k); dist < bestD {
			best, bestD = k, dist
		}
	}
	limit := max(2, len(s)/3)
	if bestD <= limit || (best != "" && (strings.HasPrefix(best, s) || strings.HasPrefix(s, best)) && len(s) >= 3) {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
