package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// IPv6CP (PPP protocol 0x8057, RFC 5072), which configures IPv6 on a PPP
// link, as Wireshark's ipv6cp dissector shows it: its code, identifier and
// length are ppp.code, ppp.identifier and ppp.length (ppp.go); the options
// of a Configure-Request, -Ack, -Nak or -Reject: type and length of each
// and the interface identifier (the compression option's protocol is not
// shown). Info is the code's name ("Configuration Request").
var ipv6cpProto = protocol{
	name: "ipv6cp", title: "IPv6CP", desc: "PPP IPv6 Control Protocol", example: "ipv6cp",
	info:  func(p *Packet) (string, string) { return p.cpColumns() },
	shown: cpShown,
	fields: []field{
		{name: "ipv6cp.opt.type", typ: filter.Uint, bits: 8, desc: "Type of an option: 1 interface identifier, 2 IPv6 compression protocol", example: "ipv6cp.opt.type == 1",
			get: ipv6cpOpt(-1, cpOptionU(0, 1))},
		{name: "ipv6cp.opt.length", typ: filter.Uint, bits: 8, desc: "Length of an option, its type and length included", example: "ipv6cp.opt.length == 10",
			get: ipv6cpOpt(-1, cpOptionU(1, 1))},
		{name: "ipv6cp.interface_identifier", typ: filter.Bytes, colon: true, desc: "Interface identifier (option 1): the low 64 bits of the link-local address", example: "ipv6cp.interface_identifier == 02:11:22:33:44:55:66:77",
			get: ipv6cpOpt(1, func(o []byte, dst []filter.Value) []filter.Value { return append(dst, filter.Value{B: o[2:]}) })},
	},
}

// ipv6cpOptionLens are the lengths Wireshark allows IPv6CP's options.
var ipv6cpOptionLens = map[byte]cpOptionLen{1: {10, false}, 2: {4, true}}

func ipv6cpOpt(typ int, val func(o []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return cpOptionGet(0x8057, ipv6cpOptionLens, typ, val)
}
