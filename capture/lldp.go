package capture

import (
	"encoding/hex"
	"net/netip"
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// LLDP (EtherType 0x88cc), as Wireshark's lldp dissector shows it: the three
// mandatory TLVs in order (chassis ID, port ID, time to live: a wrong one
// ends the dissection, "Invalid Chassis ID TLV"), then the optional ones up to
// the end TLV: port description, system name and description, capabilities,
// management address, and organizationally specific TLVs (their OUI; the
// IEEE 802.1/802.3, MED and vendor subtypes have no fields here). Info is the
// chassis and port IDs as subtype/ID (MA/00:23:54:c2:57:02), the time to
// live, SysN= and SysD=.
var lldpProto = protocol{
	name: "lldp", title: "LLDP", desc: "Link Layer Discovery Protocol", example: "lldp",
	strEnc:     encASCII,
	etherTypes: []uint16{0x88cc},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		s.takeApp(p)
		return taken
	},
	info: func(p *Packet) (string, string) { return "LLDP", p.lldp().info },
	fields: []field{
		{name: "lldp.tlv.type", typ: filter.Uint, bits: 16, named: true, desc: "TLV type: 0 end, 1 chassis ID, 2 port ID, 3 time to live, 4 port description, 5 system name, 6 system description, 7 capabilities, 8 management address, 127 organization specific", example: "lldp.tlv.type == 5",
			get: lldpEach(func(t lldpTLV, dst []filter.Value) []filter.Value { return u(dst, uint64(t.typ)) })},
		{name: "lldp.tlv.len", typ: filter.Uint, bits: 16, desc: "TLV length", example: "lldp.tlv.len > 100",
			get: lldpEach(func(t lldpTLV, dst []filter.Value) []filter.Value { return u(dst, uint64(len(t.val))) })},
		{name: "lldp.chassis.subtype", typ: filter.Uint, bits: 8, named: true, desc: "Chassis ID subtype: 1 chassis component, 2 interface alias, 3 port component, 4 MAC address, 5 network address, 6 interface name, 7 locally assigned", example: "lldp.chassis.subtype == 4",
			get: lldpID(1, lldpIDSubtype)},
		{name: "lldp.chassis.id.mac", typ: filter.Ether, desc: "Chassis ID, a MAC address", example: "lldp.chassis.id.mac == 00:23:54:c2:57:02",
			get: lldpID(1, lldpIDMAC)},
		{name: "lldp.chassis.id.ip4", typ: filter.IPv4, desc: "Chassis ID, an IPv4 address", example: "lldp.chassis.id.ip4 == 10.0.0.1",
			get: lldpID(1, lldpIDIP4)},
		{name: "lldp.chassis.id.ip6", typ: filter.IPv6, desc: "Chassis ID, an IPv6 address", example: "lldp.chassis.id.ip6 == 2001:db8::1",
			get: lldpID(1, lldpIDIP6)},
		{name: "lldp.chassis.id", typ: filter.Bytes, desc: "Chassis ID of another subtype (a name, a component), as bytes", example: `lldp.chassis.id contains "sw1"`,
			get: lldpID(1, lldpIDOther)},
		{name: "lldp.port.subtype", typ: filter.Uint, bits: 8, named: true, desc: "Port ID subtype: 1 interface alias, 2 port component, 3 MAC address, 4 network address, 5 interface name, 6 agent circuit ID, 7 locally assigned", example: "lldp.port.subtype == 5",
			get: lldpID(2, lldpIDSubtype)},
		{name: "lldp.port.id", typ: filter.String, desc: "Port ID of another subtype (an interface name, an alias)", example: `lldp.port.id == "eth0"`,
			get: lldpID(2, lldpIDOther)},
		{name: "lldp.port.id.mac", typ: filter.Ether, desc: "Port ID, a MAC address", example: "lldp.port.id.mac == 00:23:54:c2:57:02",
			get: lldpID(2, lldpIDMAC)},
		{name: "lldp.port.id.ip4", typ: filter.IPv4, desc: "Port ID, an IPv4 address", example: "lldp.port.id.ip4 == 10.0.0.1",
			get: lldpID(2, lldpIDIP4)},
		{name: "lldp.port.id.ip6", typ: filter.IPv6, desc: "Port ID, an IPv6 address", example: "lldp.port.id.ip6 == 2001:db8::1",
			get: lldpID(2, lldpIDIP6)},
		{name: "lldp.network_address.subtype", typ: filter.Uint, bits: 8, named: true, desc: "Address family of a network-address chassis or port ID: 1 IPv4, 2 IPv6", example: "lldp.network_address.subtype == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				for _, t := range p.lldp().tlvs {
					if (t.typ == 1 && len(t.val) >= 2 && t.val[0] == 5 || t.typ == 2 && len(t.val) >= 2 && t.val[0] == 4) && t.ok {
						dst = u(dst, uint64(t.val[1]))
					}
				}
				return dst
			}},
		{name: "lldp.time_to_live", typ: filter.Uint, bits: 16, desc: "Time to live, in seconds (0: forget this neighbour)", example: "lldp.time_to_live == 120",
			get: lldpTyped(3, 2, func(v []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(be16(v))) })},
		{name: "lldp.port.desc", typ: filter.String, desc: "Port description", example: `lldp.port.desc contains "uplink"`,
			get: lldpTyped(4, 0, lldpString)},
		{name: "lldp.tlv.system.name", typ: filter.String, desc: "System name", example: `lldp.tlv.system.name == "switch1"`,
			get: lldpTyped(5, 0, lldpString)},
		{name: "lldp.tlv.system.desc", typ: filter.String, desc: "System description", example: `lldp.tlv.system.desc contains "Linux"`,
			get: lldpTyped(6, 0, lldpString)},
		{name: "lldp.tlv.system_cap", typ: filter.Uint, bits: 16, hex: 4, desc: "System capabilities", example: "lldp.tlv.system_cap & 0x0004",
			get: lldpTyped(7, 2, func(v []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(be16(v))) })},
		{name: "lldp.tlv.enable_system_cap", typ: filter.Uint, bits: 16, hex: 4, desc: "Enabled capabilities", example: "lldp.tlv.enable_system_cap & 0x0010",
			get: lldpTyped(7, 4, func(v []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(be16(v[2:]))) })},
		{name: "lldp.mgn.address.len", typ: filter.Uint, bits: 8, desc: "Management address string length (its subtype and address)", example: "lldp.mgn.address.len == 5",
			get: lldpTyped(8, 1, func(v []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(v[0])) })},
		{name: "lldp.mgn.address.subtype", typ: filter.Uint, bits: 8, named: true, desc: "Management address family: 1 IPv4, 2 IPv6, 6 MAC", example: "lldp.mgn.address.subtype == 1",
			get: lldpTyped(8, 2, func(v []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(v[1])) })},
		{name: "lldp.mgn.addr.ip4", typ: filter.IPv4, desc: "Management address, IPv4", example: "lldp.mgn.addr.ip4 == 10.0.0.1",
			get: lldpTyped(8, 6, func(v []byte, dst []filter.Value) []filter.Value {
				if v[1] == 1 {
					dst = u(dst, uint64(be32(v[2:])))
				}
				return dst
			})},
		{name: "lldp.mgn.addr.ip6", typ: filter.IPv6, desc: "Management address, IPv6", example: "lldp.mgn.addr.ip6 == 2001:db8::1",
			get: lldpTyped(8, 18, func(v []byte, dst []filter.Value) []filter.Value {
				if v[1] == 2 {
					dst = append(dst, filter.Value{B: v[2:18]})
				}
				return dst
			})},
		{name: "lldp.mgn.addr.hex", typ: filter.Bytes, desc: "Management address of another family, as bytes", example: "lldp.mgn.addr.hex",
			get: lldpTyped(8, 2, func(v []byte, dst []filter.Value) []filter.Value {
				if n := int(v[0]); v[1] != 1 && v[1] != 2 && n >= 1 && 2+n-1 <= len(v) {
					dst = append(dst, filter.Value{B: v[2 : 2+n-1]})
				}
				return dst
			})},
		{name: "lldp.mgn.interface.subtype", typ: filter.Uint, bits: 8, named: true, desc: "Interface numbering subtype of the management address: 2 ifIndex, 3 system port number", example: "lldp.mgn.interface.subtype == 2",
			get: lldpMgmtAfter(0, 1)},
		{name: "lldp.mgn.interface.number", typ: filter.Uint, bits: 32, desc: "Interface number of the management address", example: "lldp.mgn.interface.number == 2",
			get: lldpMgmtAfter(1, 4)},
		{name: "lldp.mgn.obj.len", typ: filter.Uint, bits: 8, desc: "OID string length of the management address", example: "lldp.mgn.obj.len == 0",
			get: lldpMgmtAfter(5, 1)},
		{name: "lldp.orgtlv.oui", typ: filter.Uint, bits: 24, desc: "Organization code of an organization-specific TLV (32962 IEEE 802.1, 4623 IEEE 802.3, 4795 TIA MED)", example: "lldp.orgtlv.oui == 4623",
			get: lldpTyped(127, 3, func(v []byte, dst []filter.Value) []filter.Value {
				return u(dst, uint64(v[0])<<16|uint64(v[1])<<8|uint64(v[2]))
			})},
	},
}

func init() {
	caps := []string{"other", "repeater", "bridge", "wlan_access_pt", "router", "telephone", "docsis_cable_device", "station_only"}
	descs := []string{"other", "repeater", "bridge", "WLAN access point", "router", "telephone", "DOCSIS cable device", "station only"}
	for _, enabled := range []bool{false, true} {
		name, off := "lldp.tlv.system_cap.", 0
		if enabled {
			name, off = "lldp.tlv.enable_system_cap.", 2
		}
		for i, c := range caps {
			bit, off := uint16(1)<<i, off
			what := "Capability: "
			if enabled {
				what = "Enabled capability: "
			}
			lldpProto.fields = append(lldpProto.fields, field{name: name + c, typ: filter.Bool, named: true, desc: what + descs[i], example: name + c + " == 1",
				get: lldpTyped(7, off+2, func(v []byte, dst []filter.Value) []filter.Value {
					if be16(v[off:])&bit != 0 {
						return u(dst, 1)
					}
					return u(dst, 0)
				})})
		}
	}
}

// lldpTLV is one TLV: its type, its value (as far as captured), and whether
// Wireshark's dissection accepted it (a mandatory TLV of a wrong length is
// not: its type, length and subtype are shown, its ID is not).
type lldpTLV struct {
	typ int
	val []byte
	ok  bool
}

// lldpDoc is an LLDPDU as Wireshark walks it.
type lldpDoc struct {
	tlvs []lldpTLV
	info string
}

// lldp walks the packet's LLDPDU.
func (p *Packet) lldp() lldpDoc {
	b := p.app.payload
	var doc lldpDoc
	next := func() (lldpTLV, bool) {
		if len(b) < 2 {
			return lldpTLV{}, false
		}
		h := be16(b)
		t := lldpTLV{typ: int(h >> 9)}
		n := int(h & 0x1ff)
		b = b[2:]
		if n > len(b) {
			t.val, b = b, nil
		} else {
			t.val, b = b[:n], b[n:]
		}
		return t, true
	}
	// The mandatory three, in order.
	for i, want := range []int{1, 2, 3} {
		t, ok := next()
		if !ok {
			return doc
		}
		invalid := []string{"Invalid Chassis ID TLV", "Invalid Port ID TLV", "Invalid Time-to-Live TLV"}[i]
		if t.typ != want { // no field: an expert note in Wireshark
			doc.info = invalid
			return doc
		}
		text, ok := lldpIDText(t)
		t.ok = ok
		doc.tlvs = append(doc.tlvs, t)
		if !ok {
			doc.info = invalid
			return doc
		}
		doc.info += text + " "
	}
	for {
		t, ok := next()
		if !ok {
			return doc
		}
		t.ok = true
		if t.typ >= 1 && t.typ <= 3 {
			_, t.ok = lldpIDText(t)
		}
		doc.tlvs = append(doc.tlvs, t)
		switch t.typ {
		case 0:
			return doc
		case 1, 2, 3:
			doc.info = []string{"", "Duplicate Chassis ID TLV", "Duplicate Port ID TLV", "Duplicate Time-To-Live TLV"}[t.typ]
			return doc
		case 5:
			doc.info += "SysN=" + lldpText(t.val) + " "
		case 6:
			doc.info += "SysD=" + lldpText(t.val) + " "
		}
	}
}

// lldpIDText returns what a mandatory TLV adds to the Info column
// (subtype/ID, or the time to live), and whether Wireshark accepts it.
func lldpIDText(t lldpTLV) (string, bool) {
	v := t.val
	if t.typ == 3 {
		if len(v) < 2 {
			return "", false
		}
		return strconv.Itoa(int(be16(v))), true
	}
	if len(v) < 2 {
		return "", false
	}
	chassis := t.typ == 1
	mac, network := byte(3), byte(4)
	if chassis {
		mac, network = 4, 5
	}
	switch sub := v[0]; {
	case sub == mac:
		if len(v) != 7 {
			return "", false
		}
		return "MA/" + string(appendMAC(nil, mac48(v[1:7]))), true
	case sub == network:
		if len(v) < 2 {
			return "", false
		}
		switch v[1] {
		case 1:
			if len(v) != 6 {
				return "", false
			}
			return "NA/" + netip.AddrFrom4([4]byte(v[2:6])).String(), true
		case 2:
			if len(v) != 18 {
				return "", false
			}
			return "NA/" + netip.AddrFrom16([16]byte(v[2:18])).String(), true
		}
		return "NA/" + hex.EncodeToString(v[2:]), true
	case len(v) > 256:
		return "", false
	}
	var kinds map[byte]string
	if chassis {
		kinds = map[byte]string{1: "CC", 2: "IA", 3: "PC", 6: "IN", 7: "LA"}
	} else {
		kinds = map[byte]string{1: "IA", 2: "PC", 5: "IN", 6: "AC", 7: "LA"}
	}
	k, ok := kinds[v[0]]
	switch {
	case !ok:
		return "Rs/Reserved", true
	case k == "PC":
		return k + "/" + hex.EncodeToString(v[1:]), true
	}
	return k + "/" + lldpText(v[1:]), true
}

// lldpText is a TLV string as Wireshark's Info shows it: up to its first zero
// byte, escaped.
func lldpText(b []byte) string {
	if s, _, ok := cutZero(b); ok {
		b = s
	}
	return string(appendEscaped(nil, b))
}

func lldpEach(fn func(t lldpTLV, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		for _, t := range p.lldp().tlvs {
			dst = fn(t, dst)
		}
		return dst
	}
}

// lldpTyped calls fn with the value of each accepted TLV of type typ at least
// n bytes long.
func lldpTyped(typ, n int, fn func(v []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		for _, t := range p.lldp().tlvs {
			if t.typ == typ && t.ok && len(t.val) >= n {
				dst = fn(t.val, dst)
			}
		}
		return dst
	}
}

func lldpString(v []byte, dst []filter.Value) []filter.Value { return append(dst, filter.Value{B: v}) }

// What of a chassis or port ID a field shows.
const (
	lldpIDSubtype = iota
	lldpIDMAC
	lldpIDIP4
	lldpIDIP6
	lldpIDOther
)

func lldpID(typ, what int) func(p *Packet, dst []filter.Value) []filter.Value {
	mac, network := byte(3), byte(4)
	if typ == 1 {
		mac, network = 4, 5
	}
	return func(p *Packet, dst []filter.Value) []filter.Value {
		for _, t := range p.lldp().tlvs {
			if t.typ != typ || len(t.val) < 1 {
				continue
			}
			v := t.val
			switch {
			case what == lldpIDSubtype:
				if len(v) >= 2 {
					dst = u(dst, uint64(v[0]))
				}
			case !t.ok:
			case what == lldpIDMAC && v[0] == mac:
				dst = u(dst, mac48(v[1:7]))
			case what == lldpIDIP4 && v[0] == network && v[1] == 1:
				dst = u(dst, uint64(be32(v[2:])))
			case what == lldpIDIP6 && v[0] == network && v[1] == 2:
				dst = append(dst, filter.Value{B: v[2:18]})
			case what == lldpIDOther && v[0] == network && v[1] != 1 && v[1] != 2:
				dst = append(dst, filter.Value{B: v[2:]})
			case what == lldpIDOther && v[0] != mac && v[0] != network:
				dst = append(dst, filter.Value{B: v[1:]})
			}
		}
		return dst
	}
}

// lldpMgmtAfter reads n bytes at off after a management address TLV's
// address (its string length counts the subtype and the address).
func lldpMgmtAfter(off, n int) func(p *Packet, dst []filter.Value) []filter.Value {
	return lldpTyped(8, 1, func(v []byte, dst []filter.Value) []filter.Value {
		at := 1 + int(v[0]) + off
		if at+n > len(v) {
			return dst
		}
		var x uint64
		for _, c := range v[at : at+n] {
			x = x<<8 | uint64(c)
		}
		return u(dst, x)
	})
}
