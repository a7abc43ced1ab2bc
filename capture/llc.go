package capture

import (
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// LLC (IEEE 802.2), the header an 802.3 frame (one whose length field is
// below 0x0600) carries: the service access points, the control field (an
// I, S or U frame, as Wireshark's xdlc code reads it: I and S frames have a
// two-byte control field) and, after DSAP and SSAP 0xaa, the SNAP header's
// OUI and protocol ID. SAP 0x42 is the spanning tree (stp.go), Cisco's SNAP
// protocol ID 0x2000 is CDP (cdp.go); what other SAPs and SNAP IDs carry
// (DTP, IS-IS, IPX, NetBIOS) is data here.
var llcProto = protocol{
	name: "llc", title: "LLC", desc: "Logical-Link Control (IEEE 802.2)", example: "llc",
	fields: []field{
		{name: "llc.dsap", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "Destination service access point: 0x42 spanning tree, 0xaa SNAP, 0xe0 NetWare, 0xf0 NetBIOS, 0xfe ISO network layer", example: "llc.dsap == 0x42",
			get: llcByte(0, func(c byte) uint64 { return uint64(c) })},
		{name: "llc.dsap.sap", typ: filter.Uint, bits: 8, desc: "The DSAP's address (its upper 7 bits)", example: "llc.dsap.sap == 33",
			get: llcByte(0, func(c byte) uint64 { return uint64(c >> 1) })},
		{name: "llc.dsap.ig", typ: filter.Bool, named: true, desc: "The DSAP's I/G bit: 1 a group address", example: "llc.dsap.ig == 1",
			get: llcByte(0, func(c byte) uint64 { return uint64(c & 1) })},
		{name: "llc.ssap", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "Source service access point", example: "llc.ssap == 0x42",
			get: llcByte(1, func(c byte) uint64 { return uint64(c) })},
		{name: "llc.ssap.sap", typ: filter.Uint, bits: 8, desc: "The SSAP's address (its upper 7 bits)", example: "llc.ssap.sap == 33",
			get: llcByte(1, func(c byte) uint64 { return uint64(c >> 1) })},
		{name: "llc.ssap.cr", typ: filter.Bool, named: true, desc: "The SSAP's C/R bit: 1 a response, 0 a command", example: "llc.ssap.cr == 1",
			get: llcByte(1, func(c byte) uint64 { return uint64(c & 1) })},
		{name: "llc.control", typ: filter.Uint, bits: 16, hex: 4, desc: "Control field (two bytes, little-endian, for I and S frames)", example: "llc.control == 0x0003",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if c, ok := p.llcControl(); ok {
					dst = u(dst, uint64(c))
				}
				return dst
			}},
		{name: "llc.control.ftype", typ: filter.Uint, bits: 16, hex: 2, named: true, desc: "Frame type: 0x00 I (information), 0x01 S (supervisory), 0x03 U (unnumbered)", example: "llc.control.ftype == 0x03",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if c, ok := p.llcControl(); ok {
					if c&1 == 0 {
						return u(dst, 0)
					}
					dst = u(dst, uint64(c&3))
				}
				return dst
			}},
		{name: "llc.control.n_r", typ: filter.Uint, bits: 16, desc: "N(R), the receive sequence number of an I or S frame", example: "llc.control.n_r == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if c, ok := p.llcControl(); ok && c&3 != 3 {
					dst = u(dst, uint64(c>>9))
				}
				return dst
			}},
		{name: "llc.control.n_s", typ: filter.Uint, bits: 16, desc: "N(S), the send sequence number of an I frame", example: "llc.control.n_s == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if c, ok := p.llcControl(); ok && c&1 == 0 {
					dst = u(dst, uint64(c>>1&0x7f))
				}
				return dst
			}},
		{name: "llc.control.u_modifier_cmd", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "A U frame's command: 0x00 UI, 0xac XID, 0xe0 TEST, 0x6c SABME, 0x40 DISC", example: "llc.control.u_modifier_cmd == 0x00",
			get: llcModifier(false)},
		{name: "llc.control.u_modifier_resp", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "A U frame's response: 0x00 UI, 0xac XID, 0xe0 TEST, 0x60 UA, 0x0c DM, 0x84 FRMR", example: "llc.control.u_modifier_resp == 0x60",
			get: llcModifier(true)},
		{name: "llc.oui", typ: filter.Uint, bits: 24, desc: "SNAP organization code (after DSAP and SSAP 0xaa): 0x00000c Cisco, 0x000000 an EtherType follows", example: "llc.oui == 0x00000c",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b, ok := p.llcSNAP(); ok {
					dst = u(dst, uint64(b[3])<<16|uint64(b[4])<<8|uint64(b[5]))
				}
				return dst
			}},
		{name: "llc.type", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "SNAP's EtherType, when the OUI is 0x000000", example: "llc.type == 0x0800",
			get: llcPID(func(oui uint32) bool { return oui == 0 })},
		{name: "llc.cisco_pid", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "SNAP protocol ID of Cisco's OUI: 0x2000 CDP, 0x2004 DTP, 0x010b PVST+", example: "llc.cisco_pid == 0x2000",
			get: llcPID(func(oui uint32) bool { return oui == 0x00000c })},
		{name: "llc.pid", typ: filter.Uint, bits: 16, hex: 4, desc: "SNAP protocol ID of another OUI (Wireshark names some vendors' with fields of their own, which wirelab does not have)", example: "llc.pid == 0x0001",
			get: llcPID(func(oui uint32) bool { return oui != 0 && oui != 0x00000c })},
	},
	info: func(p *Packet) (string, string) { return "LLC", p.llcInfo() },
}

// llcHeader returns the LLC header and what follows, from the end of the
// link header to the end of the 802.3 length.
func (p *Packet) llcHeader() []byte { return p.app.payload }

func llcByte(off int, v func(c byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := p.llcHeader(); len(b) > off {
			dst = u(dst, v(b[off]))
		}
		return dst
	}
}

// llcControl returns the control field: one byte for a U frame, two
// (little-endian) for I and S frames.
func (p *Packet) llcControl() (uint16, bool) {
	b := p.llcHeader()
	switch {
	case len(b) < 3:
		return 0, false
	case b[2]&3 == 3:
		return uint16(b[2]), true
	case len(b) < 4:
		return 0, false
	}
	return uint16(b[2]) | uint16(b[3])<<8, true
}

func llcModifier(resp bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := p.llcHeader(); len(b) >= 3 && b[2]&3 == 3 && (b[1]&1 == 1) == resp {
			dst = u(dst, uint64(b[2]&0xec))
		}
		return dst
	}
}

func llcPID(which func(oui uint32) bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b, ok := p.llcSNAP(); ok && which(uint32(b[3])<<16|uint32(b[4])<<8|uint32(b[5])) {
			dst = u(dst, uint64(be16(b[6:])))
		}
		return dst
	}
}

// llcSNAP returns the header when it is a SNAP one (DSAP and SSAP 0xaa, a
// UI frame, the OUI and protocol ID there).
func (p *Packet) llcSNAP() ([]byte, bool) {
	b := p.llcHeader()
	return b, len(b) >= 8 && b[0] == 0xaa && b[1] == 0xaa && b[2] == 0x03
}

// llcPayload returns what the LLC (and SNAP) header carries.
func (p *Packet) llcPayload() []byte {
	b := p.llcHeader()
	if _, ok := p.llcSNAP(); ok {
		return b[8:]
	}
	n := 4
	if len(b) >= 3 && b[2]&3 == 3 {
		n = 3
	}
	if len(b) < n {
		return nil
	}
	return b[n:]
}

var llcSAPNames = map[byte]string{
	0x00: "NULL LSAP", 0x10: "NetWare (unofficial?)", 0x02: "LLC Sub-Layer Management Individual", 0x03: "LLC Sub-Layer Management Group",
	0x06: "TCP/IP", 0x42: "Spanning Tree BPDU", 0x7e: "ISO 8208 (X.25 over 802.2)", 0x80: "XNS", 0x98: "ARP",
	0xaa: "SNAP", 0xe0: "NetWare", 0xf0: "NetBIOS", 0xf4: "IBM Net Management", 0xf8: "Remote Program Load",
	0xfe: "ISO Network Layer", 0xff: "Global LSAP",
}

var llcCommandNames = map[byte]string{0x00: "UI", 0xac: "XID", 0xe0: "TEST", 0x6c: "SABME", 0x40: "DISC", 0x0c: "SNRM", 0x80: "SNRME", 0x20: "UP", 0x84: "RSET"}
var llcResponseNames = map[byte]string{0x00: "UI", 0xac: "XID", 0xe0: "TEST", 0x60: "UA", 0x0c: "DM", 0x84: "FRMR", 0x40: "RD"}
var llcSupervisoryNames = [4]string{"RR", "RNR", "REJ", "SREJ"}

// llcInfo is the Info column of a frame whose topmost protocol is LLC, as
// Wireshark writes it: the control field, then the SAPs or the SNAP header.
func (p *Packet) llcInfo() string {
	b := p.llcHeader()
	c, ok := p.llcControl()
	if !ok {
		return ""
	}
	var s string
	resp := b[1]&1 == 1
	switch {
	case c&1 == 0:
		s = "I, N(R)=" + strconv.Itoa(int(c>>9)) + ", N(S)=" + strconv.Itoa(int(c>>1&0x7f))
	case c&3 == 1:
		s = "S, func=" + llcSupervisoryNames[c>>2&3] + ", N(R)=" + strconv.Itoa(int(c>>9))
	default:
		names := llcCommandNames
		if resp {
			names = llcResponseNames
		}
		s = "U"
		if c&0x10 != 0 {
			if resp {
				s += " F"
			} else {
				s += " P"
			}
		}
		name, ok := names[byte(c)&0xec]
		if !ok {
			name = "Unknown"
		}
		s += ", func=" + name
	}
	if sn, ok := p.llcSNAP(); ok {
		return s + "; SNAP, OUI 0x" + string(appendHex(nil, uint64(sn[3])<<16|uint64(sn[4])<<8|uint64(sn[5]), 6)) + ", PID 0x" + string(appendHex(nil, uint64(be16(sn[6:])), 4))
	}
	sap := func(v byte) string {
		if n, ok := llcSAPNames[v&^1]; ok {
			return n
		}
		return "0x" + string(appendHex(nil, uint64(v&^1), 2))
	}
	ig, cr := "Individual", "Command"
	if b[0]&1 == 1 {
		ig = "Group"
	}
	if resp {
		cr = "Response"
	}
	return s + "; DSAP " + sap(b[0]) + " " + ig + ", SSAP " + sap(b[1]) + " " + cr
}

// decodeLLC decodes the LLC header of an 802.3 frame (b: the bytes its length
// field counts) and what it carries: the spanning tree, CDP, else data.
func (d *Decoder) decodeLLC(p *Packet, b []byte) {
	if len(b) < 3 {
		if len(b) > 0 {
			p.has |= pData
			p.data = b
		}
		return
	}
	p.has |= llcProto.bit
	p.app = appInfo{payload: b}
	rest := p.llcPayload()
	_, snap := p.llcSNAP()
	cisco := snap && b[3] == 0 && b[4] == 0 && b[5] == 0x0c
	pvst := cisco && be16(b[6:]) == 0x010b // Cisco's PVST+
	if b[0] == 0x42 && b[1] == 0x42 || pvst {
		p.has |= stpProto.bit
		return
	}
	if cisco && be16(b[6:]) == 0x2000 {
		d.decodeCDP(p)
		return
	}
	if len(rest) > 0 {
		p.has |= pData
		p.data = rest
	}
}
