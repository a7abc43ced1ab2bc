package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// IPCP (PPP protocol 0x8021, RFC 1332), which configures IPv4 on a PPP
// link, as Wireshark's ipcp dissector shows it: its code, identifier and
// length are ppp.code, ppp.identifier and ppp.length (ppp.go); the options
// of a Configure-Request, -Ack, -Nak or -Reject: type and length of each,
// the IP address, the DNS and NBNS servers (RFC 1877) and the compression
// protocol (its parameters are not shown). Info is the code's name
// ("Configuration Request").
var ipcpProto = protocol{
	name: "ipcp", title: "IPCP", desc: "PPP IP Control Protocol", example: "ipcp",
	info:  func(p *Packet) (string, string) { return p.cpColumns() },
	shown: cpShown,
	fields: []field{
		{name: "ipcp.opt.type", typ: filter.Uint, bits: 8, desc: "Type of an option: 2 IP compression protocol, 3 IP address, 129 primary DNS, 130 primary NBNS, 131 secondary DNS, 132 secondary NBNS", example: "ipcp.opt.type == 3",
			get: ipcpOpt(-1, cpOptionU(0, 1))},
		{name: "ipcp.opt.length", typ: filter.Uint, bits: 8, desc: "Length of an option, its type and length included", example: "ipcp.opt.length == 6",
			get: ipcpOpt(-1, cpOptionU(1, 1))},
		{name: "ipcp.opt.ip_address", typ: filter.IPv4, desc: "IP address (option 3): the sender's, or 0.0.0.0 asking for one; in a Nak the one to use", example: "ipcp.opt.ip_address == 10.0.0.1",
			get: ipcpOpt(3, cpOptionU(2, 4))},
		{name: "ipcp.opt.pri_dns_address", typ: filter.IPv4, desc: "Primary DNS server (option 129)", example: "ipcp.opt.pri_dns_address == 8.8.8.8",
			get: ipcpOpt(129, cpOptionU(2, 4))},
		{name: "ipcp.opt.sec_dns_address", typ: filter.IPv4, desc: "Secondary DNS server (option 131)", example: "ipcp.opt.sec_dns_address == 8.8.4.4",
			get: ipcpOpt(131, cpOptionU(2, 4))},
		{name: "ipcp.opt.pri_nbns_address", typ: filter.IPv4, desc: "Primary NBNS (WINS) server (option 130)", example: "ipcp.opt.pri_nbns_address",
			get: ipcpOpt(130, cpOptionU(2, 4))},
		{name: "ipcp.opt.sec_nbns_address", typ: filter.IPv4, desc: "Secondary NBNS (WINS) server (option 132)", example: "ipcp.opt.sec_nbns_address",
			get: ipcpOpt(132, cpOptionU(2, 4))},
		{name: "ipcp.opt.compress_proto", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "IP compression protocol (option 2): 0x002d Van Jacobson, 0x0061 IPHC, 0x0003 ROHC", example: "ipcp.opt.compress_proto == 0x002d",
			get: ipcpOpt(2, cpOptionU(2, 2))},
	},
}

// ipcpOptionLens are the lengths Wireshark allows IPCP's options (IP
// addresses, compression, IP address, mobile IPv4, DNS and NBNS servers).
var ipcpOptionLens = map[byte]cpOptionLen{1: {10, false}, 2: {4, true}, 3: {6, false}, 4: {6, false}, 129: {6, false}, 130: {6, false}, 131: {6, false}, 132: {6, false}}

func ipcpOpt(typ int, val func(o []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return cpOptionGet(0x8021, ipcpOptionLens, typ, val)
}
