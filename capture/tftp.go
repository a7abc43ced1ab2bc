package capture

import (
	"bytes"
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// TFTP (UDP port 69), as Wireshark's tftp dissector shows it. A read or
// write request to port 69 starts a transfer; the server answers from a port
// of its own, so the transfer's later packets (DATA, ACK, ERROR, OACK) are
// found by their conversation, not by a port: the client's address and port
// and the server's address, the server's port fixed by its first answer.
// Each later packet names the request's file (tftp.destination_file, as
// Wireshark's generated field does, for a read as for a write) and frame
// (tftp.request_frame); a DATA packet's bytes are data, and it is the last
// when it is shorter than the block size (512, or the blksize an OACK
// granted).
var tftpProto = protocol{
	name: "tftp", title: "TFTP", desc: "Trivial File Transfer Protocol", example: "tftp",
	strEnc:   encASCII,
	udpPorts: []uint16{69},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		b := s.payload
		if s.tcp || !s.byPort || s.dport != 69 || len(b) < 2 {
			return rejected
		}
		// Anything sent to port 69 is TFTP and starts a transfer; only a
		// request gives it a file and a request frame.
		c := &tftpConv{blksize: 512, next: 1}
		if op := be16(b); op == tftpRRQ || op == tftpWRQ {
			if file, _, ok := cutZero(b[2:]); ok {
				c.reqFrame, c.file = p.Number, string(file)
			}
		}
		src, dst := p.endpoints()
		d.streams.tftpAdd(tftpKey{client: src, server: dst, port: s.sport}, c)
		d.tftpMessage(p, s, c, true)
		return taken
	},
	conv: func(d *Decoder, p *Packet, s *segment) bool {
		if s.tcp || len(d.streams.tftp) == 0 || len(s.payload) < 2 {
			return false
		}
		src, dst := p.endpoints()
		fromServer := true
		c := d.streams.tftp[tftpKey{client: dst, server: src, port: s.dport}]
		if c == nil {
			c, fromServer = d.streams.tftp[tftpKey{client: src, server: dst, port: s.sport}], false
		}
		switch {
		case c == nil:
			return false
		case c.serverPort == 0 && fromServer:
			c.serverPort = s.sport
		case fromServer && s.sport != c.serverPort, !fromServer && s.dport != c.serverPort:
			return false
		}
		d.tftpMessage(p, s, c, false)
		return true
	},
	info: func(p *Packet) (string, string) { return "TFTP", p.tftpInfo() },
	fields: []field{
		{name: "tftp.opcode", typ: filter.Uint, bits: 16, named: true, desc: "Opcode: 1 read request, 2 write request, 3 data, 4 acknowledgement, 5 error, 6 option acknowledgement", example: "tftp.opcode == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(be16(p.app.payload))) }},
		{name: "tftp.source_file", typ: filter.String, desc: "File a read request asks for", example: `tftp.source_file == "boot.img"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if be16(p.app.payload) == tftpRRQ {
					dst = tftpString(dst, p.app.payload, 0)
				}
				return dst
			}},
		{name: "tftp.destination_file", typ: filter.String, desc: "File a write request names; on a transfer's later packets, the request's file (read or write)", example: `tftp.destination_file == "upload.txt"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				switch t := p.tftp; {
				case be16(p.app.payload) == tftpWRQ:
					dst = tftpString(dst, p.app.payload, 0)
				case t != nil && !t.request && t.reqFrame != 0:
					dst = append(dst, filter.Value{B: []byte(t.file)})
				}
				return dst
			}},
		{name: "tftp.request_frame", typ: filter.Uint, bits: 32, desc: "Frame of the request that started the transfer (on its later packets)", example: "tftp.request_frame == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if t := p.tftp; t != nil && !t.request && t.reqFrame != 0 {
					dst = u(dst, uint64(t.reqFrame))
				}
				return dst
			}},
		{name: "tftp.type", typ: filter.String, desc: "Transfer mode of a request: octet, netascii, mail", example: `tftp.type == "octet"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if op := be16(p.app.payload); op == tftpRRQ || op == tftpWRQ {
					dst = tftpString(dst, p.app.payload, 1)
				}
				return dst
			}},
		{name: "tftp.block", typ: filter.Uint, bits: 16, desc: "Block number of a DATA or ACK packet", example: "tftp.block == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; tftpBlocked(b) {
					dst = u(dst, uint64(be16(b[2:])))
				}
				return dst
			}},
		{name: "tftp.block.full", typ: filter.Uint, bits: 32, desc: "Block number counted past 65535 (a transfer's block numbers wrap)", example: "tftp.block.full > 65535",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if t := p.tftp; t != nil && tftpBlocked(p.app.payload) {
					dst = u(dst, uint64(t.full))
				}
				return dst
			}},
		{name: "tftp.error.code", typ: filter.Uint, bits: 16, named: true, desc: "Error code: 0 not defined, 1 file not found, 2 access violation, 3 disk full, 4 illegal operation, 5 unknown transfer ID, 6 file exists, 7 no such user, 8 option negotiation failed", example: "tftp.error.code == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; be16(b) == tftpError && len(b) >= 4 {
					dst = u(dst, uint64(be16(b[2:])))
				}
				return dst
			}},
		{name: "tftp.error.message", typ: filter.String, desc: "Error message", example: `tftp.error.message contains "not found"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; be16(b) == tftpError && len(b) > 4 {
					dst = tftpString(dst, b[2:], 0)
				}
				return dst
			}},
		{name: "tftp.option.name", typ: filter.String, desc: "Name of an option a request asks for or an OACK grants (blksize, tsize, timeout, windowsize)", example: `tftp.option.name == "blksize"`,
			get: tftpOption(false)},
		{name: "tftp.option.value", typ: filter.String, desc: "Value of an option", example: `tftp.option.value == "1428"`,
			get: tftpOption(true)},
		{name: "tftp.data", typ: filter.Bytes, desc: "The bytes after the opcode of a message of an unknown opcode", example: "tftp.data",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; be16(b) > tftpOACK && len(b) > 2 {
					dst = append(dst, filter.Value{B: b[2:]})
				}
				return dst
			}},
	},
}

// TFTP opcodes.
const (
	tftpRRQ   = 1
	tftpWRQ   = 2
	tftpData  = 3
	tftpAck   = 4
	tftpError = 5
	tftpOACK  = 6
)

// tftpConv is one transfer, as its request started it.
type tftpConv struct {
	reqFrame   int // 0: no request started it
	file       string
	serverPort uint16 // 0 until the server's first answer
	blksize    int
	next       uint32 // the block number expected next, counted past 65535
}

// tftpKey finds a transfer: the client's address and port, the server's
// address.
type tftpKey struct {
	client, server [16]byte
	port           uint16
}

// tftpInfo is what a TFTP packet knows of its transfer.
type tftpInfo struct {
	request  bool // the request itself
	file     string
	reqFrame int
	full     uint32 // the block number, counted past 65535
	last     bool   // a DATA packet shorter than the block size
}

// tftpAdd remembers a transfer, forgetting every other one when the table is
// full.
func (s *streams) tftpAdd(k tftpKey, c *tftpConv) {
	if s.tftp == nil || len(s.tftp) >= maxSmallConns {
		s.tftp = make(map[tftpKey]*tftpConv)
	}
	s.tftp[k] = c
}

// tftpMessage records a TFTP message of transfer c in p and advances the
// transfer: the block numbers it has seen, the block size an OACK grants.
func (d *Decoder) tftpMessage(p *Packet, s *segment, c *tftpConv, request bool) {
	s.takeApp(p)
	b := s.payload
	t := &tftpInfo{request: request, file: c.file, reqFrame: c.reqFrame}
	p.tftp = t
	switch op := be16(b); {
	case tftpBlocked(b):
		blk := be16(b[2:])
		// The full block number: the one expected next, moved by the
		// (signed, 16-bit) difference from it.
		delta := int16(uint16(c.next) - blk)
		if int32(delta) > int32(c.next) {
			t.full = uint32(blk)
		} else {
			t.full = uint32(int64(c.next) - int64(delta))
		}
		if op == tftpData {
			t.last = len(b)-4 < c.blksize
			if t.full >= c.next {
				c.next = t.full + 1
			}
			if len(b) > 4 {
				p.has |= pData
				p.data = b[4:]
			}
		}
	case op == tftpOACK:
		tftpOptions(b[2:], func(name, value []byte) {
			if bytes.EqualFold(name, []byte("blksize")) {
				if n, err := strconv.Atoi(string(value)); err == nil && n >= 8 && n <= 65464 {
					c.blksize = n
				}
			}
		})
	}
}

// tftpBlocked reports a DATA or ACK packet long enough for its block number.
func tftpBlocked(b []byte) bool {
	op := be16(b)
	return (op == tftpData || op == tftpAck) && len(b) >= 4
}

// cutZero splits b at its first zero byte; ok is false when there is none.
func cutZero(b []byte) (before, after []byte, ok bool) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}

// tftpString appends the nth zero-terminated string after the opcode; a
// string without its zero byte is no string (Wireshark's dissection stops
// there: the packet is malformed).
func tftpString(dst []filter.Value, b []byte, n int) []filter.Value {
	rest := b[2:]
	for i := 0; ; i++ {
		s, after, ok := cutZero(rest)
		if !ok {
			return dst
		}
		if i == n {
			return append(dst, filter.Value{B: s})
		}
		rest = after
	}
}

// tftpOptions calls fn with each whole option (name, value) in b, the part
// of a message where options start.
func tftpOptions(b []byte, fn func(name, value []byte)) {
	for len(b) > 0 {
		name, rest, ok := cutZero(b)
		if !ok {
			return
		}
		value, rest, ok := cutZero(rest)
		if !ok {
			return
		}
		fn(name, value)
		b = rest
	}
}

// tftpOptionsAt returns where a message's options start: after a request's
// file name and mode, right after an OACK's opcode; ok is false for others.
func tftpOptionsAt(b []byte) (opts []byte, ok bool) {
	switch be16(b) {
	case tftpRRQ, tftpWRQ:
		_, rest, _ := cutZero(b[2:])
		_, rest, _ = cutZero(rest)
		return rest, true
	case tftpOACK:
		return b[2:], true
	}
	return nil, false
}

func tftpOption(value bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if opts, ok := tftpOptionsAt(p.app.payload); ok {
			tftpOptions(opts, func(n, v []byte) {
				if value {
					n = v
				}
				dst = append(dst, filter.Value{B: n})
			})
		}
		return dst
	}
}

var tftpOpNames = [...]string{"", "Read Request", "Write Request", "Data Packet", "Acknowledgement", "Error Code", "Option Acknowledgement"}

var tftpErrorNames = [...]string{"Not defined", "File not found", "Access violation", "Disk full or allocation exceeded",
	"Illegal TFTP Operation", "Unknown transfer ID", "File already exists", "No such user", "Option negotiation failed"}

// tftpInfo is the Info column as Wireshark writes it.
func (p *Packet) tftpInfo() string {
	b := p.app.payload
	op := be16(b)
	var s string
	switch {
	case int(op) < len(tftpOpNames) && op > 0:
		s = tftpOpNames[op]
	case op == 255:
		s = "Information (MSDP)"
	default:
		return "Unknown (0x" + string(appendHex(nil, uint64(op), 4)) + ")"
	}
	str := func(n int) (string, bool) {
		v := tftpString(nil, b, n)
		if len(v) == 0 {
			return "", false
		}
		return string(appendEscaped(nil, v[0].B)), true
	}
	options := func() {
		if opts, ok := tftpOptionsAt(b); ok {
			tftpOptions(opts, func(n, v []byte) {
				s += ", " + string(appendEscaped(nil, n)) + "=" + string(appendEscaped(nil, v))
			})
		}
	}
	switch op {
	case tftpRRQ, tftpWRQ: // as far as the strings are whole
		if file, ok := str(0); ok {
			s += ", File: " + file
			if mode, ok := str(1); ok {
				s += ", Transfer type: " + mode
				options()
			}
		}
	case tftpData, tftpAck:
		if t := p.tftp; t != nil && len(b) >= 4 {
			s += ", Block: " + strconv.FormatUint(uint64(t.full), 10)
			if op == tftpData && t.last {
				s += " (last)"
			}
		}
	case tftpError:
		if len(b) >= 4 {
			code := be16(b[2:])
			name := "Unknown (" + strconv.Itoa(int(code)) + ")"
			if int(code) < len(tftpErrorNames) {
				name = tftpErrorNames[code]
			}
			s += ", Code: " + name
			if v := tftpString(nil, b[2:], 0); len(v) > 0 {
				s += ", Message: " + string(appendEscaped(nil, v[0].B))
			}
		}
	case tftpOACK:
		options()
	}
	return s
}
