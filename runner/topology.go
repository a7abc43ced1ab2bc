package runner

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/netlab"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

// Topology is a lab's `segments:` and `routers:`: what its network looks like
// beyond one segment.
type Topology struct {
	Segments []Segment
	Routers  []Router
}

// Segment is one switched segment (a bridge) and its subnets.
type Segment struct {
	Name     string
	Prefixes []netip.Prefix
}

// Router is a host that forwards between its interfaces, one per segment it
// has an address on (eth0, eth1, ... in the order of its addresses).
type Router struct {
	Name  string
	Addrs []netip.Addr
}

// capturePoints splits capture.interface into capture points: host:ifname
// (or ifname, of the submission's host), separated by commas or spaces; ""
// is the default, every interface of the submission's host.
func capturePoints(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	if len(f) == 0 {
		return nil
	}
	return f
}

// topology decodes `segments:` and `routers:` (the loader calls it after
// hosts) and checks every host's address against the segments.
func (d *decoder) topology(entries []yamlx.Entry, lab *Lab) {
	var segN, rtN, hostsN *yaml.Node
	for _, e := range entries {
		switch e.Key {
		case "segments":
			segN = e.V
		case "routers":
			rtN = e.V
		case "hosts":
			hostsN = yamlx.Resolve(e.V)
		}
	}
	if segN == nil && rtN == nil {
		return
	}
	t := &Topology{}
	lab.Topology = t
	names := map[string]int{}
	for _, h := range lab.Hosts {
		names[h.Name] = 0
	}
	// segments: NAME: PREFIX or [PREFIX, ...]
	if n := yamlx.Resolve(segN); n != nil && !yamlx.IsNull(n) {
		if n.Kind != yaml.MappingNode {
			d.Errorf(n, "segments must map names to subnets (like `office: 10.0.1.0/24`), not %s", yamlx.Describe(n))
		} else {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := yamlx.Resolve(n.Content[i]), yamlx.Resolve(n.Content[i+1])
				if k == nil || k.Kind != yaml.ScalarNode || !hostPattern.MatchString(k.Value) {
					d.Errorf(n.Content[i], "segments: a segment name must be a plain word")
					continue
				}
				if _, dup := names[k.Value]; dup {
					d.Errorf(k, "segment %q: the name is already used by a host or segment; names are unique across hosts, segments and routers", k.Value)
					continue
				}
				names[k.Value] = k.Line
				seg := Segment{Name: k.Value}
				for _, pn := range scalarList(v) {
					p, err := netip.ParsePrefix(pn.Value)
					if err != nil {
						d.Errorf(pn, "segment %q: %q is not a subnet: write ADDRESS/LENGTH, like 10.0.1.0/24 or fd00:1::/64", seg.Name, pn.Value)
						continue
					}
					if p != p.Masked() {
						d.Errorf(pn, "segment %q: %q has host bits set: the subnet is %s", seg.Name, pn.Value, p.Masked())
						continue
					}
					for _, other := range t.Segments {
						for _, q := range other.Prefixes {
							if q.Overlaps(p) {
								d.Errorf(pn, "segment %q: %s overlaps segment %q's %s", seg.Name, p, other.Name, q)
							}
						}
					}
					for _, q := range seg.Prefixes {
						if q.Addr().Is4() == p.Addr().Is4() {
							d.Errorf(pn, "segment %q: a second %s subnet %s (a segment has at most one IPv4 and one IPv6 subnet)", seg.Name, family(p.Addr()), p)
						}
					}
					seg.Prefixes = append(seg.Prefixes, p)
				}
				if len(seg.Prefixes) == 0 && v != nil && len(scalarList(v)) == 0 {
					d.Errorf(v, "segment %q has no subnet: give one, like `%s: 10.0.1.0/24`", seg.Name, seg.Name)
				}
				t.Segments = append(t.Segments, seg)
			}
		}
	}
	if len(t.Segments) == 0 {
		d.Errorf(rtN, "routers need segments to route between: add `segments:` (like `office: 10.0.1.0/24`)")
		return
	}
	used := map[netip.Addr]string{}
	// every host's address is on a segment
	if hostsN != nil && hostsN.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(hostsN.Content); i += 2 {
			k, v := yamlx.Resolve(hostsN.Content[i]), yamlx.Resolve(hostsN.Content[i+1])
			if k == nil || v == nil {
				continue
			}
			for _, an := range scalarList(v) {
				a, err := netip.ParseAddr(an.Value)
				if err != nil {
					continue // the hosts decoder said so
				}
				a = a.Unmap()
				used[a] = k.Value
				if _, ok := t.segmentOf(a); !ok {
					d.Errorf(an, "host %q: %s is outside every segment (%s)", k.Value, a, t.prefixList())
				}
			}
		}
	}
	// routers: NAME: [ADDRESS, ADDRESS, ...]
	if n := yamlx.Resolve(rtN); n != nil && !yamlx.IsNull(n) {
		if n.Kind != yaml.MappingNode {
			d.Errorf(n, "routers must map names to their addresses (like `gw: [10.0.1.1, 10.0.2.1]`), not %s", yamlx.Describe(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := yamlx.Resolve(n.Content[i]), yamlx.Resolve(n.Content[i+1])
			if k == nil || k.Kind != yaml.ScalarNode || !hostPattern.MatchString(k.Value) {
				d.Errorf(n.Content[i], "routers: a router name must be a plain word")
				continue
			}
			if _, dup := names[k.Value]; dup {
				d.Errorf(k, "router %q: the name is already used by a host, segment or router; names are unique across them", k.Value)
				continue
			}
			names[k.Value] = k.Line
			r := Router{Name: k.Value}
			segs := map[string]bool{}
			for _, an := range scalarList(v) {
				a, err := netip.ParseAddr(an.Value)
				if err != nil || a.Zone() != "" {
					d.Errorf(an, "router %q: %q is not an IPv4 or IPv6 address", r.Name, an.Value)
					continue
				}
				a = a.Unmap()
				seg, ok := t.segmentOf(a)
				if !ok {
					d.Errorf(an, "router %q: %s is outside every segment (%s)", r.Name, a, t.prefixList())
					continue
				}
				if who, dup := used[a]; dup {
					d.Errorf(an, "router %q: %s is already %q's address", r.Name, a, who)
					continue
				}
				used[a] = r.Name
				segs[seg] = true
				r.Addrs = append(r.Addrs, a)
			}
			if len(segs) < 2 && len(r.Addrs) == len(scalarList(v)) {
				d.Errorf(v, "router %q has an interface on %d segment(s): a router joins at least two (give it an address on each, like `%s: [10.0.1.1, 10.0.2.1]`)", r.Name, len(segs), r.Name)
			}
			t.Routers = append(t.Routers, r)
		}
	}
	if _, client := lab.HostAddr("client"); lab.Submission.Host == "" && !client {
		d.Errorf(segN, "a lab with segments needs the submission's host: set submission.host, or name a host client")
	}
}

// scalarList is n's scalars: n itself, or the items of a sequence.
func scalarList(n *yaml.Node) []*yaml.Node {
	n = yamlx.Resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if yamlx.IsNull(n) {
			return nil
		}
		return []*yaml.Node{n}
	}
	var out []*yaml.Node
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if c = yamlx.Resolve(c); c != nil && c.Kind == yaml.ScalarNode {
				out = append(out, c)
			}
		}
	}
	return out
}

func family(a netip.Addr) string {
	if a.Is4() {
		return "IPv4"
	}
	return "IPv6"
}

// segmentOf names the segment whose subnet holds a.
func (t *Topology) segmentOf(a netip.Addr) (string, bool) {
	for _, s := range t.Segments {
		for _, p := range s.Prefixes {
			if p.Contains(a) {
				return s.Name, true
			}
		}
	}
	return "", false
}

func (t *Topology) prefixList() string {
	var out []string
	for _, s := range t.Segments {
		for _, p := range s.Prefixes {
			out = append(out, s.Name+" "+p.String())
		}
	}
	return strings.Join(out, ", ")
}

func (t *Topology) prefix(seg string, a netip.Addr) netip.Prefix {
	for _, s := range t.Segments {
		if s.Name != seg {
			continue
		}
		for _, p := range s.Prefixes {
			if p.Contains(a) {
				return netip.PrefixFrom(a, p.Bits())
			}
		}
	}
	return netip.PrefixFrom(a, a.BitLen())
}

// Network is the lab's network for the sandbox: nil without a topology (the
// sandbox puts the hosts on one inferred segment); otherwise a machine per
// host address and per router, routes so everyone reaches everyone.
func (l *Lab) Network() *netlab.Spec {
	t := l.Topology
	if t == nil {
		return nil
	}
	spec := &netlab.Spec{}
	for _, s := range t.Segments {
		spec.Segments = append(spec.Segments, netlab.Segment{Name: s.Name, Prefixes: s.Prefixes})
	}
	subAddr, _ := l.HostAddr(l.Submission.Host)
	seen := map[netip.Addr]bool{}
	for _, h := range l.Hosts {
		if seen[h.Addr] {
			continue // a second name of the same machine
		}
		seen[h.Addr] = true
		spec.Hosts = append(spec.Hosts, t.machine(netlab.Host{Name: h.Name, Adopt: h.Addr == subAddr}, h.All()))
	}
	for _, r := range t.Routers {
		spec.Hosts = append(spec.Hosts, t.machine(netlab.Host{Name: r.Name, Forward: true}, r.Addrs))
	}
	netlab.AddRoutes(spec)
	return spec
}

// machine gives h an interface per segment its addresses are on (eth0,
// eth1, ... in the order of the addresses), each with its addresses there.
func (t *Topology) machine(h netlab.Host, addrs []netip.Addr) netlab.Host {
	for _, a := range addrs {
		seg, _ := t.segmentOf(a)
		i := slices.IndexFunc(h.Interfaces, func(i netlab.Interface) bool { return i.Segment == seg })
		if i < 0 {
			h.Interfaces = append(h.Interfaces, netlab.Interface{Name: fmt.Sprintf("eth%d", len(h.Interfaces)), Segment: seg})
			i = len(h.Interfaces) - 1
		}
		h.Interfaces[i].Addrs = append(h.Interfaces[i].Addrs, t.prefix(seg, a))
	}
	return h
}

// Graph draws the lab's network as text: each segment with its subnets and
// the hosts and routers on it, then each firewall's rules.
func (l *Lab) Graph() string {
	var b strings.Builder
	l.segmentGraph(&b)
	for _, fw := range l.Firewalls {
		l.firewallGraph(&b, fw)
	}
	return b.String()
}

func (l *Lab) segmentGraph(b *strings.Builder) {
	t := l.Topology
	if t == nil {
		// One inferred segment.
		fmt.Fprintf(b, "segment lan (one switch; subnet inferred from the addresses)\n")
		for _, h := range l.Hosts {
			fmt.Fprintf(b, "  ├─ %-20s %s%s\n", h.Name, addrList(h.All()), l.role(h.Name))
		}
		return
	}
	for _, s := range t.Segments {
		var ps []string
		for _, p := range s.Prefixes {
			ps = append(ps, p.String())
		}
		fmt.Fprintf(b, "segment %s (%s)\n", s.Name, strings.Join(ps, ", "))
		for _, h := range l.Hosts {
			var here []netip.Addr
			for _, a := range h.All() {
				if seg, _ := t.segmentOf(a); seg == s.Name {
					here = append(here, a)
				}
			}
			if len(here) > 0 {
				fmt.Fprintf(b, "  ├─ %-20s %s%s\n", h.Name, addrList(here), l.role(h.Name))
			}
		}
		for _, r := range t.Routers {
			for i, a := range r.Addrs {
				if seg, _ := t.segmentOf(a); seg == s.Name {
					others := []string{}
					for j, o := range r.Addrs {
						if so, _ := t.segmentOf(o); j != i && so != s.Name && !slices.Contains(others, so) {
							others = append(others, so)
						}
					}
					fmt.Fprintf(b, "  ├─ %-20s %s  router ⇄ %s\n", r.Name, a, strings.Join(others, ", "))
				}
			}
		}
	}
}

func addrList(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

func (l *Lab) role(host string) string {
	if host == l.Submission.Host {
		return "  (the submission)"
	}
	return ""
}
