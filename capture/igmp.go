package capture

import (
	"net/netip"
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/words"
)

// IGMP (IPv4 protocol 2), as Wireshark's igmp dissector shows it: the
// version each message type implies (a query's by its length and second
// byte: 12 bytes or more is v3, a max response time v2, none v1), the header
// of v0 to v3, the v3 query's sources and the v3 report's group records, and
// the fixed header of a multicast traceroute (mtrace). The checksum is
// verified over the message as Wireshark does (igmp.checksum.status: 1 good,
// 0 bad, 2 unverified when the message is cut short). The types Wireshark
// hands to other dissectors (DVMRP 0x13, PIM v1 0x14, MSNIP, MRDISC, IGAP,
// RGMP) are igmp with no igmp fields, as there, and frame.protocols names the
// other protocol (ip:igmp:dvmrp); their Info column is IGMP's name for the
// type, not that protocol's own (those are not decoded here). Any other type
// is an unknown one: igmp.type, and its bytes as igmp.data.
var igmpProto = protocol{
	name: "igmp", title: "IGMP", desc: "Internet Group Management Protocol", example: "igmp",
	ip4Protos: []uint8{2},
	shown:     func(p *Packet) bool { return igmpKindOf(p) != igmpForeign },
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if len(s.payload) == 0 {
			return rejected
		}
		s.takeApp(p)
		return taken
	},
	info: func(p *Packet) (string, string) { return p.igmpInfo() },
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "igmp")
		switch k := igmpKindOf(p); {
		case k == igmpForeign:
			b = appendProto(b, igmpForeignNames[p.app.payload[0]])
		case k != igmpUnknown: // the igmp.type table's dissector is igmp's too
			b = appendProto(b, "igmp")
		}
		return b
	},
	fields: []field{
		{name: "igmp.version", typ: filter.Uint, bits: 8, desc: "IGMP version the message type implies (0 to 3); absent for mtrace and unknown types", example: "igmp.version == 3",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if v := igmpKindOf(p).version(); v >= 0 {
					dst = u(dst, uint64(v))
				}
				return dst
			}},
		{name: "igmp.type", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "Message type: 0x11 membership query, 0x12 v1 report, 0x16 v2 report, 0x17 leave group, 0x22 v3 report", example: "igmp.type == 0x16",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if igmpKindOf(p) != igmpForeign {
					dst = u(dst, uint64(p.app.payload[0]))
				}
				return dst
			}},
		{name: "igmp.reserved", typ: filter.Bytes, desc: "Reserved bytes (v1's second byte; a v3 report's second byte and bytes 4-5)", example: "igmp.reserved != 00",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				b := p.app.payload
				switch igmpKindOf(p) {
				case igmpV1:
					dst = igmpBytes(dst, b, 1, 1)
				case igmpV3Report:
					dst = igmpBytes(igmpBytes(dst, b, 1, 1), b, 4, 2)
				}
				return dst
			}},
		{name: "igmp.max_resp", typ: filter.Uint, bits: 8, desc: "Max response time, in tenths of a second (v2, and v3 queries, whose exponent form is expanded)", example: "igmp.max_resp == 100",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				b := p.app.payload
				switch igmpKindOf(p) {
				case igmpV2:
					if len(b) > 1 {
						dst = u(dst, uint64(b[1]))
					}
				case igmpV3Query:
					if len(b) > 1 {
						dst = u(dst, uint64(igmpMaxResp(b[1])))
					}
				}
				return dst
			}},
		{name: "igmp.max_resp.exp", typ: filter.Uint, bits: 8, hex: 2, desc: "Exponent of a v3 query's max response code (when its top bit is set)", example: "igmp.max_resp.exp == 7",
			get: igmpMaxRespPart(func(c byte) uint64 { return uint64(c & 0x70 >> 4) })},
		{name: "igmp.max_resp.mant", typ: filter.Uint, bits: 8, hex: 2, desc: "Mantissa of a v3 query's max response code (when its top bit is set)", example: "igmp.max_resp.mant == 0xe",
			get: igmpMaxRespPart(func(c byte) uint64 { return uint64(c & 0x0f) })},
		{name: "igmp.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "IGMP checksum", example: "igmp.checksum == 0xee9b",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if k, b := igmpKindOf(p), p.app.payload; (k.version() >= 0 || k == igmpMtrace) && len(b) >= 4 {
					dst = u(dst, uint64(be16(b[2:])))
				}
				return dst
			}},
		{name: "igmp.checksum.status", typ: filter.Uint, bits: 8, named: true, desc: "Checksum status: 1 good, 0 bad, 2 unverified (the message is cut short)", example: "igmp.checksum.status == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if st, ok := p.igmpChecksum(); ok {
					dst = u(dst, uint64(st))
				}
				return dst
			}},
		{name: "igmp.maddr", typ: filter.IPv4, desc: "Multicast group address: a query's (0.0.0.0 for a general query), a report's or leave's, each v3 group record's", example: "igmp.maddr == 239.255.255.250",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				b := p.app.payload
				switch igmpKindOf(p) {
				case igmpV0:
					dst = igmpAddr(dst, b, 8)
				case igmpV1, igmpV2, igmpV3Query, igmpMtrace:
					dst = igmpAddr(dst, b, 4)
				case igmpV3Report:
					igmpRecords(b, func(r []byte, _ int) { dst = igmpAddr(dst, r, 4) })
				}
				return dst
			}},
		{name: "igmp.s", typ: filter.Bool, named: true, desc: "Suppress router-side processing (v3 query)", example: "igmp.s == 1",
			get: igmpQueryByte(8, func(c byte) uint64 { return uint64(c >> 3 & 1) })},
		{name: "igmp.qrv", typ: filter.Uint, bits: 8, desc: "Querier's robustness variable (v3 query)", example: "igmp.qrv == 2",
			get: igmpQueryByte(8, func(c byte) uint64 { return uint64(c & 7) })},
		{name: "igmp.qqic", typ: filter.Uint, bits: 8, desc: "Querier's query interval code (v3 query)", example: "igmp.qqic == 125",
			get: igmpQueryByte(9, func(c byte) uint64 { return uint64(c) })},
		{name: "igmp.num_src", typ: filter.Uint, bits: 16, desc: "Number of sources (a v3 query's, each v3 group record's)", example: "igmp.num_src > 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				b := p.app.payload
				switch igmpKindOf(p) {
				case igmpV3Query:
					if len(b) >= 12 {
						dst = u(dst, uint64(be16(b[10:])))
					}
				case igmpV3Report:
					igmpRecords(b, func(r []byte, _ int) { dst = u(dst, uint64(be16(r[2:]))) })
				}
				return dst
			}},
		{name: "igmp.saddr", typ: filter.IPv4, desc: "Source address (a v3 query's, a v3 group record's)", example: "igmp.saddr == 10.0.0.10",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				b := p.app.payload
				switch igmpKindOf(p) {
				case igmpV3Query:
					if len(b) >= 12 {
						for i, off := 0, 12; i < int(be16(b[10:])) && off+4 <= len(b); i, off = i+1, off+4 {
							dst = igmpAddr(dst, b, off)
						}
					}
				case igmpV3Report:
					igmpRecords(b, func(r []byte, n int) {
						for i := 0; i < n; i++ {
							dst = igmpAddr(dst, r, 8+4*i)
						}
					})
				}
				return dst
			}},
		{name: "igmp.num_grp_recs", typ: filter.Uint, bits: 16, desc: "Number of group records (v3 report)", example: "igmp.num_grp_recs > 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; igmpKindOf(p) == igmpV3Report && len(b) >= 8 {
					dst = u(dst, uint64(be16(b[6:])))
				}
				return dst
			}},
		{name: "igmp.record_type", typ: filter.Uint, bits: 8, named: true, desc: "Group record type: 1 mode is include, 2 mode is exclude, 3 change to include, 4 change to exclude, 5 allow new sources, 6 block old sources", example: "igmp.record_type == 4",
			get: igmpRecordByte(0)},
		{name: "igmp.aux_data_len", typ: filter.Uint, bits: 8, desc: "Auxiliary data length of a group record, in 32-bit words", example: "igmp.aux_data_len > 0",
			get: igmpRecordByte(1)},
		{name: "igmp.aux_data", typ: filter.Bytes, desc: "Auxiliary data of a group record", example: "igmp.aux_data",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if igmpKindOf(p) == igmpV3Report {
					igmpRecords(p.app.payload, func(r []byte, n int) {
						if adl := int(r[1]) * 4; adl > 0 && 8+4*n+adl <= len(r) {
							dst = append(dst, filter.Value{B: r[8+4*n : 8+4*n+adl]})
						}
					})
				}
				return dst
			}},
		{name: "igmp.data", typ: filter.Bytes, desc: "The bytes after the type of a message of an unknown type", example: "igmp.data",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; igmpKindOf(p) == igmpUnknown && len(b) > 1 {
					dst = append(dst, filter.Value{B: b[1:]})
				}
				return dst
			}},
		{name: "igmp.mtrace.max_hops", typ: filter.Uint, bits: 8, desc: "Multicast traceroute: how many hops to trace", example: "igmp.mtrace.max_hops > 0",
			get: igmpMtraceField(1, 1)},
		{name: "igmp.mtrace.saddr", typ: filter.IPv4, desc: "Multicast traceroute: the source of the path traced", example: "igmp.mtrace.saddr == 10.0.0.10",
			get: igmpMtraceField(8, 4)},
		{name: "igmp.mtrace.raddr", typ: filter.IPv4, desc: "Multicast traceroute: the receiver of the path traced", example: "igmp.mtrace.raddr == 10.0.0.20",
			get: igmpMtraceField(12, 4)},
		{name: "igmp.mtrace.rspaddr", typ: filter.IPv4, desc: "Multicast traceroute: where the response goes", example: "igmp.mtrace.rspaddr == 10.0.0.20",
			get: igmpMtraceField(16, 4)},
		{name: "igmp.mtrace.resp_ttl", typ: filter.Uint, bits: 8, desc: "Multicast traceroute: the TTL of a multicast response", example: "igmp.mtrace.resp_ttl == 64",
			get: igmpMtraceField(20, 1)},
		{name: "igmp.mtrace.q_id", typ: filter.Uint, bits: 24, desc: "Multicast traceroute: the query's identifier", example: "igmp.mtrace.q_id == 1",
			get: igmpMtraceField(21, 3)},
	},
}

// igmpKind is how Wireshark dissects an IGMP message, chosen by its type.
type igmpKind uint8

const (
	igmpUnknown igmpKind = iota
	igmpV0
	igmpV1
	igmpV2
	igmpV3Query
	igmpV3Report
	igmpMtrace
	igmpForeign // a type another Wireshark dissector takes
)

// igmpForeignNames are the protocols Wireshark's igmp.type table hands these
// types to.
var igmpForeignNames = map[byte]string{0x13: "dvmrp", 0x14: "pim", 0x23: "msnip", 0x24: "mrdisc", 0x25: "mrdisc", 0x26: "mrdisc",
	0x40: "igap", 0x41: "igap", 0x42: "igap", 0xfc: "rgmp", 0xfd: "rgmp", 0xfe: "rgmp", 0xff: "rgmp"}

// version is the IGMP version igmp.version shows, -1 for none.
func (k igmpKind) version() int {
	switch k {
	case igmpV0:
		return 0
	case igmpV1:
		return 1
	case igmpV2:
		return 2
	case igmpV3Query, igmpV3Report:
		return 3
	}
	return -1
}

// igmpKindOf returns the kind of p's IGMP message: a query (0x11) is v3 when
// the message (as the IP header gives its length) is 12 bytes or more, v2
// when its second byte (max response time) is set, else v1.
func igmpKindOf(p *Packet) igmpKind {
	b := p.app.payload
	switch t := b[0]; {
	case t <= 15:
		return igmpV0
	case t == 0x11:
		switch {
		case p.igmpLen() >= 12:
			return igmpV3Query
		case len(b) > 1 && b[1] != 0:
			return igmpV2
		}
		return igmpV1
	case t == 0x12:
		return igmpV1
	case t == 0x16, t == 0x17:
		return igmpV2
	case t == 0x22:
		return igmpV3Report
	case t == 0x1e, t == 0x1f:
		return igmpMtrace
	case igmpForeignNames[t] != "":
		return igmpForeign
	}
	return igmpUnknown
}

// igmpLen is the message's length as the IP header gives it (the captured
// bytes may be fewer).
func (p *Packet) igmpLen() int {
	if n := int(p.ip4.length) - int(p.ip4.hdrLen); n > 0 {
		return n
	}
	return len(p.app.payload)
}

// igmpChecksum returns igmp.checksum.status: the Internet checksum over the
// message's first 8 bytes (v1, v2), 20 (v0) or all of it (v3, mtrace) is 1
// when it sums to zero, 0 when not, and 2 (unverified) when fewer bytes were
// captured.
func (p *Packet) igmpChecksum() (status int, ok bool) {
	b, n := p.app.payload, p.igmpLen()
	switch igmpKindOf(p) {
	case igmpUnknown, igmpForeign:
		return 0, false
	case igmpV0:
		n = 20
	case igmpV1, igmpV2:
		n = 8
	}
	if len(b) < 4 {
		return 0, false
	}
	if len(b) < n {
		return 2, true
	}
	if onesSum(0, b[:n]) == 0xffff {
		return 1, true
	}
	return 0, true
}

// igmpMaxResp expands a v3 max response code: codes from 128 are a floating
// point number, (mantissa | 0x10) << (exponent + 3).
func igmpMaxResp(c byte) uint32 {
	if c&0x80 == 0 {
		return uint32(c)
	}
	return uint32(c&0x0f|0x10) << (c&0x70>>4 + 3)
}

func igmpMaxRespPart(v func(c byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := p.app.payload; igmpKindOf(p) == igmpV3Query && len(b) > 1 && b[1]&0x80 != 0 {
			dst = u(dst, v(b[1]))
		}
		return dst
	}
}

func igmpQueryByte(off int, v func(c byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := p.app.payload; igmpKindOf(p) == igmpV3Query && len(b) > off {
			dst = u(dst, v(b[off]))
		}
		return dst
	}
}

func igmpRecordByte(off int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if igmpKindOf(p) == igmpV3Report {
			igmpRecords(p.app.payload, func(r []byte, _ int) { dst = u(dst, uint64(r[off])) })
		}
		return dst
	}
}

func igmpMtraceField(off, n int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		b := p.app.payload
		if igmpKindOf(p) != igmpMtrace || len(b) < off+n {
			return dst
		}
		var v uint64
		for _, c := range b[off : off+n] {
			v = v<<8 | uint64(c)
		}
		return u(dst, v)
	}
}

// igmpRecords calls fn with each whole group record of a v3 report (from
// its first byte to the end of the message) and its number of sources; it
// stops at a record cut short.
func igmpRecords(b []byte, fn func(rec []byte, sources int)) {
	if len(b) < 8 {
		return
	}
	off := 8
	for n := int(be16(b[6:])); n > 0 && off+8 <= len(b); n-- {
		r := b[off:]
		sources := int(be16(r[2:]))
		fn(r, min(sources, (len(r)-8)/4))
		off += 8 + 4*sources + 4*int(r[1])
	}
}

func igmpAddr(dst []filter.Value, b []byte, off int) []filter.Value {
	if off+4 > len(b) {
		return dst
	}
	return u(dst, uint64(be32(b[off:])))
}

func igmpBytes(dst []filter.Value, b []byte, off, n int) []filter.Value {
	if off+n > len(b) {
		return dst
	}
	return append(dst, filter.Value{B: b[off : off+n]})
}

var igmpTypeNames = map[byte]string{
	1: "Create Group Request", 2: "Create Group Reply", 3: "Join Group Request", 4: "Join Group Reply",
	5: "Leave Group Request", 6: "Leave Group Reply", 7: "Confirm Group Request", 8: "Confirm Group Reply",
	0x11: "Membership Query", 0x12: "Membership Report", 0x13: "DVMRP Protocol", 0x14: "PIM Routing Message",
	0x16: "Membership Report", 0x17: "Leave Group", 0x1e: "Traceroute Response", 0x1f: "Traceroute Query or Request",
	0x22: "Membership Report",
}

// igmpInfo returns the Protocol and Info columns as Wireshark's igmp
// dissector writes them.
func (p *Packet) igmpInfo() (string, string) {
	b := p.app.payload
	k := igmpKindOf(p)
	name, ok := igmpTypeNames[b[0]]
	if !ok {
		name = "Unknown Type:0x" + string(appendHex(nil, uint64(b[0]), 2))
	}
	addr := func(off int) string {
		if off+4 > len(b) {
			return ""
		}
		return netip.AddrFrom4([4]byte(b[off : off+4])).String()
	}
	zero := func(off int) bool { return off+4 <= len(b) && be32(b[off:]) == 0 }
	switch k {
	case igmpUnknown, igmpForeign:
		return "IGMP", name
	case igmpMtrace:
		n := p.igmpLen()
		switch {
		case b[0] == 0x1e:
			blocks := (n - 24) / 32
			return "IGMP", "Traceroute Response, " + strconv.Itoa(blocks) + " block" + words.Plural(blocks, "", "s")
		case n == 24:
			return "IGMP", "Traceroute Query"
		}
		return "IGMP", "Traceroute Request"
	case igmpV2:
		switch {
		case len(b) < 8:
		case zero(4):
			name += ", general"
		case b[0] == 0x17:
			name += " " + addr(4)
		case b[0] == 0x11:
			name += ", specific for group " + addr(4)
		default:
			name += " group " + addr(4)
		}
	case igmpV3Query:
		if len(b) >= 8 {
			if zero(4) {
				name += ", general"
			} else {
				name += ", specific for group " + addr(4)
			}
		}
		if len(b) >= 12 {
			if n := int(be16(b[10:])); n > 0 {
				name += ", source" + words.Plural(n, "", "s") + " {" + igmpSources(b, 12, n)
			}
		}
	case igmpV3Report:
		if len(b) >= 8 && be16(b[6:]) == 0 {
			name += " - General query"
		}
		igmpRecords(b, func(r []byte, n int) { name += igmpRecordInfo(r, n) })
	}
	return "IGMPv" + strconv.Itoa(k.version()), name
}

// igmpRecordInfo is what a v3 group record adds to the Info column.
func igmpRecordInfo(r []byte, n int) string {
	g := netip.AddrFrom4([4]byte(r[4:8])).String()
	typ := r[0]
	if n == 0 {
		switch typ {
		case 1, 3:
			return " / Leave group " + g
		case 2, 4:
			return " / Join group " + g + " for any sources"
		case 5:
			return " / Group " + g + ", ALLOW_NEW_SOURCES but no source specified (?)"
		case 6:
			return " / Group " + g + ", BLOCK_OLD_SOURCES but no source specified (?)"
		}
		return " / Group " + g + ", unknown record type (?)"
	}
	var s string
	switch typ {
	case 1, 3:
		s = " / Join group " + g + " for source"
		if n > 1 {
			s += "s in"
		}
	case 2, 4:
		s = " / Join group " + g + ", for source"
		if n > 1 {
			s += "s not in"
		} else {
			s += " not"
		}
	case 5:
		s = " / Group " + g + ", new source" + words.Plural(n, "", "s")
	case 6:
		s = " / Group " + g + ", block source" + words.Plural(n, "", "s")
	default:
		s = " / Group " + g + ", unknown record type (?), sources"
	}
	return s + " {" + igmpSources(r, 8, n)
}

// igmpSources lists n source addresses from off, each followed by ", " and
// the last by "}", as far as they were captured.
func igmpSources(b []byte, off, n int) string {
	var s string
	for i := 0; i < n && off+4*i+4 <= len(b); i++ {
		s += netip.AddrFrom4([4]byte(b[off+4*i : off+4*i+4])).String()
		if i < n-1 {
			s += ", "
		} else {
			s += "}"
		}
	}
	return s
}
