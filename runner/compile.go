package runner

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

// filter compiles a filter written at node n and reports its error with the
// position of the column at fault inside the YAML scalar, and the filter with a
// caret under it.
func (d *decoder) filter(n *yaml.Node, expr, what string, captureSyntax bool) *filter.Filter {
	compile := capture.Compile
	if captureSyntax {
		compile = capture.CompileCapture
	}
	m, err := compile(expr)
	if err == nil {
		return m
	}
	var fe *filter.Error
	if !errors.As(err, &fe) {
		d.Errorf(n, "%s %q: %v", what, expr, err)
		return nil
	}
	line, col := scalarPos(n, d.Lines, fe.Offset)
	d.Errs.Add(Pos{File: d.File, Line: line, Col: col}, "%s: %s\n%s", what, fe.Msg, fe.Underline("\t"))
	return nil
}

// scalarPos maps a byte offset in a scalar's value to the line and column of the
// source character that produced it. It follows plain, single-quoted and
// double-quoted scalars on one line; for anything else it returns where the
// scalar starts.
func scalarPos(n *yaml.Node, lines [][]byte, off int) (int, int) {
	if n.Line < 1 || n.Line > len(lines) || off < 0 {
		return n.Line, n.Column
	}
	src := string(lines[n.Line-1])
	// Columns count characters; find the byte where the scalar starts.
	start := byteIndexOfColumn(src, n.Column)
	if start < 0 {
		return n.Line, n.Column
	}
	switch n.Style {
	case 0, yaml.FlowStyle:
		if strings.Contains(n.Value, "\n") {
			return n.Line, n.Column
		}
		return n.Line, n.Column + utf8.RuneCountInString(n.Value[:min(off, len(n.Value))])
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		q := src[start]
		i, produced := start+1, 0
		for i < len(src) && produced < off {
			c := src[i]
			switch {
			case q == '\'' && c == '\'' && i+1 < len(src) && src[i+1] == '\'':
				i += 2
				produced++
			case q == '"' && c == '\\' && i+1 < len(src):
				i += 2
				produced++ // an escape yields one character (close enough for a caret)
			case c == q:
				return n.Line, n.Column
			default:
				i++
				produced++
			}
		}
		return n.Line, n.Column + utf8.RuneCountInString(src[start:i])
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The value starts on the next line, indented.
		before := n.Value[:min(off, len(n.Value))]
		ln := n.Line + 1 + strings.Count(before, "\n")
		if ln > len(lines) {
			return n.Line, n.Column
		}
		if n.Style == yaml.FoldedStyle {
			return n.Line, n.Column
		}
		text := string(lines[ln-1])
		indent := len(text) - len(strings.TrimLeft(text, " "))
		col := before
		if i := strings.LastIndexByte(before, '\n'); i >= 0 {
			col = before[i+1:]
		}
		return ln, indent + 1 + utf8.RuneCountInString(col)
	}
	return n.Line, n.Column
}

func byteIndexOfColumn(s string, col int) int {
	c := 1
	for i := range s {
		if c == col {
			return i
		}
		c++
	}
	return -1
}

// compile resolves what refers across the file: requires, unique names,
// same_stream, and sequence defaults. It runs after decoding succeeded.
func (d *decoder) compile(lab *Lab) {
	index := map[string]int{}
	for i := range lab.Checks {
		c := &lab.Checks[i]
		if prev, dup := index[c.Name]; dup {
			d.Errs.Add(c.Pos, "check name %q is repeated (first at line %d): names must be unique", c.Name, lab.Checks[prev].Pos.Line)
			continue
		}
		index[c.Name] = i
	}
	names := make([]string, 0, len(lab.Checks))
	for _, c := range lab.Checks {
		names = append(names, c.Name)
	}
	for i := range lab.Checks {
		c := &lab.Checks[i]
		for j, r := range c.Requires {
			at := c.Pos
			if j < len(c.requireNodes) {
				at = d.Pos(c.requireNodes[j])
			}
			k, ok := index[r]
			switch {
			case !ok:
				if s := yamlx.Nearest(r, names); s != "" {
					d.Errs.Add(at, "check %q requires %q, which is not a check (did you mean %q?)", c.Name, r, s)
				} else {
					d.Errs.Add(at, "check %q requires %q, which is not a check in this lab", c.Name, r)
				}
			case k == i:
				d.Errs.Add(at, "check %q requires itself", c.Name)
			default:
				c.requires = append(c.requires, k)
			}
		}
		if k, ok := checkKinds.kind(c.Kind); ok && k.compile != nil {
			k.compile(d, c)
		}
	}
	// Cycles: a check that (transitively) requires itself would never run.
	state := make([]int, len(lab.Checks)) // 0 new, 1 on the path, 2 done
	var path []int
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = 1
		path = append(path, i)
		for _, k := range lab.Checks[i].requires {
			if state[k] == 1 {
				var cyc []string
				for p := len(path) - 1; p >= 0; p-- {
					cyc = append([]string{fmt.Sprintf("%q", lab.Checks[path[p]].Name)}, cyc...)
					if path[p] == k {
						break
					}
				}
				cyc = append(cyc, fmt.Sprintf("%q", lab.Checks[k].Name))
				d.Errs.Add(lab.Checks[k].Pos, "checks require each other in a cycle: %s", strings.Join(cyc, " → "))
				return true
			}
			if state[k] == 0 && visit(k) {
				return true
			}
		}
		path = path[:len(path)-1]
		state[i] = 2
		return false
	}
	for i := range lab.Checks {
		if state[i] == 0 {
			path = path[:0]
			visit(i)
		}
	}
	for i := range lab.Checks {
		c := &lab.Checks[i]
		c.requireNodes, c.sameStreamNode = nil, nil
		for j := range c.Steps {
			c.Steps[j].node = nil
		}
	}
}

// stepProto returns "tcp" or "udp" when the filter names a field of that
// protocol (and not of the other), else "". HTTP fields count as TCP: every
// HTTP packet has a tcp.stream.
