package netlab

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
)

// Lab is a built network. Close tears it down.
type Lab struct {
	sw    *NS
	hosts map[string]*NS
	order []*NS
	ports map[string][]Port // by host, in interface order
	wires map[string]*wire  // by point, host:ifname
	// carrierWait is how long Build waited for its interfaces to carry
	// (the benchmarks report it).
	carrierWait time.Duration
}

// Build creates spec's network: the switch namespace with a bridge per
// segment, a namespace per host (or the adopted current one) with lo up, a
// veth per interface (the host's end named as the interface, the switch's end
// enslaved to the segment's bridge), addresses and routes. On error nothing
// is left: the namespaces built so far are closed.
func Build(spec Spec) (*Lab, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	l := &Lab{hosts: map[string]*NS{}, ports: map[string][]Port{}, wires: map[string]*wire{}}
	if err := l.build(&spec); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func (l *Lab) build(spec *Spec) error {
	sw, err := newNS("switch", false)
	if err != nil {
		return err
	}
	l.sw = sw
	var swh *netlink.Handle
	bridges := map[string]int{}
	err = sw.Do(func() error {
		// Bridges and the switch's veth ends carry no addresses: without
		// IPv6 on them they send nothing of their own (no router
		// solicitations, no MLD reports) into the segments.
		if err := sysctls(map[string]string{
			"net/ipv6/conf/default/disable_ipv6": "1",
			"net/ipv6/conf/all/disable_ipv6":     "1",
		}); err != nil {
			return err
		}
		keepOrder()
		h, err := netlink.NewHandle()
		if err != nil {
			return fmt.Errorf("netlink: %w", err)
		}
		swh = h
		return nil
	})
	if err != nil {
		return fmt.Errorf("the switch: %w", err)
	}
	defer swh.Close()
	for i, g := range spec.Segments {
		la := netlink.NewLinkAttrs()
		la.Name = fmt.Sprintf("br%d", i)
		la.Flags = net.FlagUp
		no := false
		br := &netlink.Bridge{LinkAttrs: la, MulticastSnooping: &no}
		if err := swh.LinkAdd(br); err != nil {
			return fmt.Errorf("segment %q: bridge: %w", g.Name, err)
		}
		link, err := swh.LinkByName(la.Name)
		if err != nil {
			return fmt.Errorf("segment %q: bridge: %w", g.Name, err)
		}
		bridges[g.Name] = link.Attrs().Index
	}
	for hi, h := range spec.Hosts {
		if err := l.buildHost(spec, hi, h, swh, bridges); err != nil {
			return fmt.Errorf("host %q: %w", h.Name, err)
		}
	}
	l.waitCarriers()
	return nil
}

// carrierWait bounds how long Build waits for its interfaces to carry.
const carrierWait = 10 * time.Second

// waitCarriers waits until every interface Build made carries frames. A veth
// whose peer comes up later gets its carrier from the kernel's link-watch
// worker, asynchronously: until then its queue discipline is noop, which
// drops what is sent through it without an error (a UDP datagram sent at
// once was lost, on a loaded machine by the hundred), and a bridge port stays
// disabled. An interface is ready when its operational state is up and its
// root queue discipline is no longer noop; a bridge port, when the bridge
// forwards through it. The bridges themselves are not waited for: they send
// nothing of their own, and the link-watch worker handles a bridge's carrier
// at most once a second, which made every Build take about a second. After
// carrierWait the lab is used as it is: a slow kernel delays frames, it does
// not fail the run.
func (l *Lab) waitCarriers() {
	start := time.Now()
	defer func() { l.carrierWait = time.Since(start) }()
	deadline := start.Add(carrierWait)
	check := func(ns *NS, names []string) {
		ns.Do(func() error {
			h, err := netlink.NewHandle()
			if err != nil {
				return err
			}
			defer h.Close()
			for {
				links, err := h.LinkList()
				if err != nil {
					return err
				}
				var forwarding map[int]bool
				waiting := false
				for _, lk := range links {
					a := lk.Attrs()
					if a.Flags&net.FlagUp == 0 || a.Flags&net.FlagLoopback != 0 || (names != nil && !slices.Contains(names, a.Name)) || lk.Type() == "bridge" {
						continue
					}
					if a.OperState != netlink.OperUp || noopQdisc(h, lk) {
						waiting = true
						break
					}
					if a.MasterIndex != 0 {
						if forwarding == nil {
							forwarding = forwardingPorts()
						}
						if !forwarding[a.Index] {
							waiting = true
							break
						}
					}
				}
				if !waiting || time.Now().After(deadline) {
					return nil
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
	check(l.sw, nil) // the switch holds only what Build made
	for _, ns := range l.order {
		var names []string
		for _, p := range l.ports[ns.Name()] {
			names = append(names, p.Name)
		}
		if len(names) > 0 {
			check(ns, names)
		}
	}
}

// brStateForwarding is BR_STATE_FORWARDING, a bridge port's state when it
// passes frames.
const brStateForwarding = 3

// forwardingPorts is the bridge ports of the calling thread's namespace that
// forward (IFLA_BRPORT_STATE of an AF_BRIDGE link dump), by index; nil when
// the dump fails.
func forwardingPorts() map[int]bool {
	req := nl.NewNetlinkRequest(syscall.RTM_GETLINK, syscall.NLM_F_DUMP)
	req.AddData(nl.NewIfInfomsg(syscall.AF_BRIDGE))
	msgs, err := req.Execute(syscall.NETLINK_ROUTE, 0)
	if err != nil {
		return nil
	}
	out := map[int]bool{}
	for _, m := range msgs {
		info := nl.DeserializeIfInfomsg(m)
		attrs, err := nl.ParseRouteAttr(m[info.Len():])
		if err != nil {
			continue
		}
		for _, a := range attrs {
			if a.Attr.Type&^syscall.NLA_F_NESTED != syscall.IFLA_PROTINFO {
				continue
			}
			port, err := nl.ParseRouteAttr(a.Value)
			if err != nil {
				continue
			}
			for _, p := range port {
				if p.Attr.Type == nl.IFLA_BRPORT_STATE && len(p.Value) > 0 && p.Value[0] == brStateForwarding {
					out[int(info.Index)] = true
				}
			}
		}
	}
	return out
}

// noopQdisc says whether a link's root queue discipline is still noop: the
// kernel has not activated its transmit queue.
func noopQdisc(h *netlink.Handle, lk netlink.Link) bool {
	qs, err := h.QdiscList(lk)
	if err != nil {
		return false
	}
	for _, q := range qs {
		if q.Attrs().Parent == netlink.HANDLE_ROOT && q.Type() == "noop" {
			return true
		}
	}
	return false
}

func (l *Lab) buildHost(spec *Spec, hi int, h Host, swh *netlink.Handle, bridges map[string]int) error {
	ns, err := newNS(h.Name, h.Adopt)
	if err != nil {
		return err
	}
	l.hosts[h.Name] = ns
	l.order = append(l.order, ns)
	v6 := false
	for _, i := range h.Interfaces {
		for _, a := range i.Addrs {
			v6 = v6 || !a.Addr().Is4()
		}
	}
	var hh *netlink.Handle
	err = ns.Do(func() error {
		set := map[string]string{
			// Every ICMP error the kernel would send is sent: a port scan or
			// a traceroute must not depend on a rate limit's timing.
			"net/ipv4/icmp_ratelimit": "0",
		}
		if v6 {
			set["net/ipv6/icmp/ratelimit"] = "0"
			set["net/ipv6/conf/default/accept_dad"] = "0"
			set["net/ipv6/conf/default/router_solicitations"] = "0"
		} else if len(h.Interfaces) > 0 {
			// An IPv4 host's Ethernet interfaces stay quiet in IPv6 (no
			// link-local address, no MLD, no router solicitation): the
			// capture shows the lab's traffic only.
			set["net/ipv6/conf/default/disable_ipv6"] = "1"
		}
		if h.Forward {
			set["net/ipv4/ip_forward"] = "1"
			set["net/ipv6/conf/all/forwarding"] = "1"
		}
		if err := sysctls(set); err != nil {
			return err
		}
		keepOrder()
		hd, err := netlink.NewHandle()
		if err != nil {
			return fmt.Errorf("netlink: %w", err)
		}
		hh = hd
		return nil
	})
	if err != nil {
		return err
	}
	defer hh.Close()
	lo, err := hh.LinkByName("lo")
	if err != nil {
		return fmt.Errorf("lo: %w", err)
	}
	if err := hh.LinkSetUp(lo); err != nil {
		return fmt.Errorf("lo up: %w", err)
	}
	for _, a := range h.Loopback {
		if a.IsLoopback() {
			continue // 127.0.0.0/8 and ::1 come with lo
		}
		if err := addAddr(hh, lo, netip.PrefixFrom(a, a.BitLen())); err != nil {
			return fmt.Errorf("lo: %w", err)
		}
	}
	for ii, ifc := range h.Interfaces {
		mac := ifc.MAC
		if mac == nil {
			mac = macFor(hi, ii, ifc.Addrs)
		}
		la := netlink.NewLinkAttrs()
		la.Name = fmt.Sprintf("h%di%d", hi, ii)
		la.Flags = net.FlagUp
		la.MasterIndex = bridges[ifc.Segment]
		link := spec.link(h.Name + ":" + ifc.Name)
		if link != nil {
			la.MasterIndex = 0 // the wire joins it to the segment
		}
		veth := &netlink.Veth{LinkAttrs: la, PeerName: ifc.Name, PeerHardwareAddr: mac, PeerNamespace: netlink.NsFd(ns.Fd())}
		if err := swh.LinkAdd(veth); err != nil {
			return fmt.Errorf("%s: veth: %w", ifc.Name, err)
		}
		swEnd, err := swh.LinkByName(la.Name)
		if err != nil {
			return fmt.Errorf("%s: veth: %w", ifc.Name, err)
		}
		hostEnd, err := hh.LinkByName(ifc.Name)
		if err != nil {
			return fmt.Errorf("%s: %w", ifc.Name, err)
		}
		for _, a := range ifc.Addrs {
			if err := addAddr(hh, hostEnd, a); err != nil {
				return fmt.Errorf("%s: %w", ifc.Name, err)
			}
		}
		if err := hh.LinkSetUp(hostEnd); err != nil {
			return fmt.Errorf("%s up: %w", ifc.Name, err)
		}
		if link != nil {
			if err := l.wireUp(*link, ns, ifc.Name, swh, swEnd, fmt.Sprintf("w%di%d", hi, ii), bridges[ifc.Segment]); err != nil {
				return fmt.Errorf("%s: impaired link: %w", ifc.Name, err)
			}
		}
		l.ports[h.Name] = append(l.ports[h.Name], Port{
			Host: h.Name, Name: ifc.Name, Index: hostEnd.Attrs().Index, MAC: mac, NS: ns,
			PeerName: la.Name, PeerIndex: swEnd.Attrs().Index,
		})
	}
	for _, r := range h.Routes {
		dst := &net.IPNet{IP: r.Dst.Addr().AsSlice(), Mask: net.CIDRMask(r.Dst.Bits(), r.Dst.Addr().BitLen())}
		route := &netlink.Route{Dst: dst, Gw: r.Via.AsSlice()}
		if err := hh.RouteAdd(route); err != nil {
			return fmt.Errorf("route to %s via %s: %w", r.Dst, r.Via, err)
		}
	}
	for _, fw := range spec.Firewalls {
		if fw.Host == h.Name {
			if err := installFirewall(ns, fw); err != nil {
				return fmt.Errorf("firewall: %w", err)
			}
		}
	}
	return nil
}

// wireUp joins a host's interface to its segment through a wire: a second
// veth pair in the switch namespace, one end (name) on the bridge, the other
// (name+"t") the wire's; the host's own veth end in the switch, swEnd, is the
// wire's other side. Offloads go off where frames enter the wire (the host's
// interface, the bridge's veth), so it reads real frames, checksums done.
func (l *Lab) wireUp(lk Link, ns *NS, ifname string, swh *netlink.Handle, swEnd netlink.Link, name string, bridge int) error {
	la := netlink.NewLinkAttrs()
	la.Name = name
	la.Flags = net.FlagUp
	la.MasterIndex = bridge
	if err := swh.LinkAdd(&netlink.Veth{LinkAttrs: la, PeerName: name + "t"}); err != nil {
		return fmt.Errorf("veth: %w", err)
	}
	wireEnd, err := swh.LinkByName(name + "t")
	if err != nil {
		return err
	}
	if err := swh.LinkSetUp(wireEnd); err != nil {
		return err
	}
	if err := ns.Do(func() error { return noOffloads(ifname) }); err != nil {
		return err
	}
	err = l.sw.Do(func() error {
		for _, n := range []string{name, name + "t", swEnd.Attrs().Name} {
			if err := noOffloads(n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w, err := startWire(l.sw, lk, swEnd.Attrs().Index, wireEnd.Attrs().Index)
	if err != nil {
		return err
	}
	l.wires[lk.Point] = w
	return nil
}

// WireStats returns what the wire of an impaired link did so far, each way;
// ok is false when the point has no wire.
func (l *Lab) WireStats(point string) (out, in WireStats, ok bool) {
	w := l.wires[point]
	if w == nil {
		return WireStats{}, WireStats{}, false
	}
	return w.out.snapshot(), w.in.snapshot(), true
}

// ifaFNoDAD is IFA_F_NODAD: an IPv6 address usable at once, without
// duplicate address detection (nobody else is on a lab's segment by surprise).
const ifaFNoDAD = 0x02

func addAddr(h *netlink.Handle, link netlink.Link, p netip.Prefix) error {
	a := &netlink.Addr{IPNet: &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}}
	if !p.Addr().Is4() {
		a.Flags = ifaFNoDAD
	}
	if err := h.AddrAdd(link, a); err != nil && !errors.Is(err, syscall.EEXIST) {
		return fmt.Errorf("address %s: %w", p, err)
	}
	return nil
}

// keepOrder makes the interfaces created from now on in the calling thread's
// network namespace hand each flow's frames to one CPU (receive packet
// steering over every CPU). A veth delivers a frame into the backlog of the
// CPU that sent it, so two frames of one connection sent from two CPUs
// (a delayed ACK from a timer, the FIN from close()) could arrive in the
// wrong order: the peer, in TIME_WAIT already, answered the stale ACK and
// the closed server reset it, and a client that closed cleanly failed "no
// resets" (3000 connect/close cycles: 0–15 RSTs a run from the lab's web
// service). Kernels before 6.2 have no rps_default_mask: nothing is set.
func keepOrder() {
	os.WriteFile("/proc/sys/net/core/rps_default_mask", []byte(cpuMask(runtime.NumCPU())), 0)
}

// cpuMask is the sysfs CPU mask of CPUs 0..n-1: hexadecimal, in groups of
// 32 CPUs separated by commas, the highest first.
func cpuMask(n int) string {
	var groups []string
	for ; n > 0; n -= 32 {
		bits := uint64(1)<<min(n, 32) - 1
		groups = append([]string{fmt.Sprintf("%x", bits)}, groups...)
	}
	return strings.Join(groups, ",")
}

// sysctls writes /proc/sys entries of the calling thread's network namespace.
func sysctls(set map[string]string) error {
	for k, v := range set {
		if err := os.WriteFile("/proc/sys/"+k, []byte(v), 0); err != nil {
			return fmt.Errorf("sysctl %s: %w", k, err)
		}
	}
	return nil
}

// Host returns a host's namespace, nil when there is none of that name.
func (l *Lab) Host(name string) *NS { return l.hosts[name] }

// Switch returns the namespace that holds the segments' bridges.
func (l *Lab) Switch() *NS { return l.sw }

// Ports returns a host's Ethernet interfaces, in order.
func (l *Lab) Ports(host string) []Port { return l.ports[host] }

// Close tears the lab down: it drops every namespace's descriptor and thread;
// the kernel frees each namespace, with its interfaces, once no socket or
// process holds it any more. An adopted namespace stays, as it was found
// (less what Build added to it).
func (l *Lab) Close() {
	for _, w := range l.wires {
		w.close()
	}
	for _, ns := range l.order {
		ns.close()
	}
	if l.sw != nil {
		l.sw.close()
	}
}
