package sandbox

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/wirelab-dev/wirelab/internal/netlab"
)

// place is where code runs that must create sockets in one lab host: a host's
// namespace, or, without isolation, the worker itself.
type place interface {
	Do(func() error) error
}

// here runs everything where the worker is (a run without isolation).
type here struct{}

func (here) Do(f func() error) error { return f() }

// socketIn returns a socket constructor for p, or nil for the worker's own
// namespace (lualib then calls syscall.Socket itself).
func socketIn(p place) func(domain, typ, proto int) (int, error) {
	if ns, ok := p.(*netlab.NS); ok {
		return ns.Socket
	}
	return nil
}

// flatNetwork turns a v1 lab's hosts into a network: every address is a host
// of its own (names sharing an address are one host, named by the first)
// with eth0 on one segment, "lan", whose subnets are inferred from the
// addresses (the smallest /24 or wider that holds every IPv4 address, /64 or
// wider for IPv6). Loopback addresses belong to the submission's host. When
// the segment carries both families, a host with only an IPv4 address also
// gets the IPv6 address made of the segment's prefix and its IPv4 address,
// so it reaches the lab's IPv6 hosts as it did on one loopback. A host with
// several addresses has them all on its eth0. It returns the network and the
// name of the host the submission runs on.
func flatNetwork(hosts []Host, source string) (netlab.Spec, string) {
	var spec netlab.Spec
	var v4, v6 []netip.Addr
	machine := map[netip.Addr]string{} // address -> host
	var order []netip.Addr             // each machine's first address
	more := map[netip.Addr][]netip.Addr{}
	var loop []netip.Addr
	srcAddr := netip.Addr{}
	for _, h := range hosts {
		a := h.Addr.Unmap()
		if h.Name == source {
			srcAddr = a
		}
		if a.IsLoopback() {
			if !slices.Contains(loop, a) {
				loop = append(loop, a)
			}
			continue
		}
		if _, ok := machine[a]; ok {
			continue
		}
		order = append(order, a)
		for _, b := range h.All() {
			b = b.Unmap()
			if _, ok := machine[b]; ok {
				continue
			}
			machine[b] = h.Name
			if b != a {
				more[a] = append(more[a], b)
			}
			if b.Is4() {
				v4 = append(v4, b)
			} else {
				v6 = append(v6, b)
			}
		}
	}
	var p4, p6 netip.Prefix
	seg := netlab.Segment{Name: "lan"}
	if len(v4) > 0 {
		p4 = covering(v4, 24)
		seg.Prefixes = append(seg.Prefixes, p4)
	}
	if len(v6) > 0 {
		p6 = covering(v6, 64)
		seg.Prefixes = append(seg.Prefixes, p6)
	}
	if len(order) > 0 {
		spec.Segments = []netlab.Segment{seg}
	}
	sub := ""
	if srcAddr.IsValid() && !srcAddr.IsLoopback() {
		sub = machine[srcAddr]
	}
	for _, a := range order {
		name := machine[a]
		addrs := []netip.Prefix{prefixed(a, p4, p6)}
		has6 := !a.Is4()
		for _, b := range more[a] {
			addrs = append(addrs, prefixed(b, p4, p6))
			has6 = has6 || !b.Is4()
		}
		if a.Is4() && p6.IsValid() && !has6 {
			addrs = append(addrs, embed4(p6, a))
		}
		h := netlab.Host{Name: name, Interfaces: []netlab.Interface{{Name: "eth0", Segment: "lan", Addrs: addrs}}}
		if name == sub {
			h.Adopt = true
			h.Loopback = loop
		}
		spec.Hosts = append(spec.Hosts, h)
	}
	if sub == "" {
		// The submission has no host of the lab's (or a loopback one): it
		// runs in a host of its own, holding the loopback addresses, and on
		// the segment at its highest free address.
		sub = source
		if sub == "" {
			sub = "submission"
		}
		h := netlab.Host{Name: sub, Adopt: true, Loopback: loop}
		if len(order) > 0 {
			var addrs []netip.Prefix
			for _, p := range []netip.Prefix{p4, p6} {
				if p.IsValid() {
					addrs = append(addrs, netip.PrefixFrom(highestFree(p, machine), p.Bits()))
				}
			}
			h.Interfaces = []netlab.Interface{{Name: "eth0", Segment: "lan", Addrs: addrs}}
		}
		spec.Hosts = append(spec.Hosts, h)
	}
	return spec, sub
}

// covering is the longest prefix of at most bits that holds every address.
func covering(addrs []netip.Addr, bits int) netip.Prefix {
	for ; bits > 0; bits-- {
		p, _ := addrs[0].Prefix(bits)
		all := true
		for _, a := range addrs[1:] {
			all = all && p.Contains(a)
		}
		if all {
			return p
		}
	}
	p, _ := addrs[0].Prefix(0)
	return p
}

func prefixed(a netip.Addr, p4, p6 netip.Prefix) netip.Prefix {
	if a.Is4() {
		return netip.PrefixFrom(a, p4.Bits())
	}
	return netip.PrefixFrom(a, p6.Bits())
}

// embed4 is p's address whose last 32 bits are a's.
func embed4(p netip.Prefix, a netip.Addr) netip.Prefix {
	b := p.Addr().As16()
	v := a.As4()
	copy(b[12:], v[:])
	return netip.PrefixFrom(netip.AddrFrom16(b), p.Bits())
}

// highestFree is the highest address of p (below the IPv4 broadcast) that no
// host uses.
func highestFree(p netip.Prefix, used map[netip.Addr]string) netip.Addr {
	last := p.Masked().Addr()
	for a := last; p.Contains(a); a = a.Next() {
		last = a
	}
	a := last
	if a.Is4() {
		a = a.Prev()
	}
	for p.Contains(a) {
		if _, ok := used[a]; !ok {
			return a
		}
		a = a.Prev()
	}
	return last
}

// labNetwork is the lab's network as the worker sees it.
type labNetwork struct {
	lab    *netlab.Lab // nil without isolation
	sub    string      // the submission's host
	byAddr map[netip.Addr]place
	spec   netlab.Spec
}

// buildNetwork builds the run's network: cfg.Network, or the flat one of
// cfg.Hosts.
func buildNetwork(cfg *Config) (*labNetwork, error) {
	n := &labNetwork{byAddr: map[netip.Addr]place{}}
	if cfg.Isolation == IsolationNone {
		if len(cfg.Firewalls) > 0 || len(cfg.Links) > 0 {
			return nil, fmt.Errorf("the lab's firewalls and impaired links need network namespaces, and this run has no isolation")
		}
		for _, h := range cfg.Hosts {
			n.byAddr[h.Addr.Unmap()] = here{}
		}
		n.sub = cfg.Source
		return n, nil
	}
	if cfg.Network != nil {
		n.spec, n.sub = *cfg.Network, cfg.Source
		for _, h := range n.spec.Hosts {
			if h.Adopt {
				n.sub = h.Name
			}
		}
	} else {
		n.spec, n.sub = flatNetwork(cfg.Hosts, cfg.Source)
	}
	n.spec.Firewalls = append(n.spec.Firewalls, cfg.Firewalls...)
	n.spec.Links = append(n.spec.Links, cfg.Links...)
	lab, err := netlab.Build(n.spec)
	if err != nil {
		return nil, err
	}
	n.lab = lab
	for _, h := range n.spec.Hosts {
		ns := lab.Host(h.Name)
		for _, a := range h.Loopback {
			n.byAddr[a.Unmap()] = ns
		}
		for _, i := range h.Interfaces {
			for _, a := range i.Addrs {
				n.byAddr[a.Addr().Unmap()] = ns
			}
		}
	}
	return n, nil
}

// at returns where the host owning addr runs: a loopback address not in the
// lab is the submission's host's, an unknown one the worker's.
func (n *labNetwork) at(a netip.Addr) place {
	a = a.Unmap()
	if p, ok := n.byAddr[a]; ok {
		return p
	}
	if n.lab != nil && (a.IsLoopback() || a.IsUnspecified()) {
		if ns := n.lab.Host(n.sub); ns != nil {
			return ns
		}
	}
	return here{}
}

// subPlace is where the submission's host runs: its namespace, or the
// worker without isolation.
func (n *labNetwork) subPlace() place {
	if n.lab != nil {
		if ns := n.lab.Host(n.sub); ns != nil {
			return ns
		}
	}
	return here{}
}

// mainInterface is the submission's host's first Ethernet interface, "" for
// none.
func (n *labNetwork) mainInterface() string {
	if n.lab == nil {
		return ""
	}
	if p := n.lab.Ports(n.sub); len(p) > 0 {
		return p[0].Name
	}
	return ""
}

func (n *labNetwork) close() {
	if n.lab != nil {
		n.lab.Close()
	}
}

// capturePoints resolves the lab's capture points (host:ifname, "any" for
// every interface of every host) into ports; none named means every
// interface of the submission's host, its loopback included when a lab
// address lives there.
func (n *labNetwork) capturePoints(names []string) ([]netlab.Port, error) {
	if n.lab == nil {
		return []netlab.Port{{Host: n.sub, Name: "lo"}}, nil
	}
	hostSpec := func(name string) *netlab.Host {
		for i := range n.spec.Hosts {
			if n.spec.Hosts[i].Name == name {
				return &n.spec.Hosts[i]
			}
		}
		return nil
	}
	loPort := func(h string) netlab.Port { return netlab.Port{Host: h, Name: "lo", NS: n.lab.Host(h)} }
	var out []netlab.Port
	if len(names) == 0 {
		out = append(out, n.lab.Ports(n.sub)...)
		if h := hostSpec(n.sub); h != nil && (len(h.Loopback) > 0 || len(h.Interfaces) == 0) {
			out = append(out, loPort(n.sub))
		}
		return out, nil
	}
	for _, name := range names {
		if name == "any" {
			for _, h := range n.spec.Hosts {
				out = append(out, n.lab.Ports(h.Name)...)
			}
			continue
		}
		host, ifname, ok := strings.Cut(name, ":")
		if !ok {
			host, ifname = n.sub, name
		}
		if hostSpec(host) == nil {
			return nil, fmt.Errorf("capture point %q: no host %q", name, host)
		}
		if ifname == "lo" {
			out = append(out, loPort(host))
			continue
		}
		found := false
		for _, p := range n.lab.Ports(host) {
			if p.Name == ifname {
				out = append(out, p)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("capture point %q: host %q has no interface %q", name, host, ifname)
		}
	}
	return out, nil
}

// hostsMore is the further addresses of the hosts that have several, by name
// (lualib.Env.HostsMore).
func hostsMore(hosts []Host) map[string][]netip.Addr {
	out := map[string][]netip.Addr{}
	for _, h := range hosts {
		if len(h.More) > 0 {
			out[h.Name] = h.More
		}
	}
	return out
}
