package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// LCP (PPP protocol 0xc021, RFC 1661), the Link Control Protocol, as
// Wireshark's lcp dissector shows it: its code, identifier and length are
// ppp.code, ppp.identifier and ppp.length (ppp.go); the options of a
// Configure-Request, -Ack, -Nak or -Reject (type and length of each, the
// MRU, the async control character map, the authentication protocol and
// CHAP's algorithm, the quality protocol, the magic number, the multilink
// MRRU); the rejected protocol of a Protocol-Reject (the packet it rejects
// is not decoded); the magic number, data and message of Echo, Discard,
// Identification and Time-Remaining. Info is the code's name ("Echo
// Request").
var lcpProto = protocol{
	name: "lcp", title: "LCP", desc: "PPP Link Control Protocol", example: "lcp",
	info:  func(p *Packet) (string, string) { return p.cpColumns() },
	shown: cpShown,
	fields: []field{
		{name: "lcp.magic_number", typ: filter.Uint, bits: 32, hex: 8, desc: "Magic number of an Echo-Request, Echo-Reply, Discard-Request, Identification or Time-Remaining", example: "lcp.magic_number == 0xa4cbea34",
			get: lcpData(func(c, d []byte, dst []filter.Value) []filter.Value {
				if c[0] >= 9 && c[0] <= 13 && len(d) >= 4 {
					dst = u(dst, uint64(be32(d)))
				}
				return dst
			})},
		{name: "lcp.data", typ: filter.Bytes, desc: "Data of an Echo-Request, Echo-Reply or Discard-Request, after the magic number", example: "lcp.data",
			get: lcpData(func(c, d []byte, dst []filter.Value) []filter.Value {
				if c[0] >= 9 && c[0] <= 11 && len(d) > 4 {
					dst = append(dst, filter.Value{B: d[4:]})
				}
				return dst
			})},
		{name: "lcp.message", typ: filter.String, desc: "Message of an Identification or Time-Remaining", example: `lcp.message contains "pppd"`,
			get: lcpData(func(c, d []byte, dst []filter.Value) []filter.Value {
				n := 4
				if c[0] == 13 {
					n = 8
				}
				if (c[0] == 12 || c[0] == 13) && len(d) > n {
					dst = append(dst, filter.Value{B: d[n:]})
				}
				return dst
			})},
		{name: "lcp.secs_remaining", typ: filter.Uint, bits: 32, desc: "Seconds remaining of a Time-Remaining", example: "lcp.secs_remaining < 60",
			get: lcpData(func(c, d []byte, dst []filter.Value) []filter.Value {
				if c[0] == 13 && len(d) >= 8 {
					dst = u(dst, uint64(be32(d[4:])))
				}
				return dst
			})},
		{name: "lcp.rej_proto", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "The PPP protocol a Protocol-Reject rejects", example: "lcp.rej_proto == 0x80fd",
			get: lcpData(func(c, d []byte, dst []filter.Value) []filter.Value {
				if c[0] == 8 && len(d) >= 2 {
					dst = u(dst, uint64(be16(d)))
				}
				return dst
			})},
		{name: "lcp.opt.type", typ: filter.Uint, bits: 8, desc: "Type of an option: 1 MRU, 2 async control character map, 3 authentication protocol, 4 quality protocol, 5 magic number, 7 protocol field compression, 8 address and control field compression, 17 multilink MRRU", example: "lcp.opt.type == 3",
			get: lcpOpt(-1, cpOptionU(0, 1))},
		{name: "lcp.opt.length", typ: filter.Uint, bits: 8, desc: "Length of an option, its type and length included", example: "lcp.opt.length > 4",
			get: lcpOpt(-1, cpOptionU(1, 1))},
		{name: "lcp.opt.mru", typ: filter.Uint, bits: 16, desc: "Maximum receive unit (option 1)", example: "lcp.opt.mru == 1492",
			get: lcpOpt(1, cpOptionU(2, 2))},
		{name: "lcp.opt.asyncmap", typ: filter.Uint, bits: 32, hex: 8, desc: "Async control character map (option 2): the control characters to escape", example: "lcp.opt.asyncmap == 0x00000000",
			get: lcpOpt(2, cpOptionU(2, 4))},
		{name: "lcp.opt.auth_protocol", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Authentication protocol (option 3): 0xc023 PAP, 0xc223 CHAP, 0xc227 EAP", example: "lcp.opt.auth_protocol == 0xc223",
			get: lcpOpt(3, cpOptionU(2, 2))},
		{name: "lcp.opt.algorithm", typ: filter.Uint, bits: 8, named: true, desc: "CHAP's algorithm in the authentication protocol option: 5 MD5, 128 MS-CHAP, 129 MS-CHAP-2", example: "lcp.opt.algorithm == 5",
			get: lcpOpt(3, func(o []byte, dst []filter.Value) []filter.Value {
				if len(o) >= 5 && be16(o[2:]) == 0xc223 {
					dst = u(dst, uint64(o[4]))
				}
				return dst
			})},
		{name: "lcp.opt.quality_protocol", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Quality protocol (option 4): 0xc025 link quality report", example: "lcp.opt.quality_protocol == 0xc025",
			get: lcpOpt(4, cpOptionU(2, 2))},
		{name: "lcp.opt.magic_number", typ: filter.Uint, bits: 32, hex: 8, desc: "Magic number (option 5), which detects a looped-back link", example: "lcp.opt.magic_number == 0x12345678",
			get: lcpOpt(5, cpOptionU(2, 4))},
		{name: "lcp.opt.mrru", typ: filter.Uint, bits: 16, desc: "Maximum receive reconstructed unit of multilink PPP (option 17)", example: "lcp.opt.mrru == 1500",
			get: lcpOpt(17, cpOptionU(2, 2))},
	},
}

// lcpOptionLens are the lengths Wireshark allows LCP's options (vendor
// specific, MRU, ACCM, authentication and quality protocol, magic number,
// PFC, ACFC, FCS alternatives, self-describing pad, numbered mode,
// callback, compound frames, nominal data encapsulation, MRRU, short
// sequence numbers, endpoint discriminator, DCE identifier, multilink plus,
// link discriminator, COBS, multilink header format, SONET/SDH).
var lcpOptionLens = map[byte]cpOptionLen{
	0: {6, true}, 1: {4, false}, 2: {6, false}, 3: {4, true}, 4: {4, true}, 5: {6, false}, 7: {2, false}, 8: {2, false},
	9: {3, false}, 10: {3, false}, 11: {3, true}, 13: {3, true}, 15: {2, false}, 16: {2, false}, 17: {4, false}, 18: {2, false},
	19: {3, true}, 21: {3, false}, 22: {4, false}, 23: {4, false}, 25: {3, false}, 27: {4, false}, 29: {3, false},
}

// lcpData reads an LCP packet's data (c is the packet, d its data).
func lcpData(get func(c, d []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if c := p.ppp.cp; p.ppp.proto == 0xc021 && len(c) >= 4 {
			dst = get(c, cpData(c), dst)
		}
		return dst
	}
}

func lcpOpt(typ int, val func(o []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return cpOptionGet(0xc021, lcpOptionLens, typ, val)
}
