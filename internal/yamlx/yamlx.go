// Package yamlx decodes YAML files strictly for a person: every problem is an
// Error at a line and column, collected into an ErrorList rather than stopping at
// the first; a mapping's keys are checked against the known ones (with a "did
// you mean"); scalars decode to texts, numbers, booleans, durations and sizes
// with messages that say what was expected. The lab loader (runner) is built on
// it.
package yamlx

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/suggest"
)

// maxValues bounds the values of free-form nodes (Any) one Decoder converts,
// against alias bombs.
const maxValues = 10000

// Decoder walks the node tree of one YAML file, collecting every problem in
// Errs.
type Decoder struct {
	File   string   // the file as named in messages
	Lines  [][]byte // its lines, for positions inside scalars
	Errs   ErrorList
	Budget int // values Any may still convert
}

// NewDecoder starts decoding the file named file whose bytes are data.
func NewDecoder(file string, data []byte) *Decoder {
	return &Decoder{File: file, Lines: bytes.Split(data, []byte("\n")), Budget: maxValues}
}

// Parse parses the file into its document node. A syntax error is added to
// Errs (at its line, with the way out for a tab in the indentation) and Parse
// returns nil; so does an empty file, with a message built by empty.
func (d *Decoder) Parse(data []byte, empty string) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		d.Errs = append(d.Errs, syntaxError(d.File, d.Lines, err))
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		d.Errs.Add(Pos{File: d.File}, "%s", empty)
		return nil
	}
	return doc.Content[0]
}

// syntaxError turns a YAML syntax error ("yaml: line 3: did not find expected key")
// into a positioned Error.
func syntaxError(path string, lines [][]byte, err error) *Error {
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
	if ln, col, fix := earlyQuote(lines, line); ln > 0 {
		return &Error{Pos: Pos{File: path, Line: ln, Col: col}, Msg: "invalid YAML: the quote before this column ends the quoted value, but the line goes on; a value holding quotes goes in single quotes, each ' in it doubled: " + strings.TrimLeft(fix, " ")}
	}
	return &Error{Pos: Pos{File: path, Line: line}, Msg: "invalid YAML: " + msg}
}

// earlyQuote finds the quoting mistake the docs warn about: a block value
// that opens with a quote which closes before the line's text does
// (`packet: "http.request.uri == "/""`). The YAML parser names the line
// its mapping starts on, often lines earlier, and says only "did not find
// expected key". It returns the first such line at or after line (else in
// the file), the column just after the closing quote, and the line as it
// should be written; 0 when no line has the mistake.
func earlyQuote(lines [][]byte, line int) (int, int, string) {
	find := func(from int) (int, int, string) {
		for i := max(from, 1); i <= len(lines); i++ {
			if col, fix := earlyQuoteLine(string(bytes.TrimRight(lines[i-1], "\r"))); col > 0 {
				return i, col, fix
			}
		}
		return 0, 0, ""
	}
	if ln, col, fix := find(line); ln > 0 {
		return ln, col, fix
	}
	return find(1)
}

// earlyQuoteLine looks at one line `[- ]key: "value" more`: the column after
// the value's closing quote when text other than a comment follows it, and
// the line with the whole rest in single quotes.
func earlyQuoteLine(l string) (int, string) {
	i := len(l) - len(strings.TrimLeft(l, " "))
	if strings.HasPrefix(l[i:], "- ") {
		i += 2
		i += len(l[i:]) - len(strings.TrimLeft(l[i:], " "))
	}
	colon := strings.Index(l[i:], ": ")
	if colon <= 0 || strings.ContainsAny(l[i:i+colon], "\"'{}[],#") {
		return 0, ""
	}
	v := i + colon + 2
	v += len(l[v:]) - len(strings.TrimLeft(l[v:], " "))
	if v >= len(l) || (l[v] != '"' && l[v] != '\'') {
		return 0, ""
	}
	q, end := l[v], -1
	for j := v + 1; j < len(l); j++ {
		if q == '"' && l[j] == '\\' {
			j++
			continue
		}
		if l[j] == q {
			if q == '\'' && j+1 < len(l) && l[j+1] == '\'' {
				j++ // '' is a quote inside single quotes
				continue
			}
			end = j
			break
		}
	}
	if end < 0 {
		return 0, ""
	}
	rest := strings.TrimSpace(l[end+1:])
	if rest == "" || rest[0] == '#' {
		return 0, ""
	}
	text := strings.TrimRight(l[v:], " ")
	if len(text) >= 2 && text[len(text)-1] == q {
		text = text[1 : len(text)-1] // the quotes meant to hold it all
	}
	return end + 2, l[:v] + "'" + strings.ReplaceAll(text, "'", "''") + "'"
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

// Pos is where n starts; the whole file for nil.
func (d *Decoder) Pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: d.File}
	}
	return Pos{File: d.File, Line: n.Line, Col: n.Column}
}

// Errorf adds a problem at n.
func (d *Decoder) Errorf(n *yaml.Node, format string, args ...any) {
	d.Errs.Add(d.Pos(n), format, args...)
}

// Resolve follows aliases (bounded: an alias of an alias ... ends).
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// Entry is one known key of a mapping and its value.
type Entry struct {
	Key   string
	K, V  *yaml.Node // the key's node and the value's
	Index int        // the pair's place in the mapping
}

// Mapping checks that n is a mapping whose keys are all in known and appear once,
// and returns its entries. what names the mapping in messages ("capture",
// `check "x"`).
func (d *Decoder) Mapping(n *yaml.Node, what string, known []string) []Entry {
	n = Resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		if IsNull(n) {
			return nil
		}
		d.Errorf(n, "%s must be a mapping of keys to values, not %s", what, Describe(n))
		return nil
	}
	seen := map[string]*yaml.Node{}
	var out []Entry
	pairs, own := mergedPairs(n)
	for i := 0; i+1 < len(pairs); i += 2 {
		k, v := Resolve(pairs[i]), pairs[i+1]
		if k != nil && k.Tag == "!!merge" {
			d.Errorf(k, "%s: a merge (<<) needs a mapping or a list of mappings, like <<: *defaults", what)
			continue
		}
		if k == nil || k.Kind != yaml.ScalarNode {
			d.Errorf(pairs[i], "%s: a key must be a plain word, not %s", what, Describe(k))
			continue
		}
		if _, dup := seen[k.Value]; dup && i >= own {
			continue // a merged key the mapping itself (or an earlier merge) sets
		}
		if prev, dup := seen[k.Value]; dup {
			d.Errorf(k, "%s: key %q is repeated (first at line %d)", what, k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
		if !slices.Contains(known, k.Value) {
			d.UnknownKey(k, what, known)
			continue
		}
		out = append(out, Entry{Key: k.Value, K: k, V: v, Index: i / 2})
	}
	return out
}

// mergedPairs returns a mapping's key and value nodes with YAML merge keys
// (`<<: *defaults`) expanded: the mapping's own pairs first, then those of the
// merged mappings, so that own keys win.
func mergedPairs(n *yaml.Node) (pairs []*yaml.Node, own int) {
	var mine, merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := Resolve(n.Content[i])
		if k == nil || k.Tag != "!!merge" {
			mine = append(mine, n.Content[i], n.Content[i+1])
			continue
		}
		v := Resolve(n.Content[i+1])
		var srcs []*yaml.Node
		switch {
		case v == nil:
		case v.Kind == yaml.MappingNode:
			srcs = []*yaml.Node{v}
		case v.Kind == yaml.SequenceNode:
			for _, c := range v.Content {
				if c = Resolve(c); c != nil && c.Kind == yaml.MappingNode {
					srcs = append(srcs, c)
				}
			}
		}
		if len(srcs) == 0 {
			mine = append(mine, n.Content[i], n.Content[i+1])
		}
		for _, m := range srcs {
			for j := 0; j+1 < len(m.Content); j += 2 {
				if mk := Resolve(m.Content[j]); mk != nil && mk.Tag != "!!merge" {
					merged = append(merged, m.Content[j], m.Content[j+1])
				}
			}
		}
	}
	return append(mine, merged...), len(mine)
}

// UnknownKey reports k, a key not in known, naming the known key it is
// likely a typo of, or else listing them all.
func (d *Decoder) UnknownKey(k *yaml.Node, what string, known []string) {
	if s := Nearest(k.Value, known); s != "" {
		d.Errorf(k, "unknown key %q in %s (did you mean %q?)", k.Value, what, s)
		return
	}
	d.Errorf(k, "unknown key %q in %s (known: %s)", k.Value, what, strings.Join(known, ", "))
}

// IsNull reports whether n is an empty value (~, null or nothing).
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// Optional resolves n, the value of a key that may be left empty, and
// returns it when it is of kind (yaml.MappingNode or yaml.SequenceNode); nil,
// saying nothing, when there is no value (a missing key, ~, null or nothing);
// and nil, with the problem "MUST, not WHAT IT IS" at n, for any other value.
// must names the key and says what its value must be: "routes must map paths
// to answers (like `/: {status: 200}`)".
func (d *Decoder) Optional(n *yaml.Node, kind yaml.Kind, must string) *yaml.Node {
	n = Resolve(n)
	if n == nil || IsNull(n) {
		return nil
	}
	if n.Kind != kind {
		d.Errorf(n, "%s, not %s", must, Describe(n))
		return nil
	}
	return n
}

// Describe names what a node is, for "must be X, not Y" messages.
func Describe(n *yaml.Node) string {
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
		if IsNull(n) {
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

// Str decodes a scalar string. Numbers and booleans written without quotes are
// accepted as their text: `banner: 220` means "220".
func (d *Decoder) Str(n *yaml.Node, what string) (string, bool) {
	n = Resolve(n)
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		d.Errorf(n, "%s must be a text, not %s", what, Describe(n))
		return "", false
	}
	if IsNull(n) {
		return "", true
	}
	return n.Value, true
}

// Integer decodes a whole number in [min, max].
func (d *Decoder) Integer(n *yaml.Node, what string, min, max int64) (int64, bool) {
	n = Resolve(n)
	if n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!str") {
		d.Errorf(n, "%s must be a whole number, not %s", what, Describe(n))
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil {
		d.Errorf(n, "%s must be a whole number, not %q", what, n.Value)
		return 0, false
	}
	if v < min || v > max {
		d.Errorf(n, "%s must be between %d and %d, not %d", what, min, max, v)
		return 0, false
	}
	return v, true
}

// Number decodes a number.
func (d *Decoder) Number(n *yaml.Node, what string) (float64, bool) {
	n = Resolve(n)
	if n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		d.Errorf(n, "%s must be a number, not %s", what, Describe(n))
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || v != v || v > 1e9 || v < -1e9 {
		d.Errorf(n, "%s must be a number, not %q", what, n.Value)
		return 0, false
	}
	return v, true
}

// Boolean decodes true or false.
func (d *Decoder) Boolean(n *yaml.Node, what string) (bool, bool) {
	n = Resolve(n)
	if n == nil {
		return false, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b, true
		}
	}
	d.Errorf(n, "%s must be true or false, not %s", what, Describe(n))
	return false, false
}

// StrList decodes one text or a list of texts.
func (d *Decoder) StrList(n *yaml.Node, what string) ([]string, bool) {
	n = Resolve(n)
	if n == nil {
		return nil, false
	}
	if n.Kind == yaml.ScalarNode {
		s, ok := d.Str(n, what)
		if !ok || IsNull(n) {
			return nil, ok
		}
		return []string{s}, true
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, "%s must be a text or a list of texts, not %s", what, Describe(n))
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	ok := true
	for _, c := range n.Content {
		s, good := d.Str(c, what)
		ok = ok && good
		out = append(out, s)
	}
	return out, ok
}

// Any converts a free-form node (submission args) to Go values: maps,
// lists, strings, numbers, booleans, nil.
func (d *Decoder) Any(n *yaml.Node, what string) any {
	d.Budget--
	if d.Budget < 0 {
		if d.Budget == -1 {
			d.Errorf(n, "%s is too large (more than %d values)", what, maxValues)
		}
		return nil
	}
	n = Resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := Resolve(n.Content[i])
			if k == nil || k.Kind != yaml.ScalarNode {
				d.Errorf(n.Content[i], "%s: a key must be a plain word, not %s", what, Describe(k))
				continue
			}
			m[k.Value] = d.Any(n.Content[i+1], what)
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			l = append(l, d.Any(c, what))
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

// Duration decodes Go duration syntax: 10s, 500ms, 1m30s.
func (d *Decoder) Duration(n *yaml.Node, what string) (time.Duration, bool) {
	s, ok := d.Str(n, what)
	if !ok {
		return 0, false
	}
	t, err := time.ParseDuration(s)
	if err != nil {
		if _, nerr := strconv.ParseFloat(s, 64); nerr == nil {
			d.Errorf(n, "%s %q needs a unit: write %ss (or ms, m)", what, s, s)
		} else {
			d.Errorf(n, "%s %q is not a duration: write a number and a unit, like 10s, 500ms or 1m", what, s)
		}
		return 0, false
	}
	if t < 0 {
		d.Errorf(n, "%s %q must not be negative", what, s)
		return 0, false
	}
	return t, true
}

var sizeUnits = []struct {
	suffix string
	mul    int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1},
}

// Size decodes a byte count: 65536, 64KB, 64KiB, 256MiB, 1GB.
func (d *Decoder) Size(n *yaml.Node, what string) (int64, bool) {
	s, ok := d.Str(n, what)
	if !ok {
		return 0, false
	}
	v, err := parseSize(s)
	if err != nil {
		d.Errorf(n, "%s %q is not a size: write bytes or a number and a unit, like 64KiB, 256MiB or 1GB", what, s)
		return 0, false
	}
	return v, true
}

// parseSize parses a byte count: 65536, 64KB, 64KiB, 256MiB, 1GB.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mul := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mul = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mul
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f*float64(mul) > 1<<50 || t == "" || !unicode.IsDigit(rune(t[0])) {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(f * float64(mul)), nil
}

// Nearest returns the known word closest to s when it is close enough to be a
// likely typo of a key (at most a third of its letters, or a prefix), else "".
func Nearest(s string, known []string) string {
	best, bestD := suggest.Closest(s, known)
	limit := max(2, len(s)/3)
	if bestD <= limit || (best != "" && (strings.HasPrefix(best, s) || strings.HasPrefix(s, best)) && len(s) >= 3) {
		return best
	}
	return ""
}
