package runner

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/wirelab-dev/wirelab/runner/result"
	"go.yaml.in/yaml/v3"
)

func (d *decoder) checks(n *yaml.Node, lab *Lab) {
	n = resolve(n)
	if n == nil || isNull(n) {
		d.errorf(n, "checks is empty: list at least one check (see docs/lab-format.md)")
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "checks must be a list (each entry starting with `- name:`), not %s", describe(n))
		return
	}
	if len(n.Content) == 0 {
		d.errorf(n, "checks is empty: list at least one check (see docs/lab-format.md)")
	}
	if len(n.Content) > maxChecks {
		d.errorf(n, "%d checks are more than the %d a lab may have", len(n.Content), maxChecks)
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
	n = resolve(n)
	what := fmt.Sprintf("check %d", i+1)
	if name := peekName(n); name != "" {
		what = fmt.Sprintf("check %q", name)
	}
	entries := d.mapping(n, what, checkKeys)
	if n == nil || n.Kind != yaml.MappingNode {
		return c, false
	}
	c.Pos = d.pos(n)
	for _, e := range entries {
		if e.key == "name" {
			c.Name, _ = d.str(e.v, what+" name")
		}
	}
	if strings.TrimSpace(c.Name) == "" {
		d.errorf(n, "%s has no name: add `name: ...` (names must be unique)", what)
	}
	var kindEntry *kv
	for j, e := range entries {
		if !contains(CheckKinds, e.key) {
			continue
		}
		if kindEntry != nil {
			d.errorf(e.k, "%s has two kinds, %q and %q: a check tests one thing, split it in two", what, kindEntry.key, e.key)
			continue
		}
		kindEntry = &entries[j]
	}
	if kindEntry == nil {
		d.errorf(n, "%s has no kind: add one of %s", what, strings.Join(CheckKinds, ", "))
		return c, true
	}
	c.Kind = kindEntry.key
	for _, e := range entries {
		if k, ok := checkExtraKeys[e.key]; ok && k != c.Kind {
			d.errorf(e.k, "%s: %q belongs to %s checks, not to %s checks", what, e.key, k, c.Kind)
			continue
		}
		switch e.key {
		case "points":
			if v, ok := d.number(e.v, what+" points"); ok {
				if v < 0 {
					d.errorf(e.v, "%s: points must not be negative", what)
				}
				c.Points = v
			}
		case "hint":
			c.Hint, _ = d.str(e.v, what+" hint")
		case "visibility":
			if s, ok := d.str(e.v, what+" visibility"); ok {
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
					d.errorf(e.v, "%s: unknown visibility %q (known: %s)", what, s, strings.Join(names, ", "))
				}
				c.Visibility = v
			}
		case "requires":
			if l, ok := d.strList(e.v, what+" requires"); ok {
				c.Requires = l
				c.requireNodes = requireNodes(e.v)
			}
		case KindPacket, KindNone:
			if s, ok := d.str(e.v, what+" filter"); ok {
				if strings.TrimSpace(s) == "" {
					d.errorf(e.v, "%s: the %s filter is empty", what, e.key)
					continue
				}
				c.Filter = s
				c.match = d.filter(e.v, s, what+" filter", false)
			}
		case "count":
			if v, ok := d.integer(e.v, what+" count", 0, 1<<30); ok {
				c.Min, c.Max = int(v), int(v)
				c.countSet = true
			}
		case "min":
			if v, ok := d.integer(e.v, what+" min", 0, 1<<30); ok {
				c.Min = int(v)
				c.minSet = true
			}
		case "max":
			if v, ok := d.integer(e.v, what+" max", 0, 1<<30); ok {
				c.Max = int(v)
				c.maxSet = true
			}
		case KindSequence:
			d.steps(e.v, what, &c)
		case "within":
			c.Within, _ = d.duration(e.v, what+" within")
		case "same_stream":
			if b, ok := d.boolean(e.v, what+" same_stream"); ok {
				c.sameStreamSet = &b
				c.sameStreamNode = e.k
			}
		case KindOutput:
			c.Output = d.output(e.v, what, &c)
		case KindExit:
			v := resolve(e.v)
			if v == nil || isNull(v) {
				c.Exit = "ok"
				continue
			}
			if s, ok := d.str(e.v, what+" exit"); ok {
				if s == "" {
					s = "ok"
				}
				c.Exit = s
			}
		case KindLua:
			if s, ok := d.str(e.v, what+" lua"); ok {
				// FILE:FUNCTION; the last colon splits, so a file name may hold one.
				i := strings.LastIndex(s, ":")
				file, fn := "", ""
				if i >= 0 {
					file, fn = s[:i], s[i+1:]
				}
				if file == "" || !luaName.MatchString(fn) {
					d.errorf(e.v, "%s: lua %q must be FILE:FUNCTION, like checks.lua:status_code", what, s)
					continue
				}
				c.LuaFunc = fn
				tmp := *resolve(e.v)
				tmp.Value = file
				if p, ok := d.labPath(&tmp, what+" lua file"); ok {
					c.LuaFile = p
					if chunk, ok := d.luaCompiles(e.v, what+" lua file", file, p); ok {
						found, defined, dynamic := luaDefines(chunk.stmts, fn)
						if !found && !dynamic {
							list := "it defines no global function"
							if len(defined) > 0 {
								list = "it defines: " + strings.Join(defined, ", ")
							}
							d.errorf(e.v, "%s: %s defines no function %q (%s)", what, file, fn, list)
						}
					}
				}
			}
		}
	}
	if c.countSet && (c.minSet || c.maxSet) {
		d.errorf(n, "%s: give either count or min/max, not both", what)
	}
	if c.maxSet && c.Max < c.Min {
		d.errorf(n, "%s: max %d is below min %d", what, c.Max, c.Min)
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
		if k, v := resolve(n.Content[i]), resolve(n.Content[i+1]); k != nil && v != nil && k.Value == "name" && v.Kind == yaml.ScalarNode {
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
	n = resolve(n)
	if n.Kind == yaml.SequenceNode {
		return n.Content
	}
	return []*yaml.Node{n}
}

func (d *decoder) steps(n *yaml.Node, what string, c *Check) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.errorf(n, "%s: sequence must be a list of steps (filters, or {match: FILTER, within: DURATION}), not %s", what, describe(n))
		return
	}
	if len(n.Content) > maxSteps {
		d.errorf(n, "%s: %d steps are more than the %d a sequence may have", what, len(n.Content), maxSteps)
		return
	}
	for i, sn := range n.Content {
		sw := fmt.Sprintf("%s step %d", what, i+1)
		sn = resolve(sn)
		var st Step
		var fnode *yaml.Node
		switch {
		case sn != nil && sn.Kind == yaml.ScalarNode && !isNull(sn):
			st.Filter, fnode = sn.Value, sn
		case sn != nil && sn.Kind == yaml.MappingNode:
			for _, e := range d.mapping(sn, sw, stepKeys) {
				switch e.key {
				case "match":
					if s, ok := d.str(e.v, sw+" match"); ok {
						st.Filter, fnode = s, resolve(e.v)
					}
				case "within":
					st.Within, _ = d.duration(e.v, sw+" within")
				}
			}
			if fnode == nil {
				d.errorf(sn, "%s has no filter: add `match: FILTER`", sw)
			}
		default:
			d.errorf(sn, "%s must be a filter or {match: FILTER, within: DURATION}, not %s", sw, describe(sn))
		}
		if fnode != nil {
			if strings.TrimSpace(st.Filter) == "" {
				d.errorf(fnode, "%s: the filter is empty", sw)
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
	v := resolve(n)
	if v != nil && v.Kind == yaml.ScalarNode && !isNull(v) {
		// `output: "200 OK"` is short for {contains: "200 OK"}.
		o.Contains = []string{v.Value}
		return o
	}
	entries := d.mapping(n, what+" output", outputKeys)
	if len(entries) == 0 {
		d.errorf(n, "%s: output needs a condition: one of %s", what, strings.Join(outputKeys[:5], ", "))
		return o
	}
	for _, e := range entries {
		switch e.key {
		case "contains":
			o.Contains, _ = d.strList(e.v, what+" contains")
		case "not_contains":
			o.NotContains, _ = d.strList(e.v, what+" not_contains")
		case "matches":
			if s, ok := d.str(e.v, what+" matches"); ok {
				re, err := regexp.Compile(s)
				if err != nil {
					d.errorf(e.v, "%s: matches %q is not a regular expression: %v", what, s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
					continue
				}
				o.Matches, c.outMatches = s, re
			}
		case "equals":
			if s, ok := d.str(e.v, what+" equals"); ok {
				o.Equals = &s
			}
		case "lines":
			o.Lines, _ = d.strList(e.v, what+" lines")
		case "ordered":
			o.Ordered, _ = d.boolean(e.v, what+" ordered")
		}
	}
	if o.Ordered && len(o.Lines) == 0 {
		d.errorf(n, "%s: ordered applies to lines: add `lines: [...]`", what)
	}
	return o
}
