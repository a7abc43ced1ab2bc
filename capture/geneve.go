package capture

import (
	"encoding/binary"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Geneve (UDP port 6081, RFC 8926), as Wireshark 4.0's geneve dissector shows
// it: the version, the options' length (geneve.option.length's first
// occurrence; each option's follows), the flags, the protocol type (an
// EtherType), the VNI and the reserved byte, then each option: its class,
// type, flags, length and bytes, Google Cloud's three options (class 0x0132:
// virtual network ID and direction, endpoint ID, profile ID) decoded, the
// others' data as bytes. What it carries is decoded as the frame's
// (tunnel.go): Ethernet (0x6558), IPv4, IPv6 and MPLS; a protocol type
// Wireshark has no dissector for is data.
var geneveProto = protocol{
	name: "geneve", title: "Geneve", desc: "Generic Network Virtualization Encapsulation (UDP 6081): a tunnel with options; what it carries is decoded as the frame's", example: "geneve",
	udpPorts: []uint16{6081},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		b := s.payload
		if s.tcp || len(b) == 0 {
			return rejected
		}
		n := 8 + int(b[0]&0x3f)*4
		if len(b) < n {
			p.tun.hdr, p.tun.cut = b, true
			return taken
		}
		p.tun.hdr = b[:n]
		inner := b[n:]
		switch typ := be16(b[2:]); typ {
		case 0x6558:
			p.carry(inner, firstEthernet)
		case 0x0800:
			p.carry(inner, firstIPv4)
		case 0x86dd:
			p.carry(inner, firstIPv6)
		case 0x8847, 0x8848:
			p.carry(inner, firstMPLS)
		default:
			if !knownEtherType(typ) && len(inner) > 0 {
				p.has |= pData
				p.data = inner
			}
		}
		return taken
	},
	info: func(p *Packet) (string, string) {
		h := p.tun.hdr
		info := ""
		if len(h) >= 4 {
			typ := be16(h[2:])
			name, ok := geneveTypeNames[typ]
			if !ok {
				name = "0x" + string(appendHex(nil, uint64(typ), 4)) + " (unknown)"
			}
			info = "Encapsulated " + name
		}
		if p.tun.cut {
			if p.CapLen < p.Len {
				info += "[Packet size limited during capture]"
			} else {
				info += "[Malformed Packet]"
			}
		}
		return "Geneve", info
	},
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "geneve")
		if q := p.inner(); q != nil {
			b = q.appendProtocols(b)
		}
		return b
	},
	fields: []field{
		{name: "geneve.version", typ: filter.Uint, bits: 8, desc: "Geneve version (0)", example: "geneve.version == 0", get: geneveByte(0, 1, 0xc0)},
		{name: "geneve.option.length", typ: filter.Uint, bits: 8, named: true, desc: "Length in bytes: of all the options (the first occurrence), then of each option", example: "geneve.option.length > 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				h := p.tun.hdr
				if len(h) < 1 {
					return dst
				}
				dst = u(dst, uint64(h[0]&0x3f)*4)
				for _, o := range geneveOptions(h) {
					dst = u(dst, uint64(len(o)))
				}
				return dst
			}},
		{name: "geneve.flags", typ: filter.Uint, bits: 8, hex: 2, desc: "Flags, as a number", example: "geneve.flags == 0x40", get: geneveByte(1, 2, 0xff)},
		{name: "geneve.flags.oam", typ: filter.Bool, desc: "An operations, administration and management frame", example: "geneve.flags.oam == 1", get: geneveByte(1, 2, 0x80)},
		{name: "geneve.flags.critical", typ: filter.Bool, desc: "Critical options present", example: "geneve.flags.critical == 1", get: geneveByte(1, 2, 0x40)},
		{name: "geneve.flags.reserved", typ: filter.Bool, desc: "Reserved flags set", example: "geneve.flags.reserved == 1", get: geneveBool(1, 2, 0x3f)},
		{name: "geneve.proto_type", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Protocol type of the payload (an EtherType): 0x6558 Ethernet, 0x0800 IPv4, 0x86dd IPv6", example: "geneve.proto_type == 0x6558",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if h := p.tun.hdr; len(h) >= 4 {
					dst = u(dst, uint64(be16(h[2:])))
				}
				return dst
			}},
		{name: "geneve.vni", typ: filter.Uint, bits: 24, hex: 6, desc: "Virtual network identifier", example: "geneve.vni == 10",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if h := p.tun.hdr; len(h) >= 7 {
					dst = u(dst, uint64(h[4])<<16|uint64(h[5])<<8|uint64(h[6]))
				}
				return dst
			}},
		{name: "geneve.reserved", typ: filter.Uint, bits: 8, hex: 2, desc: "Reserved (the header's eighth byte)", example: "geneve.reserved != 0", get: geneveByte(7, 8, 0xff)},
		{name: "geneve.options", typ: filter.Bytes, desc: "The options, all of them", example: "geneve.options",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if h := p.tun.hdr; len(h) > 8 && !p.tun.cut {
					dst = append(dst, filter.Value{B: h[8:]})
				}
				return dst
			}},
		{name: "geneve.option", typ: filter.Bytes, desc: "One option, its header and data", example: "geneve.option[0:2] == 01:32",
			get: geneveOption(func(o []byte, dst []filter.Value) []filter.Value { return append(dst, filter.Value{B: o}) })},
		{name: "geneve.option.class", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Option class (0x0000-0x00ff standard, 0x0132 Google)", example: "geneve.option.class == 0x0132",
			get: geneveOption(func(o []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(be16(o))) })},
		{name: "geneve.option.type", typ: filter.Uint, bits: 8, hex: 2, desc: "Option type (its high bit: critical)", example: "geneve.option.type == 0x01",
			get: geneveOption(func(o []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(o[2])) })},
		{name: "geneve.option.type.critical", typ: filter.Bool, desc: "A critical option", example: "geneve.option.type.critical == 1",
			get: geneveOption(func(o []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(o[2]>>7)) })},
		{name: "geneve.option.flags", typ: filter.Uint, bits: 8, hex: 2, desc: "Option flags (reserved)", example: "geneve.option.flags != 0",
			get: geneveOption(func(o []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(o[3]>>5)) })},
		{name: "geneve.option.flags.reserved", typ: filter.Bool, desc: "Reserved option flags set", example: "geneve.option.flags.reserved == 1",
			get: geneveOption(func(o []byte, dst []filter.Value) []filter.Value { return u(dst, b2u(o[3]&0xe0 != 0)) })},
		{name: "geneve.option.gcp.vnid", typ: filter.Uint, bits: 32, desc: "Google Cloud's virtual network ID (option 0x0132, type 1)", example: "geneve.option.gcp.vnid == 134217741",
			get: geneveGCP(1, func(d []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(be32(d)>>4)) })},
		{name: "geneve.option.gcp.direction", typ: filter.Bool, named: true, desc: "Google Cloud's traffic direction: 1 egress, 0 ingress", example: "geneve.option.gcp.direction == 1",
			get: geneveGCP(1, func(d []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(d[3]&1)) })},
		{name: "geneve.option.gcp.reserved", typ: filter.Bool, desc: "Google Cloud's reserved bits set", example: "geneve.option.gcp.reserved == 1",
			get: geneveGCP(1, func(d []byte, dst []filter.Value) []filter.Value { return u(dst, b2u(d[3]&0xe != 0)) })},
		{name: "geneve.option.gcp.endpoint", typ: filter.Bytes, desc: "Google Cloud's endpoint ID (type 2)", example: "geneve.option.gcp.endpoint",
			get: geneveGCP(2, func(d []byte, dst []filter.Value) []filter.Value { return append(dst, filter.Value{B: d}) })},
		{name: "geneve.option.gcp.profile", typ: filter.Uint, bits: 64, desc: "Google Cloud's profile ID (type 3)", example: "geneve.option.gcp.profile == 4660",
			get: geneveGCP(3, func(d []byte, dst []filter.Value) []filter.Value {
				if len(d) < 1 || len(d) > 8 {
					return dst
				}
				var w [8]byte
				copy(w[8-len(d):], d)
				return u(dst, binary.BigEndian.Uint64(w[:]))
			})},
		{name: "geneve.option.unknown.data", typ: filter.Bytes, desc: "Data of an option not decoded", example: "geneve.option.unknown.data",
			get: geneveOption(func(o []byte, dst []filter.Value) []filter.Value {
				if be16(o) == 0x0132 && o[2] >= 1 && o[2] <= 3 {
					return dst
				}
				return append(dst, filter.Value{B: o[4:]})
			})},
	},
}

// geneveTypeNames are Wireshark's EtherType names Info shows.
var geneveTypeNames = map[uint16]string{0x6558: "Transparent Ethernet bridging", 0x0800: "IPv4", 0x86dd: "IPv6", 0x0806: "ARP",
	0x8847: "MPLS label switched packet", 0x8848: "MPLS multicast label switched packet", 0x8100: "802.1Q Virtual LAN", 0x88cc: "802.1 Link Layer Discovery Protocol (LLDP)"}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// geneveByte is the masked byte at off, shifted down, when the header has
// need bytes.
func geneveByte(off, need int, mask uint8) func(p *Packet, dst []filter.Value) []filter.Value {
	shift := 0
	for mask>>shift&1 == 0 {
		shift++
	}
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if h := p.tun.hdr; len(h) >= need {
			dst = u(dst, uint64(h[off]&mask>>shift))
		}
		return dst
	}
}

// geneveBool is whether any bit under mask is set in the byte at off.
func geneveBool(off, need int, mask uint8) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if h := p.tun.hdr; len(h) >= need {
			dst = u(dst, b2u(h[off]&mask != 0))
		}
		return dst
	}
}

// geneveOptions splits the options of header h, as Wireshark reads them: up to
// one whose length runs past the options' end.
func geneveOptions(h []byte) [][]byte {
	if len(h) <= 8 {
		return nil
	}
	var opts [][]byte
	b := h[8:]
	for len(b) >= 4 {
		n := 4 + int(b[3]&0x1f)*4
		if n > len(b) {
			break
		}
		opts = append(opts, b[:n])
		b = b[n:]
	}
	return opts
}

func geneveOption(v func(o []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.tun.cut {
			return dst
		}
		for _, o := range geneveOptions(p.tun.hdr) {
			dst = v(o, dst)
		}
		return dst
	}
}

// geneveGCP is a field of Google Cloud's options of the given type (class
// 0x0132), read from the option's data.
func geneveGCP(typ uint8, v func(d []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return geneveOption(func(o []byte, dst []filter.Value) []filter.Value {
		if be16(o) != 0x0132 || o[2] != typ || typ == 1 && len(o) < 8 {
			return dst
		}
		return v(o[4:], dst)
	})
}
