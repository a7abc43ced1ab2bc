package netlab

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
)

// Spec is a lab's network: segments (switches) and the hosts on them.
type Spec struct {
	Segments []Segment
	Hosts    []Host
	// Firewalls are hosts' packet filters, at most one per host.
	Firewalls []Firewall `json:",omitempty"`
	// Links are impaired links, at most one per host interface.
	Links []Link `json:",omitempty"`
}

// link is the impaired link at point (host:ifname), nil for none.
func (s *Spec) link(point string) *Link {
	for i := range s.Links {
		if s.Links[i].Point == point {
			return &s.Links[i]
		}
	}
	return nil
}

// Segment is one switched Ethernet segment: a bridge.
type Segment struct {
	Name string
	// Prefixes are the segment's subnets (at most one per family); hosts'
	// addresses on it carry their lengths.
	Prefixes []netip.Prefix
}

// Host is one machine of the lab: a namespace of its own.
type Host struct {
	Name string
	// Adopt makes the host the calling goroutine's own namespace instead of a
	// new one (the submission's host, whose process is already inside it).
	Adopt bool
	// Forward makes the host a router: it forwards IPv4 and IPv6 between its
	// interfaces (and so decrements TTL and answers time-exceeded).
	Forward    bool
	Interfaces []Interface
	// Loopback are extra addresses on lo (loopback hosts of a v1 lab).
	Loopback []netip.Addr
	Routes   []Route
}

// Interface is one Ethernet interface of a host, joined to a segment.
type Interface struct {
	Name    string // eth0, eth1, ...
	Segment string
	MAC     net.HardwareAddr // nil: derived from the first IPv4 address
	Addrs   []netip.Prefix   // address/segment prefix length
}

// Route sends Dst through the gateway Via (on one of the host's segments).
type Route struct {
	Dst netip.Prefix
	Via netip.Addr
}

// Port is a built interface: where a capture or a marker goes.
type Port struct {
	Host  string
	Name  string // eth0
	Index int    // ifindex in the host's namespace
	MAC   net.HardwareAddr
	NS    *NS
	// The switch's end of the veth: its name and index in Lab.Switch.
	PeerName  string
	PeerIndex int
}

// ID is the port's capture-point name, host:ifname.
func (p Port) ID() string { return p.Host + ":" + p.Name }

// macFor returns the MAC address an interface gets when the lab names none:
// locally administered, 02:00 and then the interface's IPv4 address
// (10.0.0.10 is 02:00:0a:00:00:0a), so a person reading a capture can tell
// whose frame it is; without IPv4, 02:01, the host's and the interface's
// numbers.
func macFor(hostIndex, ifIndex int, addrs []netip.Prefix) net.HardwareAddr {
	for _, p := range addrs {
		if a := p.Addr(); a.Is4() {
			b := a.As4()
			return net.HardwareAddr{0x02, 0x00, b[0], b[1], b[2], b[3]}
		}
	}
	return net.HardwareAddr{0x02, 0x01, byte(hostIndex >> 8), byte(hostIndex), byte(ifIndex >> 8), byte(ifIndex)}
}

// Validate reports the first inconsistency of a spec that Build would trip
// over. The runner's topology decoder checks lab files with positions; this
// is the backstop for specs made in Go.
func (s *Spec) Validate() error {
	segs := map[string]bool{}
	for _, g := range s.Segments {
		if segs[g.Name] {
			return fmt.Errorf("segment %q is defined twice", g.Name)
		}
		segs[g.Name] = true
	}
	hosts := map[string]bool{}
	adopted := 0
	for _, h := range s.Hosts {
		if hosts[h.Name] {
			return fmt.Errorf("host %q is defined twice", h.Name)
		}
		hosts[h.Name] = true
		if h.Adopt {
			adopted++
		}
		names := map[string]bool{}
		for _, i := range h.Interfaces {
			if !segs[i.Segment] {
				return fmt.Errorf("host %q: interface %q: no segment %q", h.Name, i.Name, i.Segment)
			}
			if names[i.Name] || i.Name == "lo" || i.Name == "" {
				return fmt.Errorf("host %q: interface name %q is empty, lo or used twice", h.Name, i.Name)
			}
			names[i.Name] = true
		}
	}
	if adopted > 1 {
		return fmt.Errorf("%d hosts adopt the current namespace; at most one may", adopted)
	}
	walled := map[string]bool{}
	for _, f := range s.Firewalls {
		h := s.host(f.Host)
		if h == nil {
			return fmt.Errorf("firewall of %q: no such host", f.Host)
		}
		if walled[f.Host] {
			return fmt.Errorf("host %q has two firewalls", f.Host)
		}
		walled[f.Host] = true
		if err := f.Validate(); err != nil {
			return err
		}
		if !h.Forward && slices.ContainsFunc(f.Rules, func(r Rule) bool { return r.Direction == Forward }) {
			return fmt.Errorf("firewall of %q: direction forward needs a router", f.Host)
		}
	}
	wired := map[string]bool{}
	for _, l := range s.Links {
		host, ifname, _ := strings.Cut(l.Point, ":")
		h := s.host(host)
		if h == nil || !slices.ContainsFunc(h.Interfaces, func(i Interface) bool { return i.Name == ifname }) {
			return fmt.Errorf("link %q: no such host interface", l.Point)
		}
		if wired[l.Point] {
			return fmt.Errorf("link %q is impaired twice", l.Point)
		}
		wired[l.Point] = true
		if err := l.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Spec) host(name string) *Host {
	for i := range s.Hosts {
		if s.Hosts[i].Name == name {
			return &s.Hosts[i]
		}
	}
	return nil
}
