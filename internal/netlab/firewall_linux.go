package netlab

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
)

// Kernel constants (linux/netfilter.h, nf_tables.h), named here rather than
// taken from x/sys.
const (
	nfprotoIPv4 = 2
	nfprotoIPv6 = 10

	rejectTCPReset     = 1 // NFT_REJECT_TCP_RST
	rejectICMPXUnreach = 2 // NFT_REJECT_ICMPX_UNREACH
)

// icmpxCodes are NFT_REJECT_ICMPX_*: one code for both families.
var icmpxCodes = map[string]uint8{
	WithNetUnreachable:  0,
	WithPortUnreachable: 1,
	WithHostUnreachable: 2,
	WithAdminProhibited: 3,
}

var l4protos = map[string]byte{"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}

// installFirewall puts fw into ns as one nftables table, "wirelab" (family
// inet: IPv4 and IPv6), with a base chain per direction that has rules. The
// netlink socket is made in ns's thread, so it talks to ns's nftables.
func installFirewall(ns *NS, fw Firewall) error {
	return ns.Do(func() error {
		c, err := nftables.New(nftables.AsLasting())
		if err != nil {
			return fmt.Errorf("nftables: %w", err)
		}
		defer c.CloseLasting()
		t := c.AddTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: "wirelab"})
		hooks := map[string]*nftables.ChainHook{In: nftables.ChainHookInput, Out: nftables.ChainHookOutput, Forward: nftables.ChainHookForward}
		chains := map[string]*nftables.Chain{}
		accept := nftables.ChainPolicyAccept
		for _, dir := range Directions {
			if !usesDirection(fw.Rules, dir) {
				continue
			}
			ch := c.AddChain(&nftables.Chain{
				Name: dir, Table: t, Type: nftables.ChainTypeFilter,
				Hooknum: hooks[dir], Priority: nftables.ChainPriorityFilter, Policy: &accept,
			})
			chains[dir] = ch
			// A stateful firewall: what belongs to a connection let through
			// passes, and lo is the host talking to itself.
			c.AddRule(&nftables.Rule{Table: t, Chain: ch, Exprs: []expr.Any{
				&expr.Ct{Register: 1, Key: expr.CtKeySTATE},
				&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 4,
					Mask: native32(expr.CtStateBitESTABLISHED | expr.CtStateBitRELATED), Xor: native32(0)},
				&expr.Cmp{Op: expr.CmpOpNeq, Register: 1, Data: native32(0)},
				&expr.Verdict{Kind: expr.VerdictAccept},
			}})
			if dir != Forward {
				key := expr.MetaKeyIIF
				if dir == Out {
					key = expr.MetaKeyOIF
				}
				c.AddRule(&nftables.Rule{Table: t, Chain: ch, Exprs: []expr.Any{
					&expr.Meta{Key: key, Register: 1},
					&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: native32(1)}, // lo is ifindex 1 in every namespace
					&expr.Verdict{Kind: expr.VerdictAccept},
				}})
			}
		}
		for _, r := range fw.Rules {
			dir := r.Direction
			if dir == "" {
				dir = In
			}
			for _, exprs := range ruleExprs(r) {
				c.AddRule(&nftables.Rule{Table: t, Chain: chains[dir], Exprs: exprs})
			}
		}
		if err := c.Flush(); err != nil {
			return fmt.Errorf("nftables: %w", err)
		}
		return nil
	})
}

func usesDirection(rules []Rule, dir string) bool {
	for _, r := range rules {
		if r.Direction == dir || r.Direction == "" && dir == In {
			return true
		}
	}
	return false
}

// ruleExprs turns one rule into nftables rules: one per combination of its
// source, destination and port lists (a lab's rules are few and short).
func ruleExprs(r Rule) [][]expr.Any {
	opt := func(ps []netip.Prefix) []*netip.Prefix {
		if len(ps) == 0 {
			return []*netip.Prefix{nil}
		}
		out := make([]*netip.Prefix, len(ps))
		for i := range ps {
			out[i] = &ps[i]
		}
		return out
	}
	optPorts := func(ps []PortRange) []*PortRange {
		if len(ps) == 0 {
			return []*PortRange{nil}
		}
		out := make([]*PortRange, len(ps))
		for i := range ps {
			out[i] = &ps[i]
		}
		return out
	}
	var out [][]expr.Any
	for _, from := range opt(r.From) {
		for _, to := range opt(r.To) {
			if from != nil && to != nil && from.Addr().Is4() != to.Addr().Is4() {
				continue // no packet is both
			}
			for _, dport := range optPorts(r.Ports) {
				for _, sport := range optPorts(r.SourcePorts) {
					out = append(out, oneRule(r, from, to, dport, sport))
				}
			}
		}
	}
	return out
}

func oneRule(r Rule, from, to *netip.Prefix, dport, sport *PortRange) []expr.Any {
	var e []expr.Any
	family := 0
	switch {
	case from != nil && from.Addr().Is4(), to != nil && to.Addr().Is4(), r.Proto == "icmp":
		family = nfprotoIPv4
	case from != nil, to != nil, r.Proto == "icmpv6":
		family = nfprotoIPv6
	}
	if family != 0 {
		e = append(e,
			&expr.Meta{Key: expr.MetaKeyNFPROTO, Register: 1},
			&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{byte(family)}})
	}
	if r.Proto != "" {
		e = append(e,
			&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1},
			&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{l4protos[r.Proto]}})
	}
	addr := func(p *netip.Prefix, off4, off6 uint32) {
		if p == nil {
			return
		}
		a := p.Masked().Addr().AsSlice()
		off := off4
		if !p.Addr().Is4() {
			off = off6
		}
		e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: off, Len: uint32(len(a))})
		if p.Bits() < p.Addr().BitLen() {
			mask := make([]byte, len(a))
			for i := 0; i < p.Bits(); i++ {
				mask[i/8] |= 0x80 >> (i % 8)
			}
			e = append(e, &expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: uint32(len(a)), Mask: mask, Xor: make([]byte, len(a))})
		}
		e = append(e, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: a})
	}
	addr(from, 12, 8)
	addr(to, 16, 24)
	port := func(pr *PortRange, off uint32) {
		if pr == nil {
			return
		}
		e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: off, Len: 2})
		lo, hi := binary.BigEndian.AppendUint16(nil, pr.Lo), binary.BigEndian.AppendUint16(nil, pr.Hi)
		if pr.Lo == pr.Hi {
			e = append(e, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: lo})
		} else {
			e = append(e, &expr.Range{Op: expr.CmpOpEq, Register: 1, FromData: lo, ToData: hi})
		}
	}
	port(dport, 2)
	port(sport, 0)
	switch r.Action {
	case Accept:
		e = append(e, &expr.Verdict{Kind: expr.VerdictAccept})
	case Drop:
		e = append(e, &expr.Verdict{Kind: expr.VerdictDrop})
	case Reject:
		with := r.RejectWith
		if with == "" {
			with = WithPortUnreachable
			if r.Proto == "tcp" {
				with = WithTCPReset
			}
		}
		if with == WithTCPReset {
			e = append(e, &expr.Reject{Type: rejectTCPReset})
		} else {
			e = append(e, &expr.Reject{Type: rejectICMPXUnreach, Code: icmpxCodes[with]})
		}
	}
	return e
}

// native32 is v in the host's byte order, as nftables keeps meta and ct
// values.
func native32(v uint32) []byte {
	return binary.NativeEndian.AppendUint32(nil, v)
}
