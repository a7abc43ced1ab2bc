package capture

import (
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// NTP (UDP port 123), as Wireshark's ntp dissector shows it: the flags byte
// (leap indicator, version, mode) of every message; the 48-byte header of
// modes 0–5 (stratum, poll, precision, root delay and dispersion, reference
// ID; the four timestamps are not fields here: absolute times are not a
// filter type) and what follows it, a key ID and a MAC; the 12-byte header of
// a control message (mode 6), with the association IDs and status words a
// READSTAT response lists. Private messages (mode 7, ntpdc) show their flags.
var ntpProto = protocol{
	name: "ntp", title: "NTP", desc: "Network Time Protocol", example: "ntp",
	udpPorts: []uint16{123},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		b := s.payload
		if !s.byPort || len(b) < 1 {
			return rejected
		}
		switch ntpMode(b) {
		case 6:
			if len(b) < 12 {
				return rejected
			}
		case 7:
			if len(b) < 4 {
				return rejected
			}
		default:
			if len(b) < 48 {
				return rejected
			}
		}
		s.takeApp(p)
		return taken
	},
	info: func(p *Packet) (string, string) {
		b := p.app.payload
		return "NTP", "NTP Version " + strconv.Itoa(int(b[0]>>3&7)) + ", " + ntpModeNames[ntpMode(b)]
	},
	fields: []field{
		{name: "ntp.flags", typ: filter.Uint, bits: 8, hex: 2, desc: "Flags: leap indicator, version and mode", example: "ntp.flags == 0x23",
			get: ntpByte(ntpAll, func(b []byte) uint64 { return uint64(b[0]) })},
		{name: "ntp.flags.li", typ: filter.Uint, bits: 8, named: true, desc: "Leap indicator: 0 none, 1 last minute has 61 s, 2 59 s, 3 unknown (clock unsynchronised); absent in mode 7", example: "ntp.flags.li == 3",
			get: ntpByte(ntpNotPrivate, func(b []byte) uint64 { return uint64(b[0] >> 6) })},
		{name: "ntp.flags.vn", typ: filter.Uint, bits: 8, named: true, desc: "Version number", example: "ntp.flags.vn == 4",
			get: ntpByte(ntpAll, func(b []byte) uint64 { return uint64(b[0] >> 3 & 7) })},
		{name: "ntp.flags.mode", typ: filter.Uint, bits: 8, named: true, desc: "Mode: 1 symmetric active, 2 symmetric passive, 3 client, 4 server, 5 broadcast, 6 control, 7 private", example: "ntp.flags.mode == 3",
			get: ntpByte(ntpAll, func(b []byte) uint64 { return uint64(ntpMode(b)) })},
		{name: "ntp.stratum", typ: filter.Uint, bits: 8, named: true, desc: "Stratum of the sender's clock: 0 unspecified (a kiss-o'-death), 1 primary, 2-15 secondary; in a private peer-list response, each peer's", example: "ntp.stratum == 2",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return ntpPeerByte(p.app.payload, dst, 1, 10) }},
		{name: "ntp.ppoll", typ: filter.Uint, bits: 8, desc: "Poll interval, log2 seconds; in a private peer-list response, each peer's", example: "ntp.ppoll >= 6",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return ntpPeerByte(p.app.payload, dst, 2, 12) }},
		{name: "ntp.precision", typ: filter.Uint, bits: 8, desc: "Precision of the clock, log2 seconds, as the byte (a signed number: 232 is -24)", example: "ntp.precision == 232",
			get: ntpByte(ntpStd, func(b []byte) uint64 { return uint64(b[3]) })},
		{name: "ntp.rootdelay", typ: filter.Uint, bits: 32, desc: "Root delay, as the 32-bit word (16.16 fixed-point seconds)", example: "ntp.rootdelay > 0",
			get: ntpByte(ntpStd, func(b []byte) uint64 { return uint64(be32(b[4:])) })},
		{name: "ntp.rootdispersion", typ: filter.Uint, bits: 32, desc: "Root dispersion, as the 32-bit word (16.16 fixed-point seconds)", example: "ntp.rootdispersion > 0",
			get: ntpByte(ntpStd, func(b []byte) uint64 { return uint64(be32(b[8:])) })},
		{name: "ntp.refid", typ: filter.Bytes, desc: "Reference ID: a stratum 1 clock's source (\"GPS\"), a server's address, a kiss code (\"RATE\")", example: `ntp.refid == "RATE"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; ntpStd(b) {
					dst = append(dst, filter.Value{B: b[12:16]})
				}
				return dst
			}},
		{name: "ntp.keyid", typ: filter.Bytes, desc: "Key ID of an authenticated message (the 4 bytes after the header)", example: "ntp.keyid",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if k, _, ok := ntpAuth(p.app.payload); ok {
					dst = append(dst, filter.Value{B: k})
				}
				return dst
			}},
		{name: "ntp.mac", typ: filter.Bytes, desc: "Message authentication code (the digest after the key ID)", example: "ntp.mac",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if _, mac, ok := ntpAuth(p.app.payload); ok && len(mac) > 0 {
					dst = append(dst, filter.Value{B: mac})
				}
				return dst
			}},
		{name: "ntp.ctrl.flags2", typ: filter.Uint, bits: 8, hex: 2, desc: "Control message: response, error and more bits and the opcode", example: "ntp.ctrl.flags2 & 0x80",
			get: ntpByte(ntpCtrl, func(b []byte) uint64 { return uint64(b[1]) })},
		{name: "ntp.ctrl.flags2.r", typ: filter.Uint, bits: 8, named: true, desc: "Control message: 1 a response, 0 a request", example: "ntp.ctrl.flags2.r == 1",
			get: ntpByte(ntpCtrl, func(b []byte) uint64 { return uint64(b[1] >> 7) })},
		{name: "ntp.ctrl.flags2.error", typ: filter.Uint, bits: 8, desc: "Control message: the error bit", example: "ntp.ctrl.flags2.error == 1",
			get: ntpByte(ntpCtrl, func(b []byte) uint64 { return uint64(b[1] >> 6 & 1) })},
		{name: "ntp.ctrl.flags2.more", typ: filter.Uint, bits: 8, desc: "Control message: more fragments follow", example: "ntp.ctrl.flags2.more == 1",
			get: ntpByte(ntpCtrl, func(b []byte) uint64 { return uint64(b[1] >> 5 & 1) })},
		{name: "ntp.ctrl.flags2.opcode", typ: filter.Uint, bits: 8, named: true, desc: "Control message opcode: 1 read status, 2 read variables, ...", example: "ntp.ctrl.flags2.opcode == 2",
			get: ntpByte(ntpCtrl, func(b []byte) uint64 { return uint64(b[1] & 0x1f) })},
		{name: "ntp.ctrl.sequence", typ: filter.Uint, bits: 16, desc: "Control message sequence number", example: "ntp.ctrl.sequence == 68",
			get: ntpByte(ntpCtrl, func(b []byte) uint64 { return uint64(be16(b[2:])) })},
		{name: "ntp.ctrl.status", typ: filter.Uint, bits: 16, hex: 4, desc: "Control message status word; a read-status response adds each association's", example: "ntp.ctrl.status == 0x0618",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return ntpCtrlWords(p.app.payload, dst, 4, 2) }},
		{name: "ntp.ctrl.associd", typ: filter.Uint, bits: 16, desc: "Control message association ID; a read-status response adds each association's", example: "ntp.ctrl.associd == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return ntpCtrlWords(p.app.payload, dst, 6, 0) }},
		{name: "ntp.ctrl.offset", typ: filter.Uint, bits: 16, desc: "Control message: offset of the data in the whole response", example: "ntp.ctrl.offset > 0",
			get: ntpByte(ntpCtrl, func(b []byte) uint64 { return uint64(be16(b[8:])) })},
		{name: "ntp.ctrl.count", typ: filter.Uint, bits: 16, desc: "Control message: bytes of data", example: "ntp.ctrl.count > 0",
			get: ntpByte(ntpCtrl, func(b []byte) uint64 { return uint64(be16(b[10:])) })},
	},
}

var ntpModeNames = [8]string{"reserved", "symmetric active", "symmetric passive", "client", "server", "broadcast", "control", "private"}

func ntpMode(b []byte) int { return int(b[0] & 7) }

// The kinds of message a field is shown in.
func ntpAll(b []byte) bool        { return true }
func ntpNotPrivate(b []byte) bool { return ntpMode(b) != 7 }
func ntpStd(b []byte) bool        { return ntpMode(b) < 6 }
func ntpCtrl(b []byte) bool       { return ntpMode(b) == 6 }

// ntpByte is a field of one value, present in the messages in says.
func ntpByte(in func([]byte) bool, v func(b []byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := p.app.payload; in(b) {
			dst = u(dst, v(b))
		}
		return dst
	}
}

// ntpAuth returns the key ID and MAC after a mode 0–5 header: Wireshark
// first steps over extension fields while more than 24 bytes remain (a type
// and a length that counts its own 4 bytes), then reads 4 bytes of key ID
// when there are, and the rest as the MAC.
func ntpAuth(b []byte) (keyid, mac []byte, ok bool) {
	if !ntpStd(b) {
		return nil, nil, false
	}
	off := 48
	for len(b)-off > 24 {
		n := int(be16(b[off+2:]))
		if n < 4 || off+n > len(b) {
			return nil, nil, false
		}
		off += n
	}
	if len(b)-off < 4 {
		return nil, nil, false
	}
	return b[off : off+4], b[off+4:], true
}

// ntpPeerByte appends the byte at std of a mode 0–5 header, or the byte at
// item of each peer a private PEER_LIST_SUM response (mode 7, response bit,
// request code 1) lists: its 8-byte header gives the number of items and
// their size.
func ntpPeerByte(b []byte, dst []filter.Value, std, item int) []filter.Value {
	if ntpStd(b) {
		return u(dst, uint64(b[std]))
	}
	if ntpMode(b) != 7 || b[0]&0x80 == 0 || len(b) < 8 || b[3] != 1 {
		return dst
	}
	n, size := int(be16(b[4:])&0xfff), int(be16(b[6:])&0xfff)
	if size <= item {
		return dst
	}
	for i, off := 0, 8; i < n && off+size <= len(b); i, off = i+1, off+size {
		dst = u(dst, uint64(b[off+item]))
	}
	return dst
}

// ntpCtrlWords appends, of a control message, the 16-bit word at off in the
// header and, in a read-status response (opcode 1, response bit set), the
// word at pair (0 the association ID, 2 the status) of each 4-byte entry of
// its data.
func ntpCtrlWords(b []byte, dst []filter.Value, off, pair int) []filter.Value {
	if !ntpCtrl(b) {
		return dst
	}
	dst = u(dst, uint64(be16(b[off:])))
	if b[1]&0x80 == 0 || b[1]&0x1f != 1 {
		return dst
	}
	data := b[12:]
	if n := int(be16(b[10:])); n < len(data) {
		data = data[:n]
	}
	for ; len(data) >= 4; data = data[4:] {
		dst = u(dst, uint64(be16(data[pair:])))
	}
	return dst
}
