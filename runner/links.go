package runner

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/netlab"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

var (
	linkKeys      = []string{"seed", "both", "out", "in"}
	impairKeys    = []string{"delay", "jitter", "loss", "duplicate", "reorder", "reorder_by", "rate", "queue", "rules"}
	wireRuleKeys  = []string{"drop", "delay", "duplicate", "nth", "by"}
	maxLinkFrames = 1 << 20
)

// links decodes `links:`: a mapping from an interface (host or host:ifname;
// a host alone is its eth0) to its impairments, `both` ways and `out` (what
// the host sends) and `in` (what it receives).
func (d *decoder) links(entries []yamlx.Entry, lab *Lab) {
	var n *yaml.Node
	for _, e := range entries {
		if e.Key == "links" {
			n = e.V
		}
	}
	if n = d.Optional(n, yaml.MappingNode, "links must map interfaces to impairments (like `client: {both: {delay: 50ms}}`)"); n == nil {
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := yamlx.Resolve(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			d.Errorf(n.Content[i], "links: a key must be an interface, host:ifname or a host's name")
			continue
		}
		host, ifname, named := strings.Cut(k.Value, ":")
		if !named {
			ifname = "eth0"
		}
		machine, _, ok := lab.machine(host)
		if !ok {
			d.Errorf(k, "links: no host or router %q%s", host, didYouMean(host, lab.machineNames()))
			continue
		}
		ifs := lab.interfaces(machine)
		if !slices.Contains(ifs, ifname) {
			d.Errorf(k, "links: %q has no interface %q (it has %s)", host, ifname, strings.Join(ifs, ", "))
			continue
		}
		point := machine + ":" + ifname
		if seen[point] {
			d.Errorf(k, "links: %s is impaired twice (names sharing an address are one host)", point)
			continue
		}
		seen[point] = true
		what := fmt.Sprintf("link %q", k.Value)
		link := netlab.Link{Point: point, Seed: 1}
		var both, out, in *yaml.Node
		for _, e := range d.Mapping(v, what, linkKeys) {
			switch e.Key {
			case "seed":
				if s, ok := d.Integer(e.V, what+": seed", math.MinInt64, math.MaxInt64); ok {
					link.Seed = s
				}
			case "both":
				both = e.V
			case "out":
				out = e.V
			case "in":
				in = e.V
			}
		}
		if both == nil && out == nil && in == nil {
			d.Errorf(v, "%s impairs nothing: give it both, out (what %s sends) or in (what it receives)", what, host)
			continue
		}
		link.Out = d.impairment(both, out, what+", out")
		link.In = d.impairment(both, in, what+", in")
		lab.Links = append(lab.Links, link)
	}
}

// impairment decodes one direction: both's keys, then own's over them (rules
// add up: both's first).
func (d *decoder) impairment(both, own *yaml.Node, what string) *netlab.Impairment {
	if both == nil && own == nil {
		return nil
	}
	m := &netlab.Impairment{}
	for _, n := range []*yaml.Node{both, own} {
		if n == nil {
			continue
		}
		for _, e := range d.Mapping(n, what, impairKeys) {
			w := what + ": " + e.Key
			switch e.Key {
			case "delay", "jitter", "reorder_by":
				if t, ok := d.Duration(e.V, w); ok {
					*map[string]*time.Duration{"delay": &m.Delay, "jitter": &m.Jitter, "reorder_by": &m.ReorderBy}[e.Key] = t
				}
			case "loss", "duplicate", "reorder":
				if p, ok := d.percent(e.V, w); ok {
					*map[string]*float64{"loss": &m.Loss, "duplicate": &m.Duplicate, "reorder": &m.Reorder}[e.Key] = p
				}
			case "rate":
				if r, ok := d.rate(e.V, w); ok {
					m.Rate = r
				}
			case "queue":
				if q, ok := d.Integer(e.V, w, 1, int64(maxLinkFrames)); ok {
					m.Queue = int(q)
				}
			case "rules":
				m.Rules = append(m.Rules, d.wireRules(e.V, what)...)
			}
		}
	}
	return m
}

// percent decodes 10% or 0.5% as a probability.
func (d *decoder) percent(n *yaml.Node, what string) (float64, bool) {
	s, ok := d.Str(n, what)
	if !ok {
		return 0, false
	}
	num, isPct := strings.CutSuffix(strings.TrimSpace(s), "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	switch {
	case err != nil:
		d.Errorf(n, "%s %q is not a percentage: write it like 10%% or 0.5%%", what, s)
		return 0, false
	case !isPct:
		d.Errorf(n, "%s %s needs a %% sign: write %s%% (a percentage)", what, s, s)
		return 0, false
	case v < 0 || v > 100:
		d.Errorf(n, "%s %s is not a percentage from 0%% to 100%%", what, s)
		return 0, false
	}
	return v / 100, true
}

var rateUnits = []struct {
	suffix string
	mul    float64
}{{"gbit", 1e9}, {"mbit", 1e6}, {"kbit", 1e3}, {"bit", 1}}

// rate decodes a link speed: 100kbit, 1mbit, 1.5Mbit/s, 1gbit.
func (d *decoder) rate(n *yaml.Node, what string) (int64, bool) {
	s, ok := d.Str(n, what)
	if !ok {
		return 0, false
	}
	t := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "/s")
	if strings.HasSuffix(t, "bps") {
		d.Errorf(n, "%s %q is ambiguous (bits or bytes?): write bits per second, like 1mbit, or 8mbit for one megabyte a second", what, s)
		return 0, false
	}
	for _, u := range rateUnits {
		if num, ok := strings.CutSuffix(t, u.suffix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || v <= 0 || v*u.mul < 8 || v*u.mul > 1e12 {
				break
			}
			return int64(v * u.mul), true
		}
	}
	d.Errorf(n, "%s %q is not a rate: write a number and bit, kbit, mbit or gbit (per second), like 1mbit", what, s)
	return 0, false
}

// wireRules decodes scripted impairments: each names its action with its
// display filter (drop: FILTER, delay: FILTER with by: DURATION, duplicate:
// FILTER) and which matches it acts on (nth: N, [N, M] or all; the first by
// default).
func (d *decoder) wireRules(n *yaml.Node, what string) []netlab.WireRule {
	n = yamlx.Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		d.Errorf(n, "%s: rules must be a list (like `- drop: tcp.flags.syn == 1 && tcp.flags.ack == 1`), not %s", what, yamlx.Describe(n))
		return nil
	}
	var out []netlab.WireRule
	for i, rn := range n.Content {
		w := fmt.Sprintf("%s, rule %d", what, i+1)
		var r netlab.WireRule
		var byN, actN *yaml.Node
		ok := true
		for _, e := range d.Mapping(rn, w, wireRuleKeys) {
			switch e.Key {
			case "drop", "delay", "duplicate":
				if r.Action != "" {
					d.Errorf(e.K, "%s: one action a rule: %s and %s", w, r.Action, e.Key)
					ok = false
					continue
				}
				r.Action, actN = e.Key, e.V
				s, good := d.Str(e.V, w+": "+e.Key)
				if !good || d.filter(e.V, s, w+": "+e.Key, false) == nil {
					ok = false
				}
				r.Match = s
			case "by":
				byN = e.V
				if t, good := d.Duration(e.V, w+": by"); good {
					r.By = t
				} else {
					ok = false
				}
			case "nth":
				if s := yamlx.Resolve(e.V); s != nil && s.Kind == yaml.ScalarNode && strings.EqualFold(s.Value, "all") {
					r.All = true
					continue
				}
				items := scalarList(e.V)
				if len(items) == 0 {
					d.Errorf(e.V, "%s: nth is a match's number (3), a list ([1, 3]) or all", w)
					ok = false
				}
				for _, it := range items {
					if v, good := d.Integer(it, w+": nth", 1, math.MaxInt32); good {
						r.Nth = append(r.Nth, int(v))
					} else {
						ok = false
					}
				}
			}
		}
		switch {
		case r.Action == "" && ok:
			d.Errorf(rn, "%s: a rule needs an action with its filter: drop, delay or duplicate (like `drop: tcp.len > 0`)", w)
			ok = false
		case r.Action == netlab.WireDelay && byN == nil:
			d.Errorf(actN, "%s: a delay rule says by how long: add `by: 2s`", w)
			ok = false
		case r.Action != netlab.WireDelay && byN != nil && r.Action != "":
			d.Errorf(byN, "%s: by goes with delay, not %s", w, r.Action)
			ok = false
		case r.Action == netlab.WireDelay && r.By == 0 && ok:
			d.Errorf(byN, "%s: by must be more than 0", w)
			ok = false
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// interfaces names a machine's Ethernet interfaces: a router's one per
// segment, a host's eth0.
func (l *Lab) interfaces(machine string) []string {
	if l.Topology != nil {
		for _, r := range l.Topology.Routers {
			if r.Name == machine {
				var segs []string
				for _, a := range r.Addrs {
					if s, _ := l.Topology.segmentOf(a); !slices.Contains(segs, s) {
						segs = append(segs, s)
					}
				}
				var out []string
				for i := range segs {
					out = append(out, fmt.Sprintf("eth%d", i))
				}
				return out
			}
		}
	}
	return []string{"eth0"}
}
