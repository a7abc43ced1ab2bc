package capture

import (
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// STP (the spanning tree's BPDUs, LLC SAP 0x42), as Wireshark's stp
// dissector shows them: a configuration BPDU (type 0x00), a topology change
// notification (0x80, three bytes), and the rapid (RSTP, version 2) and
// multiple (MSTP, version 3) spanning tree BPDUs (0x02), with their flags,
// root and bridge identifiers (priority, system ID extension and MAC, as
// Wireshark splits them by default), path cost, port and timers (seconds). The
// MSTP part after the common header (configuration name, MSTIs) has no fields
// here.
var stpProto = protocol{
	name: "stp", title: "STP", desc: "Spanning Tree Protocol", example: "stp",
	shown: func(p *Packet) bool { return stpShown(p.llcPayload()) },
	fields: []field{
		{name: "stp.protocol", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Protocol identifier (0x0000)", example: "stp.protocol == 0x0000",
			get: stpField(0, 2, 0)},
		{name: "stp.version", typ: filter.Uint, bits: 8, named: true, desc: "Protocol version: 0 STP, 2 RSTP, 3 MSTP, 4 SPB", example: "stp.version == 2",
			get: stpField(2, 1, 0)},
		{name: "stp.type", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "BPDU type: 0x00 configuration, 0x80 topology change notification, 0x02 rapid/multiple spanning tree", example: "stp.type == 0x80",
			get: stpField(3, 1, 0)},
		{name: "stp.flags", typ: filter.Uint, bits: 8, hex: 2, desc: "BPDU flags", example: "stp.flags & 0x01",
			get: stpField(4, 1, stpHeader)},
		{name: "stp.flags.tcack", typ: filter.Bool, named: true, desc: "Topology change acknowledgment flag", example: "stp.flags.tcack == 1",
			get: stpFlag(0x80, false)},
		{name: "stp.flags.agreement", typ: filter.Bool, named: true, desc: "Agreement flag (RSTP)", example: "stp.flags.agreement == 1",
			get: stpFlag(0x40, true)},
		{name: "stp.flags.forwarding", typ: filter.Bool, named: true, desc: "Forwarding flag (RSTP)", example: "stp.flags.forwarding == 1",
			get: stpFlag(0x20, true)},
		{name: "stp.flags.learning", typ: filter.Bool, named: true, desc: "Learning flag (RSTP)", example: "stp.flags.learning == 1",
			get: stpFlag(0x10, true)},
		{name: "stp.flags.port_role", typ: filter.Uint, bits: 8, named: true, desc: "Port role (RSTP): 1 alternate or backup, 2 root, 3 designated", example: "stp.flags.port_role == 3",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b, ok := p.stpBytes(5); ok && stpRapid(b) {
					for _, f := range stpFlagBytes(b) {
						dst = u(dst, uint64(f>>2&3))
					}
				}
				return dst
			}},
		{name: "stp.flags.proposal", typ: filter.Bool, named: true, desc: "Proposal flag (RSTP)", example: "stp.flags.proposal == 1",
			get: stpFlag(0x02, true)},
		{name: "stp.flags.tc", typ: filter.Bool, named: true, desc: "Topology change flag", example: "stp.flags.tc == 1",
			get: stpFlag(0x01, false)},
		{name: "stp.root.prio", typ: filter.Uint, bits: 16, desc: "Root bridge priority (a multiple of 4096)", example: "stp.root.prio == 32768",
			get: stpField(5, 2, stpHeader, 0xf000)},
		{name: "stp.root.ext", typ: filter.Uint, bits: 16, desc: "Root bridge system ID extension (the VLAN, with PVST)", example: "stp.root.ext == 1",
			get: stpField(5, 2, stpHeader, 0x0fff)},
		{name: "stp.root.hw", typ: filter.Ether, desc: "Root bridge MAC address", example: "stp.root.hw == 00:19:06:ea:b8:80",
			get: stpField(7, 6, stpHeader)},
		{name: "stp.root.cost", typ: filter.Uint, bits: 32, desc: "Root path cost", example: "stp.root.cost == 0",
			get: stpField(13, 4, stpHeader)},
		{name: "stp.bridge.prio", typ: filter.Uint, bits: 16, desc: "Sending bridge's priority", example: "stp.bridge.prio == 32768",
			get: stpField(17, 2, stpHeader, 0xf000)},
		{name: "stp.bridge.ext", typ: filter.Uint, bits: 16, desc: "Sending bridge's system ID extension", example: "stp.bridge.ext == 1",
			get: stpField(17, 2, stpHeader, 0x0fff)},
		{name: "stp.bridge.hw", typ: filter.Ether, desc: "Sending bridge's MAC address", example: "stp.bridge.hw == 00:19:06:ea:b8:80",
			get: stpField(19, 6, stpHeader)},
		{name: "stp.port", typ: filter.Uint, bits: 16, hex: 4, desc: "Port identifier (priority and number)", example: "stp.port == 0x8001",
			get: stpField(25, 2, stpHeader)},
		{name: "stp.msg_age", typ: filter.Float, double: true, desc: "Message age, in seconds", example: "stp.msg_age > 0",
			get: stpTime(27)},
		{name: "stp.max_age", typ: filter.Float, double: true, desc: "Max age, in seconds", example: "stp.max_age == 20",
			get: stpTime(29)},
		{name: "stp.hello", typ: filter.Float, double: true, desc: "Hello time, in seconds", example: "stp.hello == 2",
			get: stpTime(31)},
		{name: "stp.forward", typ: filter.Float, double: true, desc: "Forward delay, in seconds", example: "stp.forward == 15",
			get: stpTime(33)},
		{name: "stp.version_1_length", typ: filter.Uint, bits: 8, desc: "Version 1 length (RSTP and MSTP: 0)", example: "stp.version_1_length == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b, ok := p.stpBytes(36); ok && stpRapid(b) {
					dst = u(dst, uint64(b[35]))
				}
				return dst
			}},
		{name: "stp.pvst.origvlan", typ: filter.Uint, bits: 16, desc: "Originating VLAN of a Cisco PVST+ BPDU (its TLV after the BPDU)", example: "stp.pvst.origvlan == 5",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				b, ok := p.stpBytes(stpHeader)
				if _, snap := p.llcSNAP(); !ok || !snap || !stpConfig(b) {
					return dst
				}
				off := stpHeader
				if stpRapid(b) {
					off++ // the version 1 length
				}
				if off+6 <= len(b) && be16(b[off:]) == 0 && be16(b[off+2:]) == 2 {
					dst = u(dst, uint64(be16(b[off+4:])))
				}
				return dst
			}},
	},
	info: func(p *Packet) (string, string) { return "STP", p.stpInfo() },
}

// stpHeader is the length of a configuration BPDU's header (types 0x00 and
// 0x02): a topology change notification has only the first 4 bytes.
const stpHeader = 35

// stpBytes returns the BPDU when at least n of its bytes were captured and
// it has fields at all (stpShown).
func (p *Packet) stpBytes(n int) ([]byte, bool) {
	b := p.llcPayload()
	return b, len(b) >= n && stpShown(b)
}

// stpShown reports whether a BPDU has fields: Wireshark reads a
// configuration BPDU's root, cost and port (for the Info column) before it
// adds any field, so one cut short before its 27th byte has none, and no
// BPDU has fields before its type byte. frame.protocols names stp anyway.
func stpShown(b []byte) bool {
	return len(b) >= 4 && (!stpConfig(b) || len(b) >= 27)
}

// stpConfig reports a BPDU with a configuration header: type 0x00 or 0x02.
func stpConfig(b []byte) bool { return b[3] == 0x00 || b[3] == 0x02 }

// stpRapid reports a rapid or multiple spanning tree BPDU (type 0x02).
func stpRapid(b []byte) bool { return b[3] == 0x02 }

// stpField reads the big-endian number of n bytes at off, masked by mask
// when given, from a BPDU with at least need bytes (a
// configuration header when need is stpHeader).
func stpField(off, n, need int, mask ...uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		b, ok := p.stpBytes(max(off+n, need))
		if !ok || need == stpHeader && !stpConfig(b) {
			return dst
		}
		var v uint64
		for _, c := range b[off : off+n] {
			v = v<<8 | uint64(c)
		}
		if len(mask) > 0 {
			v &= mask[0]
		}
		return u(dst, v)
	}
}

// stpFlag is one flag bit; rapid flags exist only in a type 0x02 BPDU. An
// MSTP BPDU has the flags again in each MSTI record: each is an occurrence.
func stpFlag(bit byte, rapid bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		b, ok := p.stpBytes(5)
		if !ok || !stpConfig(b) || rapid && !stpRapid(b) {
			return dst
		}
		for _, f := range stpFlagBytes(b) {
			if f&bit != 0 {
				dst = u(dst, 1)
			} else {
				dst = u(dst, 0)
			}
		}
		return dst
	}
}

// stpFlagBytes are a BPDU's flags: the header's, then each whole MSTI
// record's of an MSTP BPDU (16 bytes each from offset 102, as many as the
// version 3 length counts after its 64 bytes of CIST information).
func stpFlagBytes(b []byte) []byte {
	flags := b[4:5]
	if !stpRapid(b) || b[2] < 3 || len(b) < 38 {
		return flags
	}
	n := (int(be16(b[36:])) - 64) / 16
	for i, off := 0, 102; i < n && off+16 <= len(b); i, off = i+1, off+16 {
		flags = append(flags[:len(flags):len(flags)], b[off])
	}
	return flags
}

// stpTime is a timer, in 1/256 s on the wire.
func stpTime(off int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b, ok := p.stpBytes(stpHeader); ok && stpConfig(b) {
			dst = append(dst, filter.Value{F: float64(be16(b[off:])) / 256})
		}
		return dst
	}
}

// stpInfo is the Info column as Wireshark writes it.
func (p *Packet) stpInfo() string {
	b := p.llcPayload()
	switch {
	case !stpShown(b):
		return ""
	case b[3] == 0x80:
		return "Topology Change Notification"
	case !stpConfig(b):
		return "Unknown BPDU type (" + strconv.Itoa(int(b[3])) + ")"
	case len(b) < stpHeader:
		return ""
	}
	kind := "Conf. "
	if stpRapid(b) {
		switch b[2] {
		case 3:
			kind = "MST. "
		case 4:
			kind = "SPT. "
		default:
			kind = "RST. "
		}
	}
	if b[4]&1 != 0 {
		kind += "TC + "
	}
	root := be16(b[5:])
	return kind + "Root = " + strconv.Itoa(int(root&0xf000)) + "/" + strconv.Itoa(int(root&0x0fff)) + "/" + string(appendMAC(nil, mac48(b[7:13]))) +
		"  Cost = " + strconv.FormatUint(uint64(be32(b[13:])), 10) + "  Port = 0x" + string(appendHex(nil, uint64(be16(b[25:])), 4))
}
