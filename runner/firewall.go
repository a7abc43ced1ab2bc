package runner

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/netlab"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

// firewallRuleKeys are the keys of one rule of `firewalls:`.
var firewallRuleKeys = []string{"action", "direction", "proto", "port", "source_port", "from", "to", "reject_with"}

// firewalls decodes `firewalls:`: a mapping from a host's or router's name to
// its rules, each a mapping of firewallRuleKeys. It runs after hosts and the
// topology, whose names the rules may use.
func (d *decoder) firewalls(entries []yamlx.Entry, lab *Lab) {
	var n *yaml.Node
	for _, e := range entries {
		if e.Key == "firewalls" {
			n = yamlx.Resolve(e.V)
		}
	}
	if n == nil || yamlx.IsNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, "firewalls must map host names to lists of rules (like `server: [{action: drop, proto: tcp, port: 23}]`), not %s", yamlx.Describe(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := yamlx.Resolve(n.Content[i]), yamlx.Resolve(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode {
			d.Errorf(n.Content[i], "firewalls: a key must be a host's name")
			continue
		}
		machine, router, ok := lab.machine(k.Value)
		if !ok {
			d.Errorf(k, "firewalls: no host or router %q%s", k.Value, didYouMean(k.Value, lab.machineNames()))
			continue
		}
		if seen[machine] {
			d.Errorf(k, "firewalls: host %q has a firewall already (names sharing an address are one host)", k.Value)
			continue
		}
		seen[machine] = true
		fw := netlab.Firewall{Host: machine}
		what := fmt.Sprintf("firewall of %q", k.Value)
		if v == nil || v.Kind != yaml.SequenceNode {
			d.Errorf(v, "%s must be a list of rules (like `- {action: drop, proto: tcp, port: 23}`), not %s", what, yamlx.Describe(v))
			continue
		}
		for j, rn := range v.Content {
			if r, ok := d.firewallRule(rn, fmt.Sprintf("%s, rule %d", what, j+1), router, lab); ok {
				fw.Rules = append(fw.Rules, r)
			}
		}
		lab.Firewalls = append(lab.Firewalls, fw)
	}
}

func (d *decoder) firewallRule(n *yaml.Node, what string, router bool, lab *Lab) (netlab.Rule, bool) {
	var r netlab.Rule
	ok := true
	fail := func(n *yaml.Node, format string, args ...any) {
		d.Errorf(n, what+": "+format, args...)
		ok = false
	}
	entries := d.Mapping(n, what, firewallRuleKeys)
	if entries == nil {
		return r, false
	}
	var portN, withN *yaml.Node
	word := func(e yamlx.Entry, known []string) string {
		s, good := d.Str(e.V, what+": "+e.Key)
		if !good {
			ok = false
			return ""
		}
		s = strings.ToLower(s)
		if !slices.Contains(known, s) {
			fail(e.V, "%s %q is not one of %s%s", e.Key, s, strings.Join(known, ", "), didYouMean(s, known))
		}
		return s
	}
	for _, e := range entries {
		switch e.Key {
		case "action":
			r.Action = word(e, netlab.Actions)
		case "direction":
			r.Direction = word(e, netlab.Directions)
			if r.Direction == netlab.Forward && !router {
				fail(e.V, "direction forward is for routers (packets passing through); a host's own packets are in or out")
			}
		case "proto":
			r.Proto = word(e, append(slices.Clone(netlab.Protocols), "any"))
			if r.Proto == "any" {
				r.Proto = ""
			}
		case "port", "source_port":
			ports, good := d.ports(e.V, what+": "+e.Key)
			ok = ok && good
			if e.Key == "port" {
				r.Ports = ports
			} else {
				r.SourcePorts = ports
			}
			portN = e.V
		case "from", "to":
			ps, good := d.addresses(e.V, what+": "+e.Key, lab)
			ok = ok && good
			if e.Key == "from" {
				r.From = ps
			} else {
				r.To = ps
			}
		case "reject_with":
			r.RejectWith = word(e, netlab.RejectWiths)
			withN = e.V
		}
	}
	if r.Action == "" && ok {
		fail(n, "a rule needs an action: accept, drop or reject")
	}
	if portN != nil && r.Proto != "tcp" && r.Proto != "udp" {
		fail(portN, "a port needs proto tcp or udp")
	}
	if withN != nil && r.Action != netlab.Reject && r.Action != "" {
		fail(withN, "reject_with goes with action reject, not %s", r.Action)
	}
	if withN != nil && r.RejectWith == netlab.WithTCPReset && r.Proto != "tcp" {
		fail(withN, "reject_with tcp-reset needs proto tcp")
	}
	if ok {
		if err := (&netlab.Firewall{Host: "x", Rules: []netlab.Rule{r}}).Validate(); err != nil {
			_, msg, _ := strings.Cut(err.Error(), ": rule 1: ")
			fail(n, "%s", msg)
		}
	}
	return r, ok
}

// ports decodes a port (80), a range ("8000-8100") or a list of them.
func (d *decoder) ports(n *yaml.Node, what string) ([]netlab.PortRange, bool) {
	ok := true
	var out []netlab.PortRange
	items := scalarList(n)
	if n = yamlx.Resolve(n); n != nil && n.Kind == yaml.SequenceNode && len(items) != len(n.Content) || len(items) == 0 {
		d.Errorf(n, "%s must be a port (80), a range (\"8000-8100\") or a list of them, not %s", what, yamlx.Describe(n))
		return nil, false
	}
	for _, it := range items {
		lo, hi, isRange := strings.Cut(it.Value, "-")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.ParseUint(strings.TrimSpace(lo), 10, 16)
		b, err2 := strconv.ParseUint(strings.TrimSpace(hi), 10, 16)
		switch {
		case err1 != nil || err2 != nil:
			d.Errorf(it, "%s: %q is not a port (1-65535) or a range like 8000-8100", what, it.Value)
			ok = false
		case a == 0 || b == 0:
			d.Errorf(it, "%s: %q: ports start at 1", what, it.Value)
			ok = false
		case a > b:
			d.Errorf(it, "%s: %q runs backwards: write %d-%d", what, it.Value, b, a)
			ok = false
		default:
			out = append(out, netlab.PortRange{Lo: uint16(a), Hi: uint16(b)})
		}
	}
	return out, ok
}

// addresses decodes an address, a subnet, a host's or router's name (all its
// addresses) or a list of them.
func (d *decoder) addresses(n *yaml.Node, what string, lab *Lab) ([]netip.Prefix, bool) {
	ok := true
	var out []netip.Prefix
	items := scalarList(n)
	if len(items) == 0 {
		d.Errorf(n, "%s must be an address, a subnet, a host's name or a list of them, not %s", what, yamlx.Describe(n))
		return nil, false
	}
	for _, it := range items {
		s := it.Value
		if p, err := netip.ParsePrefix(s); err == nil {
			if p != p.Masked() {
				d.Errorf(it, "%s: %q has host bits set: the subnet is %s", what, s, p.Masked())
				ok = false
				continue
			}
			out = append(out, p)
			continue
		}
		if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		addrs := lab.addrsOf(s)
		if len(addrs) == 0 {
			d.Errorf(it, "%s: %q is not an address, a subnet or a host's name%s", what, s, didYouMean(s, lab.machineNames()))
			ok = false
			continue
		}
		for _, a := range addrs {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out, ok
}

// machine resolves a host or router name to the name of the machine that
// has its address (names sharing an address are one machine, named by the
// first), and says whether it is a router.
func (l *Lab) machine(name string) (string, bool, bool) {
	if l.Topology != nil {
		for _, r := range l.Topology.Routers {
			if r.Name == name {
				return name, true, true
			}
		}
	}
	a, ok := l.HostAddr(name)
	if !ok || a.IsLoopback() {
		return "", false, false
	}
	for _, h := range l.Hosts {
		if h.Addr == a {
			return h.Name, false, true
		}
	}
	return "", false, false
}

// addrsOf is every address of a host or router name.
func (l *Lab) addrsOf(name string) []netip.Addr {
	var out []netip.Addr
	for _, h := range l.Hosts {
		if h.Name == name {
			out = append(out, h.All()...)
		}
	}
	if l.Topology != nil {
		for _, r := range l.Topology.Routers {
			if r.Name == name {
				out = append(out, r.Addrs...)
			}
		}
	}
	return out
}

func (l *Lab) machineNames() []string {
	var out []string
	for _, h := range l.Hosts {
		out = append(out, h.Name)
	}
	if l.Topology != nil {
		for _, r := range l.Topology.Routers {
			out = append(out, r.Name)
		}
	}
	return out
}

// didYouMean is ` (did you mean "x"?)` for a likely typo of a known word, or
// "".
func didYouMean(s string, known []string) string {
	if m := yamlx.Nearest(s, known); m != "" && m != s {
		return fmt.Sprintf(" (did you mean %q?)", m)
	}
	return ""
}

// firewallGraph draws a host's firewall for Graph: its rules in order, in the
// words of the lab file, and what happens to a packet none matches.
func (l *Lab) firewallGraph(b *strings.Builder, fw netlab.Firewall) {
	fmt.Fprintf(b, "firewall %s (the first rule that matches decides; connections let through and lo always pass)\n", fw.Host)
	for i, r := range fw.Rules {
		fmt.Fprintf(b, "  ├─ %d. %s\n", i+1, l.ruleText(r))
	}
	fmt.Fprintf(b, "  └─ otherwise accept\n")
}

// ruleText is a rule as one line: action, direction, protocol, then the
// ports, addresses and answer it names; an address of a host or router
// carries its name.
func (l *Lab) ruleText(r netlab.Rule) string {
	dir := r.Direction
	if dir == "" {
		dir = netlab.In
	}
	proto := r.Proto
	if proto == "" {
		proto = "any"
	}
	out := []string{fmt.Sprintf("%-6s %s %s", r.Action, dir, proto)}
	ports := func(key string, ps []netlab.PortRange) {
		if len(ps) == 0 {
			return
		}
		var s []string
		for _, p := range ps {
			s = append(s, p.String())
		}
		out = append(out, key+" "+strings.Join(s, ", "))
	}
	ports("port", r.Ports)
	ports("source port", r.SourcePorts)
	addrs := func(key string, ps []netip.Prefix) {
		if len(ps) == 0 {
			return
		}
		var s []string
		last := ""
		for _, p := range ps {
			name := ""
			if p.IsSingleIP() {
				name = l.nameOf(p.Addr())
			}
			switch {
			case name != "" && name == last:
				s[len(s)-1] = strings.TrimSuffix(s[len(s)-1], ")") + ", " + p.Addr().String() + ")"
			case name != "":
				s = append(s, fmt.Sprintf("%s (%s)", name, p.Addr()))
			case p.IsSingleIP():
				s = append(s, p.Addr().String())
			default:
				s = append(s, p.String())
			}
			last = name
		}
		out = append(out, key+" "+strings.Join(s, ", "))
	}
	addrs("from", r.From)
	addrs("to", r.To)
	if r.Action == netlab.Reject {
		with := r.RejectWith
		if with == "" && r.Proto == "tcp" {
			with = netlab.WithTCPReset
		} else if with == "" {
			with = netlab.WithPortUnreachable
		}
		out = append(out, "with "+with)
	}
	return strings.Join(out, " ")
}

// nameOf is the first host or router name of an address, "" for none.
func (l *Lab) nameOf(a netip.Addr) string {
	for _, h := range l.Hosts {
		if slices.Contains(h.All(), a) {
			return h.Name
		}
	}
	if l.Topology != nil {
		for _, r := range l.Topology.Routers {
			if slices.Contains(r.Addrs, a) {
				return r.Name
			}
		}
	}
	return ""
}
