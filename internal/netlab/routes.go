package netlab

import "net/netip"

// AddRoutes gives every host a route to every segment it is not on, through
// the first router on a shortest path (fewest routers) to it: so everyone
// reaches everyone, IPv4 and IPv6 alike. Routes a host already has for a
// prefix are kept.
func AddRoutes(spec *Spec) {
	prefixes := map[string][]netip.Prefix{}
	for _, g := range spec.Segments {
		for _, p := range g.Prefixes {
			prefixes[g.Name] = append(prefixes[g.Name], p.Masked())
		}
	}
	// routers on each segment, with their address there per family.
	type hop struct {
		host  int
		addrs []netip.Addr
	}
	onSeg := map[string][]hop{}
	for i, h := range spec.Hosts {
		if !h.Forward {
			continue
		}
		for _, ifc := range h.Interfaces {
			var as []netip.Addr
			for _, a := range ifc.Addrs {
				as = append(as, a.Addr())
			}
			onSeg[ifc.Segment] = append(onSeg[ifc.Segment], hop{i, as})
		}
	}
	for hi := range spec.Hosts {
		h := &spec.Hosts[hi]
		have := map[netip.Prefix]bool{}
		for _, r := range h.Routes {
			have[r.Dst.Masked()] = true
		}
		// Breadth first over segments: dist to each, and the gateway of the
		// first hop (an address on one of h's own segments).
		type via struct{ gw []netip.Addr }
		reached := map[string]via{}
		var queue []string
		for _, ifc := range h.Interfaces {
			if _, ok := reached[ifc.Segment]; !ok {
				reached[ifc.Segment] = via{}
				queue = append(queue, ifc.Segment)
			}
		}
		for len(queue) > 0 {
			seg := queue[0]
			queue = queue[1:]
			for _, r := range onSeg[seg] {
				if r.host == hi {
					continue // a router does not route through itself
				}
				gw := reached[seg].gw
				if gw == nil {
					gw = r.addrs // first hop: the router's address on h's segment
				}
				for _, ifc := range spec.Hosts[r.host].Interfaces {
					if _, ok := reached[ifc.Segment]; ok {
						continue
					}
					reached[ifc.Segment] = via{gw}
					queue = append(queue, ifc.Segment)
				}
			}
		}
		for _, g := range spec.Segments {
			v, ok := reached[g.Name]
			if !ok || v.gw == nil {
				continue // h's own segment, or unreachable
			}
			for _, p := range prefixes[g.Name] {
				if have[p] {
					continue
				}
				for _, gw := range v.gw {
					if gw.Is4() == p.Addr().Is4() {
						h.Routes = append(h.Routes, Route{Dst: p, Via: gw})
						have[p] = true
						break
					}
				}
			}
		}
	}
}
