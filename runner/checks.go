package runner

import (
	"fmt"
	"regexp"
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
	entries := d.Mapping(n, what, checkKinds.keys())
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
		if _, ok := checkKinds.kind(e.Key); !ok {
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
	kind, _ := checkKinds.kind(c.Kind)
	for _, e := range entries {
		if k, ok := checkKinds.byKey[e.Key]; ok && k.name != e.Key && k != kind {
			d.Errorf(e.K, "%s: %q belongs to %s checks, not to %s checks", what, e.Key, k.name, c.Kind)
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
		case "name": // decoded above
		default:
			kind.decode(d, &c, e, what)
		}
	}
	if kind.finish != nil {
		kind.finish(d, &c, n, what)
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
