package capture

import (
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// GRE (IP protocol 47, over IPv4 and IPv6), as Wireshark's gre dissector shows it: the flags
// and version, the protocol type, the optional checksum, key and sequence
// number; what it carries is decoded as the frame's (tunnel.go): IPv4
// (0x0800), IPv6 (0x86dd), Ethernet (0x6558, transparent bridging), PPP
// (0x880b, PPTP's: ppp.go) and
// ERSPAN (0x88be: type I without a header when the sequence flag is clear,
// type II with its 8-byte header). A source route (the R flag) is skipped,
// its entries not shown; the other protocol types are shown as GRE only
// ("Encapsulated ..." in Info).
var greProto = protocol{
	name: "gre", title: "GRE", desc: "Generic Routing Encapsulation (IP protocol 47): a tunnel; what it carries is decoded as the frame's", example: "gre",
	ip4Protos: []uint8{47}, ip6: true, // over IPv6 too
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		b := s.payload
		if len(b) < 4 {
			return rejected
		}
		n := 4
		flags := be16(b)
		if flags&0xc000 != 0 { // checksum or routing: checksum and offset
			n += 4
		}
		if flags&0x2000 != 0 {
			n += 4
		}
		if flags&0x1000 != 0 {
			n += 4
		}
		if flags&0x0080 != 0 && flags&7 == 1 { // PPTP's acknowledgment number
			n += 4
		}
		if len(b) < n {
			p.tun.hdr, p.tun.cut = b, true
			return taken
		}
		if flags&0x4000 != 0 {
			// The source route's entries, up to the empty one.
			for {
				if len(b) < n+4 {
					p.tun.hdr, p.tun.cut = b, true
					return taken
				}
				af, l := be16(b[n:]), int(b[n+3])
				n += 4 + l
				if af == 0 && l == 0 {
					break
				}
			}
			if len(b) < n {
				p.tun.hdr, p.tun.cut = b, true
				return taken
			}
		}
		p.tun.hdr = b[:n]
		inner := b[n:]
		switch be16(b[2:]) {
		case 0x0800:
			p.carry(inner, firstIPv4)
		case 0x86dd:
			p.carry(inner, firstIPv6)
		case 0x6558:
			p.carry(inner, firstEthernet)
		case 0x880b: // PPTP's PPP
			p.carry(inner, firstPPP)
		case 0x8847, 0x8848:
			p.carry(inner, firstMPLS)
		case 0x2000: // CDP, a layer of the frame
			p.app = appInfo{payload: inner}
			d.decodeCDP(p)
		default:
			if len(inner) > 0 {
				p.setOther(tsharkGREProtos[be16(b[2:])]) // tshark's protocol there, if any (nhrp)
			}
		case 0x8909:
			if len(inner) < 8 {
				p.tun.meta, p.tun.cut = inner, true
				return taken
			}
			p.tun.meta, inner = inner[:8], inner[8:]
			switch typ := be16(p.tun.meta); typ {
			case 0x0800:
				p.carry(inner, firstIPv4)
			case 0x86dd:
				p.carry(inner, firstIPv6)
			default:
				if !knownEtherType(typ) && len(inner) > 0 {
					p.has |= pData
					p.data = inner
				}
			}
		case 0x88be:
			p.has |= erspanProto.bit
			if flags&0x1000 != 0 { // type II: its header first
				if len(inner) < 8 {
					p.tun.erspan, p.tun.cut = inner, true
					return taken
				}
				p.tun.erspan, inner = inner[:8], inner[8:]
			}
			p.carry(inner, firstEthernet)
		}
		return taken
	},
	info: func(p *Packet) (string, string) {
		if len(p.tun.hdr) < 4 {
			return "GRE", "Encapsulated"
		}
		if p.has&cdpProto.bit != 0 {
			return cdpProto.info(p)
		}
		if p.tun.meta != nil { // Cisco MetaData names the columns, and clears Info
			return "CMD", cutNote(p, p.tun.cut)
		}
		proto := be16(p.tun.hdr[2:])
		name, ok := greTypeNames[proto]
		switch {
		case ok:
		case proto == 0 && len(p.tun.data) == 0:
			name = "Possible GRE keepalive packet"
		default:
			name = "0x" + string(appendHex(nil, uint64(proto), 4)) + " (unknown)"
		}
		name = "Encapsulated " + name
		if p.tun.cut {
			// Wireshark's note on a header that ends early: cut by the
			// capture's snapshot length, or shorter than it says.
			if p.CapLen < p.Len {
				name += "[Packet size limited during capture]"
			} else {
				name += "[Malformed Packet]"
			}
		}
		return "GRE", name
	},
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "gre")
		if p.has&erspanProto.bit != 0 {
			b = appendProto(b, "erspan")
		}
		if p.tun.meta != nil {
			b = appendProto(b, "cmd")
		}
		if p.has&cdpProto.bit != 0 {
			b = appendProto(b, "cdp")
		}
		if q := p.inner(); q != nil {
			b = q.appendProtocols(b)
		}
		return b
	},
	fields: []field{
		{name: "gre.flags_and_version", typ: filter.Uint, bits: 16, hex: 4, desc: "Flags and version, as a number", example: "gre.flags_and_version == 0x2000", get: greHeader(0, 0xffff)},
		{name: "gre.flags.checksum", typ: filter.Bool, named: true, desc: "Checksum present", example: "gre.flags.checksum == 1", get: greFlag(15)},
		{name: "gre.flags.routing", typ: filter.Bool, named: true, desc: "Routing (source route) present", example: "gre.flags.routing == 1", get: greFlag(14)},
		{name: "gre.flags.key", typ: filter.Bool, named: true, desc: "Key present", example: "gre.flags.key == 1", get: greFlag(13)},
		{name: "gre.flags.sequence_number", typ: filter.Bool, named: true, desc: "Sequence number present", example: "gre.flags.sequence_number == 1", get: greFlag(12)},
		{name: "gre.flags.strict_source_route", typ: filter.Bool, named: true, desc: "Strict source route", example: "gre.flags.strict_source_route == 1", get: greFlag(11)},
		{name: "gre.flags.recursion_control", typ: filter.Uint, bits: 16, desc: "Recursion control", example: "gre.flags.recursion_control != 0", get: greHeader(0, 0x0700)},
		{name: "gre.flags.ack", typ: filter.Bool, named: true, desc: "Acknowledgment number present (version 1, PPTP)", example: "gre.flags.ack == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if h := p.tun.hdr; len(h) >= 2 && be16(h)&7 == 1 {
					dst = u(dst, uint64(be16(h)>>7&1))
				}
				return dst
			}},
		{name: "gre.flags.reserved", typ: filter.Uint, bits: 16, desc: "Reserved flags", example: "gre.flags.reserved != 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if h := p.tun.hdr; len(h) >= 2 {
					mask := uint16(0x00f8)
					if be16(h)&7 == 1 {
						mask = 0x0078
					}
					dst = u(dst, uint64(be16(h)&mask>>3))
				}
				return dst
			}},
		{name: "gre.flags.version", typ: filter.Uint, bits: 16, named: true, desc: "GRE version: 0 (1: PPTP's enhanced GRE)", example: "gre.flags.version == 0", get: greHeader(0, 0x0007)},
		{name: "gre.proto", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Protocol type of the payload (an EtherType): 0x0800 IPv4, 0x86dd IPv6, 0x6558 Ethernet, 0x88be ERSPAN", example: "gre.proto == 0x0800", get: greHeader(2, 0xffff)},
		{name: "gre.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "Checksum (when the C flag is set)", example: "gre.checksum", get: greOptional(0x8000, 0, 2)},
		{name: "gre.offset", typ: filter.Uint, bits: 16, desc: "Offset (with the checksum)", example: "gre.offset == 0", get: greOptional(0x8000, 2, 2)},
		{name: "gre.key", typ: filter.Uint, bits: 32, hex: 8, desc: "Key (when the K flag is set): which tunnel", example: "gre.key == 0x00000028", get: greOptional(0x2000, 0, 4)},
		{name: "gre.sequence_number", typ: filter.Uint, bits: 32, desc: "Sequence number (when the S flag is set)", example: "gre.sequence_number > 100", get: greOptional(0x1000, 0, 4)},
	},
}

// greTypeNames are Wireshark's names of the protocol types Info shows.
var greTypeNames = map[uint16]string{0x0800: "IP", 0x86dd: "IPv6", 0x6558: "Transparent Ethernet bridging", 0x88be: "ERSPAN",
	0x0806: "ARP", 0x880b: "PPP", 0x8847: "MPLS label switched packet", 0x8848: "MPLS multicast label switched packet", 0x22eb: "ERSPAN III", 0x8909: "CISCO METADATA"}

// greHeader is a masked 16-bit word of the GRE header at off, shifted down.
func greHeader(off int, mask uint16) func(p *Packet, dst []filter.Value) []filter.Value {
	shift := 0
	for mask != 0 && mask>>shift&1 == 0 {
		shift++
	}
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if h := p.tun.hdr; len(h) >= off+2 {
			dst = u(dst, uint64(be16(h[off:])&mask>>shift))
		}
		return dst
	}
}

func greFlag(bit uint) func(p *Packet, dst []filter.Value) []filter.Value {
	return greHeader(0, 1<<bit)
}

// greOptional is an optional field: present when its flag is, at off within
// its 4-byte word (checksum and offset, key, sequence number, in order).
func greOptional(flag uint16, off, size int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		h := p.tun.hdr
		if len(h) < 4 {
			return dst
		}
		flags := be16(h)
		if flags&flag == 0 {
			return dst
		}
		at := 4
		for _, f := range []uint16{0x8000, 0x2000, 0x1000} {
			if f == flag {
				break
			}
			if flags&f != 0 || (f == 0x8000 && flags&0x4000 != 0) {
				at += 4
			}
		}
		at += off
		if len(h) < at+size {
			return dst
		}
		if size == 2 {
			return u(dst, uint64(be16(h[at:])))
		}
		return u(dst, uint64(be32(h[at:])))
	}
}

// ERSPAN, Cisco's remote port mirroring inside GRE (protocol type 0x88be):
// type I has no header, type II an 8-byte one (version, VLAN, class of
// service, encapsulation, truncated, session ID, index).
var erspanProto = protocol{
	name: "erspan", title: "ERSPAN", desc: "Encapsulated Remote Switch Port Analyzer: mirrored frames inside GRE", example: "erspan",
	chain: func(p *Packet, b []byte) []byte { return b }, // named by GRE's chain, before what it carries
	fields: []field{
		{name: "erspan.version", typ: filter.Uint, bits: 16, named: true, desc: "ERSPAN version (type II: 1)", example: "erspan.version == 1", get: erspanWord(0, 0xf000)},
		{name: "erspan.vlan", typ: filter.Uint, bits: 16, desc: "VLAN of the mirrored frame", example: "erspan.vlan == 100", get: erspanWord(0, 0x0fff)},
		{name: "erspan.cos", typ: filter.Uint, bits: 16, desc: "Class of service", example: "erspan.cos == 0", get: erspanWord(2, 0xe000)},
		{name: "erspan.encap", typ: filter.Uint, bits: 16, named: true, desc: "Encapsulation type of the mirrored frame", example: "erspan.encap == 0", get: erspanWord(2, 0x1800)},
		{name: "erspan.truncated", typ: filter.Uint, bits: 16, named: true, desc: "The mirrored frame was truncated", example: "erspan.truncated == 1", get: erspanWord(2, 0x0400)},
		{name: "erspan.spanid", typ: filter.Uint, bits: 16, desc: "Session ID", example: "erspan.spanid == 666", get: erspanWord(2, 0x03ff)},
		{name: "erspan.reserved", typ: filter.Uint, bits: 32, desc: "Reserved", example: "erspan.reserved == 0", get: erspanLong(0xfff00000)},
		{name: "erspan.index", typ: filter.Uint, bits: 32, desc: "Index (the port the frame was mirrored from)", example: "erspan.index == 1", get: erspanLong(0x000fffff)},
	},
}

func erspanWord(off int, mask uint16) func(p *Packet, dst []filter.Value) []filter.Value {
	shift := 0
	for mask>>shift&1 == 0 {
		shift++
	}
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if h := p.tun.erspan; len(h) >= 8 {
			dst = u(dst, uint64(be16(h[off:])&mask>>shift))
		}
		return dst
	}
}

func erspanLong(mask uint32) func(p *Packet, dst []filter.Value) []filter.Value {
	shift := 0
	for mask>>shift&1 == 0 {
		shift++
	}
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if h := p.tun.erspan; len(h) >= 8 {
			dst = u(dst, uint64(be32(h[4:])&mask>>shift))
		}
		return dst
	}
}

// Cisco MetaData inside GRE (protocol type 0x8909), as Wireshark's cmd
// dissector shows it there: the type of what follows (an EtherType: IPv4 or
// IPv6 are decoded), the version, length and options, and the security group
// tag. It has no presence bit of its own: its fields are present when GRE
// carried its header (it takes IP's bits, as GRE needs IP).
var cmdProto = protocol{
	name: "cmd", title: "Cisco MetaData", desc: "Cisco MetaData inside GRE (0x8909): the security group tag", example: "cmd",
	bit:   pIP | pIPv6,
	shown: func(p *Packet) bool { return p.tun.meta != nil },
	chain: func(p *Packet, b []byte) []byte { return b }, // named by GRE's chain, before what it carries
	fields: []field{
		{name: "cmd.type", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Type of what follows (an EtherType)", example: "cmd.type == 0x0800", get: cmdField(0, 2)},
		{name: "cmd.version", typ: filter.Uint, bits: 8, desc: "Version", example: "cmd.version == 1", get: cmdField(2, 1)},
		{name: "cmd.length", typ: filter.Uint, bits: 8, desc: "Length", example: "cmd.length == 1", get: cmdField(3, 1)},
		{name: "cmd.options", typ: filter.Uint, bits: 16, hex: 4, desc: "Options (length and type of the option)", example: "cmd.options == 0x0001", get: cmdField(4, 2)},
		{name: "cmd.sgt", typ: filter.Uint, bits: 16, desc: "Security group tag", example: "cmd.sgt == 0", get: cmdField(6, 2)},
	},
}

func cmdField(off, size int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		h := p.tun.meta
		if len(h) < off+size {
			return dst
		}
		if size == 1 {
			return u(dst, uint64(h[off]))
		}
		return u(dst, uint64(be16(h[off:])))
	}
}
