package netlab

import (
	"fmt"
	"net/netip"
	"slices"
)

// Firewall is one host's packet filter: rules tried in order, the first that
// matches a packet decides its fate; a packet no rule matches is accepted.
// Two rules come first, always: packets of a connection already let through
// (and the ICMP errors about it) are accepted, and so is everything on lo.
type Firewall struct {
	Host  string
	Rules []Rule
}

// Rule actions.
const (
	Accept = "accept"
	Drop   = "drop"   // silence: a port scan reads filtered
	Reject = "reject" // an answer: a TCP reset (closed) or ICMP port unreachable
)

// Rule directions: which of the host's packets a rule looks at.
const (
	In      = "in"      // packets to the host
	Out     = "out"     // packets from the host
	Forward = "forward" // packets a router passes on
)

// What a reject answers with (Rule.RejectWith).
const (
	WithTCPReset        = "tcp-reset"
	WithPortUnreachable = "port-unreachable"
	WithHostUnreachable = "host-unreachable"
	WithNetUnreachable  = "net-unreachable"
	WithAdminProhibited = "admin-prohibited"
)

// Actions, Directions, Protocols and RejectWiths list the values a rule may
// take, in the order the docs give them.
var (
	Actions     = []string{Accept, Drop, Reject}
	Directions  = []string{In, Out, Forward}
	Protocols   = []string{"tcp", "udp", "icmp", "icmpv6"}
	RejectWiths = []string{WithTCPReset, WithPortUnreachable, WithHostUnreachable, WithNetUnreachable, WithAdminProhibited}
)

// Rule is one firewall rule. Zero fields match anything; lists match any of
// their items.
type Rule struct {
	Action    string `json:"action"`
	Direction string `json:"direction,omitempty"` // "" is In
	Proto     string `json:"proto,omitempty"`     // tcp, udp, icmp, icmpv6; "" any
	// Ports are destination ports, SourcePorts source ports (tcp and udp).
	Ports       []PortRange    `json:"ports,omitempty"`
	SourcePorts []PortRange    `json:"source_ports,omitempty"`
	From        []netip.Prefix `json:"from,omitempty"` // source addresses
	To          []netip.Prefix `json:"to,omitempty"`   // destination addresses
	// RejectWith is what a reject answers: "" is a TCP reset for TCP and
	// ICMP port unreachable for anything else.
	RejectWith string `json:"reject_with,omitempty"`
}

// PortRange is the ports Lo to Hi, both included.
type PortRange struct {
	Lo uint16 `json:"lo"`
	Hi uint16 `json:"hi"`
}

func (r PortRange) String() string {
	if r.Lo == r.Hi {
		return fmt.Sprint(r.Lo)
	}
	return fmt.Sprintf("%d-%d", r.Lo, r.Hi)
}

// Validate reports what a firewall could not be installed with.
func (f *Firewall) Validate() error {
	for i, r := range f.Rules {
		if err := r.validate(); err != nil {
			return fmt.Errorf("firewall of %q: rule %d: %w", f.Host, i+1, err)
		}
	}
	return nil
}

func (r *Rule) validate() error {
	if !slices.Contains(Actions, r.Action) {
		return fmt.Errorf("action %q is not one of %v", r.Action, Actions)
	}
	if r.Direction != "" && !slices.Contains(Directions, r.Direction) {
		return fmt.Errorf("direction %q is not one of %v", r.Direction, Directions)
	}
	if r.Proto != "" && !slices.Contains(Protocols, r.Proto) {
		return fmt.Errorf("proto %q is not one of %v", r.Proto, Protocols)
	}
	if (len(r.Ports) > 0 || len(r.SourcePorts) > 0) && r.Proto != "tcp" && r.Proto != "udp" {
		return fmt.Errorf("ports need proto tcp or udp")
	}
	for _, p := range append(slices.Clone(r.Ports), r.SourcePorts...) {
		if p.Lo > p.Hi || p.Lo == 0 {
			return fmt.Errorf("port range %s is empty or starts at 0", p)
		}
	}
	if r.RejectWith != "" {
		if r.Action != Reject {
			return fmt.Errorf("reject_with needs action reject")
		}
		if !slices.Contains(RejectWiths, r.RejectWith) {
			return fmt.Errorf("reject_with %q is not one of %v", r.RejectWith, RejectWiths)
		}
		if r.RejectWith == WithTCPReset && r.Proto != "tcp" {
			return fmt.Errorf("reject_with tcp-reset needs proto tcp")
		}
	}
	if r.Proto == "icmp" && (hasFamily(r.From, false) || hasFamily(r.To, false)) ||
		r.Proto == "icmpv6" && (hasFamily(r.From, true) || hasFamily(r.To, true)) {
		return fmt.Errorf("proto %s does not go with addresses of the other family", r.Proto)
	}
	if len(r.From) > 0 && len(r.To) > 0 && !hasFamily(r.From, true) && !hasFamily(r.To, false) ||
		len(r.From) > 0 && len(r.To) > 0 && !hasFamily(r.From, false) && !hasFamily(r.To, true) {
		return fmt.Errorf("from and to have no address family in common: the rule matches nothing")
	}
	return nil
}

// hasFamily says whether ps holds an IPv4 (v4) or IPv6 (!v4) prefix.
func hasFamily(ps []netip.Prefix, v4 bool) bool {
	return slices.ContainsFunc(ps, func(p netip.Prefix) bool { return p.Addr().Is4() == v4 })
}
