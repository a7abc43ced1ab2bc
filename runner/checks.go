package runner

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
	"go.yaml.in/yaml/v3"
)

func (d *decoder) checks(n *yaml.Node, lab *Lab) {
	n = yamlx.Resolve(n)
	if n == nil || yamlx.IsNull(n) {
		d.Errorf(n, "checks is empty: list at least one check (see docs/lab-format.md)")
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, "checks must be a list (each entry starting with `- name:`), not %s", yamlx.Describe(n))
		return
	}
	if len(n.Content) == 0 {
		d.Errorf(n, "checks is empty: list at least one check (see docs/lab-format.md)")
	}
	if len(n.Content) > maxChecks {
		d.Errorf(n, "%d checks are more than the %d a lab may have", len(n.Content), maxChecks)
		return
	}
	for i, cn := range n.Content {
		if c, ok := d.check(cn, i, lab); ok {
			lab.Checks = append(lab.Checks, c)
		}
	}
}

func (d *decoder) check(n *yaml.Node, i int, lab *Lab) (Check, bool) {
	c := Check{Points: DefaultPoints, Visibility: result.Visible, Min: 1, Max: -1}
	n = yamlx.Resolve(n)
	what := fmt.Sprintf("check %d", i+1)
	if name := peekName(n); name != "" {
		what = fmt.Sprintf("check %q", name)
	}
	entries := d.Mapping(n, what, checkKeys)
	if n == nil || n.Kind != yaml.MappingNode {
		return c, false
	}
	c.Pos = d.Pos(n)
	for _, e := range entries {
		if e.Key == "name" {
			c.Name, _ = d.Str(e.V, what+" name")
		}
	}
	if strings.TrimSpace(c.Name) == "" {
		d.Errorf(n, "%s has no name: add `name: ...` (names must be unique)", what)
	}
	var kindEntry *yamlx.Entry
	for j, e := range entries {
		if !slices.Contains(CheckKinds, e.Key) {
			continue
		}
		if kindEntry != nil {
			d.Errorf(e.K, "%s has two kinds, %q and %q: a check tests one thing, split it in two", what, kindEntry.Key, e.Key)
			continue
		}
		kindEntry = &entries[j]
	}
	if kindEntry == nil {
		d.Errorf(n, "%s has no kind: add one of %s", what, strings.Join(CheckKinds, ", "))
		return c, true
	}
	c.Kind = kindEntry.Key
	for _, e := range entries {
		if k, ok := checkExtraKeys[e.Key]; ok && k != c.Kind {
			d.Errorf(e.K, "%s: %q belongs to %s checks, not to %s checks", what, e.Key, k, c.Kind)
			continue
		}
		switch e.Key {
		case "points":
			if v, ok := d.Number(e.V, what+" points"); ok {
				if v < 0 {
					d.Errorf(e.V, "%s: points must not be negative", what)
				}
				c.Points = v
			}
		case "hint":
			c.Hint, _ = d.Str(e.V, what+" hint")
		case "visibility":
			if s, ok := d.Str(e.V, what+" visibility"); ok {
				v := result.Visibility(s)
				found := false
				for _, k := range visibilities {
					found = found || k == v
				}
				if !found {
					names := make([]string, len(visibilities))
					for i, k := range visibilities {
						names[i] = string(k)
					}
					d.Errorf(e.V, "%s: unknown visibility %q (known: %s)", what, s, strings.Join(names, ", "))
				}
				c.Visibility = v
			}
		case "requires":
			if l, ok := d.StrList(e.V, what+" requires"); ok {
				c.Requires = l
				c.requireNodes = requireNodes(e.V)
			}
		case KindPacket, KindNone:
			if s, ok := d.Str(e.V, what+" filter"); ok {
				if strings.TrimSpace(s) == "" {
					d.Errorf(e.V, "%s: the %s filter is empty", what, e.Key)
					continue
				}
				c.Filter = s
				c.match = d.filter(e.V, s, what+" filter", false)
			}
		case "count":
			if v, ok := d.Integer(e.V, what+" count", 0, 1<<30); ok {
				c.Min, c.Max = int(v), int(v)
				c.countSet = true
			}
		case "min":
			if v, ok := d.Integer(e.V, what+" min", 0, 1<<30); ok {
				c.Min = int(v)
				c.minSet = true
			}
		case "max":
			if v, ok := d.Integer(e.V, what+" max", 0, 1<<30); ok {
				c.Max = int(v)
				c.maxSet = true
			}
		case KindSequence:
			d.steps(e.V, what, &c)
		case "within":
			c.Within, _ = d.Duration(e.V, what+" within")
		case "same_stream":
			if b, ok := d.Boolean(e.V, what+" same_stream"); ok {
				c.sameStreamSet = &b
				c.sameStreamNode = e.K
			}
		case KindOutput:
			c.Output = d.output(e.V, what, &c)
		case KindExit:
			v := yamlx.Resolve(e.V)
			if v == nil || yamlx.IsNull(v) {
				c.Exit = "ok"
				continue
			}
			if s, ok := d.Str(e.V, what+" exit"); ok {
				if s == "" {
					s = "ok"
				}
				c.Exit = s
			}
		case KindLua:
			if s, ok := d.Str(e.V, what+" lua"); ok {
				// FILE:FUNCTION; the last colon splits, so a file name may hold one.
				i := strings.LastIndex(s, ":")
				file, fn := "", ""
				if i >= 0 {
					file, fn = s[:i], s[i+1:]
				}
				if file == "" || !luaName.MatchString(fn) {
					d.Errorf(e.V, "%s: lua %q must be FILE:FUNCTION, like checks.lua:status_code", what, s)
					continue
				}
				c.LuaFunc = fn
				tmp := *yamlx.Resolve(e.V)
				tmp.Value = file
				if p, ok := d.labPath(&tmp, what+" lua file"); ok {
					c.LuaFile = p
					if chunk, ok := d.luaCompiles(e.V, what+" lua file", file, p); ok {
						found, defined, dynamic := luaDefines(chunk.stmts, fn)
						if !found && !dynamic {
							list := "it defines no global function"
							if len(defined) > 0 {
								list = "it defines: " + strings.Join(defined, ", ")
							}
							d.Errorf(e.V, "%s: %s defines no function %q (%s)", what, file, fn, list)
						}
					}
				}
			}
		}
	}
	if c.countSet && (c.minSet || c.maxSet) {
		d.Errorf(n, "%s: give either count or min/max, not both", what)
	}
	if c.maxSet && c.Max < c.Min {
		d.Errorf(n, "%s: max %d is below min %d", what, c.Max, c.Min)
	}
	if c.maxSet && !c.minSet && !c.countSet {
		c.Min = 0 // `max: 3` alone means "at most three"
	}
	return c, true
}

// peekName returns the scalar under a mapping's name key, for messages about
// the mapping's other keys.
func peekName(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := yamlx.Resolve(n.Content[i]), yamlx.Resolve(n.Content[i+1]); k != nil && v != nil && k.Value == "name" && v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	return ""
}

// Bounds on what one lab may declare, so a hostile file cannot make loading slow.
const (
	maxChecks   = 1000
	maxSteps    = 100
	maxServices = 100
	maxHosts    = 1000
)

var luaName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func requireNodes(n *yaml.Node) []*yaml.Node {
	n = yamlx.Resolve(n)
	if n.Kind == yaml.SequenceNode {
		return n.Content
	}
	return []*yaml.Node{n}
}

func (d *decoder) steps(n *yaml.Node, what string, c *Check) {
	n = yamlx.Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.Errorf(n, "%s: sequence must be a list of steps (filters, or {match: FILTER, within: DURATION}), not %s", what, yamlx.Describe(n))
		return
	}
	if len(n.Content) > maxSteps {
		d.Errorf(n, "%s: %d steps are more than the %d a sequence may have", what, len(n.Content), maxSteps)
		return
	}
	for i, sn := range n.Content {
		sw := fmt.Sprintf("%s step %d", what, i+1)
		sn = yamlx.Resolve(sn)
		var st Step
		var fnode *yaml.Node
		switch {
		case sn != nil && sn.Kind == yaml.ScalarNode && !yamlx.IsNull(sn):
			st.Filter, fnode = sn.Value, sn
		case sn != nil && sn.Kind == yaml.MappingNode:
			for _, e := range d.Mapping(sn, sw, stepKeys) {
				switch e.Key {
				case "match":
					if s, ok := d.Str(e.V, sw+" match"); ok {
						st.Filter, fnode = s, yamlx.Resolve(e.V)
					}
				case "within":
					st.Within, _ = d.Duration(e.V, sw+" within")
				case "name":
					st.Name, _ = d.Str(e.V, sw+" name")
				case "hint":
					st.Hint, _ = d.Str(e.V, sw+" hint")
				}
			}
			if fnode == nil {
				d.Errorf(sn, "%s has no filter: add `match: FILTER`", sw)
			}
		default:
			d.Errorf(sn, "%s must be a filter or {match: FILTER, within: DURATION}, not %s", sw, yamlx.Describe(sn))
		}
		if fnode != nil {
			if strings.TrimSpace(st.Filter) == "" {
				d.Errorf(fnode, "%s: the filter is empty", sw)
			} else {
				st.match = d.filter(fnode, st.Filter, sw, false)
			}
		}
		st.node = fnode
		c.Steps = append(c.Steps, st)
	}
}

func (d *decoder) output(n *yaml.Node, what string, c *Check) *OutputCheck {
	o := &OutputCheck{}
	v := yamlx.Resolve(n)
	if v != nil && v.Kind == yaml.ScalarNode && !yamlx.IsNull(v) {
		// `output: "200 OK"` is short for {contains: "200 OK"}.
		o.Contains = []string{v.Value}
		return o
	}
	entries := d.Mapping(n, what+" output", outputKeys)
	if len(entries) == 0 {
		d.Errorf(n, "%s: output needs a condition: one of %s", what, strings.Join(outputKeys[:5], ", "))
		return o
	}
	for _, e := range entries {
		switch e.Key {
		case "contains":
			o.Contains, _ = d.StrList(e.V, what+" contains")
		case "not_contains":
			o.NotContains, _ = d.StrList(e.V, what+" not_contains")
		case "matches":
			if s, ok := d.Str(e.V, what+" matches"); ok {
				re, err := regexp.Compile(s)
				if err != nil {
					d.Errorf(e.V, "%s: matches %q is not a regular expression: %v", what, s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
					continue
				}
				o.Matches, c.outMatches = s, re
			}
		case "equals":
			if s, ok := d.Str(e.V, what+" equals"); ok {
				o.Equals = &s
			}
		case "lines":
			o.Lines, _ = d.StrList(e.V, what+" lines")
		case "ordered":
			o.Ordered, _ = d.Boolean(e.V, what+" ordered")
		}
	}
	if o.Ordered && len(o.Lines) == 0 {
		d.Errorf(n, "%s: ordered applies to lines: add `lines: [...]`", what)
	}
	return o
}
