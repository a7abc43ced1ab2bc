package capture

import (
	"slices"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// otherProto is what tshark decodes and wirelab only recognises: a payload on
// an IP protocol number, a port, an EtherType or a GRE protocol type that a
// dissector of tshark's takes whatever it holds (tshark_dissectors.go), and
// no decoder here takes. Its protocol is named in frame.protocols
// (eth:ethertype:ip:esp) and is a filter field (esp, ospf, bgp) present on
// such packets, its payload is not data; its own fields are not decoded.
var otherProto = protocol{
	name: "other", title: "Recognised, not decoded", noField: true,
	desc: "Protocols tshark decodes that wirelab recognises by their number or port only",
	chain: func(p *Packet, b []byte) []byte {
		if p.other == "" {
			return b
		}
		return appendProto(b, p.other)
	},
	fields: otherFields(),
}

// setOther records that p's payload is tshark's protocol name (none for "");
// it reports whether there is one.
func (p *Packet) setOther(name string) bool {
	if name == "" {
		return false
	}
	p.other = name
	p.has |= otherProto.bit
	return true
}

// otherFields are the presence fields of the protocols tshark_dissectors.go
// names, one per name.
func otherFields() []field {
	by := map[string]string{}
	for _, t := range []struct {
		how string
		m   map[uint16]string
	}{{"UDP port", tsharkUDPPorts}, {"TCP port", tsharkTCPPorts}, {"EtherType", tsharkEtherTypes}, {"GRE protocol type", tsharkGREProtos}} {
		for _, n := range t.m {
			by[n] = t.how
		}
	}
	for _, n := range tsharkIPProtos {
		by[n] = "IP protocol number"
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]field, len(names))
	for i, n := range names {
		out[i] = field{name: n, typ: filter.None, desc: "tshark's " + n + ", recognised by its " + by[n] + " (not decoded)", example: n,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.other == n {
					dst = u(dst, 0)
				}
				return dst
			}}
	}
	return out
}
