package capture

import (
	"strconv"

	"github.com/gopacket/gopacket/layers"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// TCP: the header, conversation state (stream.go: tcp.stream, relative sequence
// numbers, window scaling) and Wireshark's sequence analysis. Payloads go to the
// application protocols of the table (dispatch).
var tcpProto = protocol{
	name: "tcp", title: "TCP", desc: "Transmission Control Protocol", example: "tcp", bit: pTCP, header: true,
	fields: append([]field{
		{name: "tcp.srcport", typ: filter.Uint, bits: 16, desc: "TCP source port", example: "tcp.srcport == 80",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.sport)) }},
		{name: "tcp.dstport", typ: filter.Uint, bits: 16, desc: "TCP destination port", example: "tcp.dstport == 80",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.dport)) }},
		{name: "tcp.port", typ: filter.Uint, bits: 16, desc: "TCP source or destination port", example: "tcp.port in {80, 443, 8000..8080}",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return u(u(dst, uint64(p.tcp.sport)), uint64(p.tcp.dport))
			}},
		{name: "tcp.stream", conv: true, typ: filter.Uint, bits: 32, desc: "TCP conversation index, from 0 in order of first appearance", example: "tcp.stream == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.stream)) }},
		{name: "tcp.len", typ: filter.Uint, bits: 32, desc: "TCP segment (payload) length, in bytes", example: "tcp.len > 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.tcp.quoted {
					return dst
				}
				return u(dst, uint64(p.tcp.length))
			}},
		{name: "tcp.seq", conv: true, typ: filter.Uint, bits: 32, desc: "Sequence number, relative to the direction's initial sequence number", example: "tcp.seq == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.seq)) }},
		{name: "tcp.seq_raw", typ: filter.Uint, bits: 32, desc: "Sequence number as sent", example: "tcp.seq_raw == 1234567",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.tcp.quoted && p.has&pIP != 0 {
					return dst // tshark: not in an ICMP error's quote (it is in ICMPv6's)
				}
				return u(dst, uint64(p.tcp.seqRaw))
			}},
		{name: "tcp.nxtseq", conv: true, typ: filter.Uint, bits: 32, desc: "Next expected sequence number (seq + len + SYN + FIN), relative", example: "tcp.nxtseq == 84",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.tcp.quoted {
					return dst
				}
				return u(dst, uint64(p.tcp.nxtseq))
			}},
		{name: "tcp.ack", conv: true, typ: filter.Uint, bits: 32, desc: "Acknowledgment number, relative to the other direction's initial sequence number (0 without ACK)", example: "tcp.ack == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.ack)) }},
		{name: "tcp.ack_raw", typ: filter.Uint, bits: 32, desc: "Acknowledgment number as sent", example: "tcp.ack_raw == 7654321",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.ackRaw)) }},
		{name: "tcp.hdr_len", typ: filter.Uint, bits: 8, desc: "TCP header length, in bytes", example: "tcp.hdr_len == 32",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.hdrLen)) }},
		{name: "tcp.flags", typ: filter.Uint, bits: 16, hex: 4, desc: "TCP flags as a number (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80)", example: "tcp.flags & 0x12 == 0x12",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.flags)) }},
		{name: "tcp.flags.fin", typ: filter.Bool, named: true, desc: "TCP FIN flag", example: "tcp.flags.fin == 1", get: tcpFlag(0)},
		{name: "tcp.flags.syn", typ: filter.Bool, named: true, desc: "TCP SYN flag", example: "tcp.flags.syn == 1 && tcp.flags.ack == 0", get: tcpFlag(1)},
		{name: "tcp.flags.reset", typ: filter.Bool, named: true, desc: "TCP RST flag", example: "tcp.flags.reset == 1", get: tcpFlag(2)},
		{name: "tcp.flags.push", typ: filter.Bool, named: true, desc: "TCP PSH flag", example: "tcp.flags.push == 1", get: tcpFlag(3)},
		{name: "tcp.flags.ack", typ: filter.Bool, named: true, desc: "TCP ACK flag", example: "tcp.flags.ack == 1", get: tcpFlag(4)},
		{name: "tcp.flags.urg", typ: filter.Bool, named: true, desc: "TCP URG flag", example: "tcp.flags.urg == 1", get: tcpFlag(5)},
		{name: "tcp.flags.ece", typ: filter.Bool, named: true, desc: "TCP ECN-Echo flag", example: "tcp.flags.ece == 1", get: tcpFlag(6)},
		{name: "tcp.flags.cwr", typ: filter.Bool, named: true, desc: "TCP congestion window reduced flag", example: "tcp.flags.cwr == 1", get: tcpFlag(7)},
		{name: "tcp.flags.ae", typ: filter.Bool, named: true, desc: "TCP Accurate ECN flag (was NS, the ECN nonce)", example: "tcp.flags.ae == 1", get: tcpFlag(8)},
		{name: "tcp.flags.res", typ: filter.Bool, named: true, desc: "The reserved flag bits: 1 when any is set", example: "tcp.flags.res == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if hdr := p.tcpHeader(); len(hdr) >= 13 {
					dst = u(dst, uint64(min(1, hdr[12]&0x0e)))
				}
				return dst
			}},
		{name: "tcp.window_size_scalefactor", typ: filter.Int, bits: 32, conv: true, desc: "What the window field is multiplied by: 2 to the window scale option's shift, -1 when the handshake was not seen, -2 when it agreed no scaling; absent on a SYN", example: "tcp.window_size_scalefactor == 128",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				switch t := &p.tcp; {
				case t.flags&0x02 != 0:
				case t.scale >= 0:
					dst = u(dst, 1<<uint(t.scale))
				default:
					dst = u(dst, uint64(int64(t.scale)))
				}
				return dst
			}},
		{name: "tcp.window_size_value", typ: filter.Uint, bits: 16, desc: "Window field as sent (before scaling)", example: "tcp.window_size_value == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.win)) }},
		{name: "tcp.window_size", conv: true, typ: filter.Uint, bits: 32, desc: "Window size after window scaling, when the handshake was seen", example: "tcp.window_size < 1000",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.winScaled)) }},
		{name: "tcp.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "TCP checksum", example: "tcp.checksum == 0xfe30",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.checksum)) }},
		{name: "tcp.segments", typ: filter.None, conv: true, desc: "The frame completes a message (HTTP) that began in earlier segments: tshark's [Reassembled TCP Segments]", example: "tcp.segments",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if len(p.tcpSegs) > 0 {
					dst = u(dst, 0)
				}
				return dst
			}},
		{name: "tcp.segment", typ: filter.Uint, bits: 32, conv: true, desc: "Each frame of that message's segments, this one last", example: "tcp.segment == 6",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				for _, s := range p.tcpSegs {
					dst = u(dst, uint64(s.frame))
				}
				return dst
			}},
		{name: "tcp.segment.count", typ: filter.Uint, bits: 32, conv: true, desc: "How many segments that message took", example: "tcp.segment.count > 2",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if len(p.tcpSegs) > 0 {
					dst = u(dst, uint64(len(p.tcpSegs)))
				}
				return dst
			}},
		{name: "tcp.reassembled.length", typ: filter.Uint, bits: 32, conv: true, desc: "The reassembled message's length, in bytes", example: "tcp.reassembled.length > 1000",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if len(p.tcpSegs) > 0 {
					dst = u(dst, uint64(len(p.tcpPDU)))
				}
				return dst
			}},
		{name: "tcp.reassembled.data", typ: filter.Bytes, conv: true, desc: "The reassembled message's bytes", example: `tcp.reassembled.data contains "200 OK"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if len(p.tcpSegs) > 0 {
					dst = append(dst, filter.Value{B: p.tcpPDU})
				}
				return dst
			}},
		{name: "tcp.checksum.status", typ: filter.Uint, bits: 8, named: true, desc: "Checksum status: always 2, unverified, as tshark by default (it does not check TCP checksums)", example: "tcp.checksum.status == 2",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, 2) }},
		{name: "tcp.urgent_pointer", typ: filter.Uint, bits: 16, desc: "TCP urgent pointer", example: "tcp.urgent_pointer != 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.urg)) }},
		{name: "tcp.options.mss_val", typ: filter.Uint, bits: 16, desc: "Maximum segment size option value", example: "tcp.options.mss_val == 1460",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.tcp.hasMSS {
					return u(dst, uint64(p.tcp.mss))
				}
				return dst
			}},
		{name: "tcp.flags.str", typ: filter.String, desc: "The flags as tshark spells them, one letter each (RRRNCEUAPRSF), a middle dot for each flag not set", example: `tcp.flags.str contains "S"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				f := p.tcp.flags
				if hdr := p.tcpHeader(); len(hdr) >= 13 {
					f |= uint16(hdr[12]&0x0e) << 8 // the reserved bits
				}
				b := make([]byte, 0, 24)
				for i := 11; i >= 0; i-- {
					if f&(1<<i) != 0 {
						b = append(b, "FSRPAUECNRRR"[i])
					} else {
						b = append(b, "\u00b7"...)
					}
				}
				return append(dst, filter.Value{B: b})
			}},
		{name: "tcp.time_delta", conv: true, typ: filter.Float, desc: "Seconds since the previous frame of this TCP stream", example: "tcp.time_delta > 0.2",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return seconds(dst, int64(p.tcp.delta))
			}},
		{name: "tcp.time_relative", conv: true, typ: filter.Float, desc: "Seconds since the first frame of this TCP stream", example: "tcp.time_relative > 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return seconds(dst, int64(p.tcp.rel))
			}},
		{name: "tcp.option_kind", typ: filter.Uint, bits: 8, named: true, desc: "Kind of each option, in order: 1 NOP, 2 MSS, 3 window scale, 4 SACK permitted, 5 SACK, 8 timestamps", example: "tcp.option_kind == 4",
			get: tcpOptions(func(kind byte, v []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(kind)) })},
		{name: "tcp.options.wscale.shift", typ: filter.Uint, bits: 8, desc: "Window scale option: the shift count", example: "tcp.options.wscale.shift == 7",
			get: tcpOptions(func(kind byte, v []byte, dst []filter.Value) []filter.Value {
				if kind == 3 && len(v) == 1 {
					dst = u(dst, uint64(v[0]))
				}
				return dst
			})},
		{name: "tcp.options.wscale.multiplier", typ: filter.Uint, bits: 16, desc: "Window scale option: the multiplier (2 to the shift)", example: "tcp.options.wscale.multiplier == 128",
			get: tcpOptions(func(kind byte, v []byte, dst []filter.Value) []filter.Value {
				if kind == 3 && len(v) == 1 {
					dst = u(dst, 1<<min(v[0], 14))
				}
				return dst
			})},
		{name: "tcp.options.timestamp.tsval", typ: filter.Uint, bits: 32, desc: "Timestamps option: the sender's timestamp value", example: "tcp.options.timestamp.tsval > 0",
			get: tcpOptions(func(kind byte, v []byte, dst []filter.Value) []filter.Value {
				if kind == 8 && len(v) == 8 {
					dst = u(dst, uint64(be32(v)))
				}
				return dst
			})},
		{name: "tcp.options.timestamp.tsecr", typ: filter.Uint, bits: 32, desc: "Timestamps option: the echoed timestamp", example: "tcp.options.timestamp.tsecr == 0",
			get: tcpOptions(func(kind byte, v []byte, dst []filter.Value) []filter.Value {
				if kind == 8 && len(v) == 8 {
					dst = u(dst, uint64(be32(v[4:])))
				}
				return dst
			})},
		{name: "tcp.payload", typ: filter.Bytes, desc: "TCP payload bytes of this segment", example: `tcp.payload contains "GET"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if len(p.tcp.payload) > 0 {
					return append(dst, filter.Value{B: p.tcp.payload})
				}
				return dst
			}},
	}, conv(tcpAnalysisFields)...),
	info: func(p *Packet) (string, string) {
		info := p.tcpInfo()
		if p.has&pReasm != 0 {
			if p.http.first != nil {
				info = string(p.http.first) + " "
			}
			info += " " + reassembledNote
		}
		return "TCP", info
	},
}

const reassembledNote = "[TCP segment of a reassembled PDU]"

func tcpFlag(bit uint) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.tcp.flags>>bit&1)) }
}

func (d *Decoder) fillTCP(p *Packet) {
	p.has |= pTCP
	x := &d.tcp
	t := &p.tcp
	t.sport, t.dport = uint16(x.SrcPort), uint16(x.DstPort)
	t.seqRaw, t.ackRaw = x.Seq, x.Ack
	t.hdrLen = x.DataOffset * 4
	var f uint16
	for i, b := range [...]bool{x.FIN, x.SYN, x.RST, x.PSH, x.ACK, x.URG, x.ECE, x.CWR, x.NS} {
		if b {
			f |= 1 << i
		}
	}
	t.flags = f
	t.win, t.checksum, t.urg = x.Window, x.Checksum, x.Urgent
	t.payload = x.Payload
	t.length = uint32(len(x.Payload))
	// tcp.len counts what the IP header says was sent, not what was captured,
	// but no more than the frame's length on the wire leaves (tshark's
	// reported length).
	if p.frag != nil {
		if n := len(p.frag.data) - int(t.hdrLen); n >= 0 {
			t.length = uint32(n)
		}
	} else if p.has&pIP != 0 {
		if n := int(p.ip4.length) - int(p.ip4.hdrLen) - int(t.hdrLen); n >= 0 {
			t.length = uint32(n)
		}
	} else if p.has&pIPv6 != 0 && p.next == 0 {
		if n := int(p.ip6.plen) - int(t.hdrLen); n >= 0 {
			t.length = uint32(n)
		}
	}
	if off := cap(p.Data) - cap(x.Payload); x.Payload != nil && off >= 0 && off <= p.Len && uint32(p.Len-off) < t.length {
		t.length = uint32(p.Len - off)
	}
	t.wscale = -1
	for i := range x.Options {
		o := &x.Options[i]
		switch o.OptionType {
		case layers.TCPOptionKindMSS:
			if len(o.OptionData) == 2 {
				t.hasMSS, t.mss = true, be16(o.OptionData)
			}
		case layers.TCPOptionKindWindowScale:
			if len(o.OptionData) == 1 {
				t.wscale = int8(min(o.OptionData[0], 14))
			}
		case layers.TCPOptionKindSACKPermitted:
			t.sackPerm = true
		case layers.TCPOptionKindTimestamps:
			if len(o.OptionData) == 8 {
				t.hasTS, t.tsval, t.tsecr = true, be32(o.OptionData), be32(o.OptionData[4:])
			}
		case layers.TCPOptionKindSACK:
			for j := 0; j+8 <= len(o.OptionData) && int(t.nsack) < len(t.sack); j += 8 {
				t.sack[t.nsack] = [2]uint32{be32(o.OptionData[j:]), be32(o.OptionData[j+4:])}
				t.nsack++
			}
		}
	}
}

// tcpFlagNames are the TCP flags by bit, as Wireshark's Info column names
// them: the one table of their names.
var tcpFlagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"}

func (p *Packet) tcpInfo() string {
	t := &p.tcp
	b := make([]byte, 0, 128)
	b = t.appendAnalysisNotes(b)
	b = strconv.AppendUint(b, uint64(t.sport), 10)
	b = append(b, " → "...)
	b = strconv.AppendUint(b, uint64(t.dport), 10)
	b = append(b, " ["...)
	if t.flags&(1<<len(tcpFlagNames)-1) == 0 {
		b = append(b, "<None>"...)
	} else {
		b = appendTCPFlags(b, t.flags)
	}
	b = append(b, "] Seq="...)
	b = strconv.AppendUint(b, uint64(t.seq), 10)
	if t.flags&0x10 != 0 {
		b = append(b, " Ack="...)
		b = strconv.AppendUint(b, uint64(t.ack), 10)
	}
	b = append(b, " Win="...)
	b = strconv.AppendUint(b, uint64(t.winScaled), 10)
	if t.flags&0x20 != 0 {
		b = append(b, " Urg="...)
		b = strconv.AppendUint(b, uint64(t.urg), 10)
	}
	b = append(b, " Len="...)
	b = strconv.AppendUint(b, uint64(t.length), 10)
	// Options in the order they appear, as Wireshark lists them.
	opts := p.tcpOptionOrder()
	for _, o := range opts {
		switch o {
		case 2:
			b = append(b, " MSS="...)
			b = strconv.AppendUint(b, uint64(t.mss), 10)
		case 4:
			b = append(b, " SACK_PERM"...)
		case 8:
			b = append(b, " TSval="...)
			b = strconv.AppendUint(b, uint64(t.tsval), 10)
			b = append(b, " TSecr="...)
			b = strconv.AppendUint(b, uint64(t.tsecr), 10)
		case 3:
			b = append(b, " WS="...)
			b = strconv.AppendUint(b, 1<<uint(t.wscale), 10)
		case 5:
			for _, s := range t.sack[:t.nsack] {
				b = append(b, " SLE="...)
				b = strconv.AppendUint(b, uint64(s[0]), 10)
				b = append(b, " SRE="...)
				b = strconv.AppendUint(b, uint64(s[1]), 10)
			}
		}
	}
	return string(b)
}

// tcpOptionOrder lists the kinds of the options shown in Info, in header order.
func (p *Packet) tcpOptionOrder() []byte {
	t := &p.tcp
	if p.has&pTCP == 0 {
		return nil
	}
	// Walk the raw option bytes: the decoded layer is gone by now.
	hdr := p.tcpHeader()
	if len(hdr) <= 20 {
		return nil
	}
	var out []byte
	opts := hdr[20:]
	for len(opts) > 0 {
		k := opts[0]
		if k == 0 {
			break
		}
		if k == 1 {
			opts = opts[1:]
			continue
		}
		if len(opts) < 2 || int(opts[1]) < 2 || int(opts[1]) > len(opts) {
			break
		}
		switch k {
		case 2:
			if t.hasMSS {
				out = append(out, k)
			}
		case 3:
			if t.wscale >= 0 {
				out = append(out, k)
			}
		case 4, 5, 8:
			out = append(out, k)
		}
		opts = opts[opts[1]:]
	}
	return out
}

// tcpHeader finds the TCP header in Data from the payload's position.
func (p *Packet) tcpHeader() []byte {
	t := &p.tcp
	if t.payload != nil {
		off := cap(p.Data) - cap(t.payload)
		start := off - int(t.hdrLen)
		if start >= 0 && off <= len(p.Data) {
			return p.Data[start:off]
		}
	}
	return nil
}

// tcpOptions makes a getter that walks the header's options in order.
func tcpOptions(v func(kind byte, val []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		hdr := p.tcpHeader()
		if len(hdr) <= 20 {
			return dst
		}
		for opts := hdr[20:]; len(opts) > 0; {
			k := opts[0]
			if k == 0 || k == 1 { // End of list (each padding byte after it too, as tshark counts) or NOP
				dst = v(k, nil, dst)
				opts = opts[1:]
				continue
			}
			if len(opts) < 2 || int(opts[1]) < 2 || int(opts[1]) > len(opts) {
				break
			}
			dst = v(k, opts[2:opts[1]], dst)
			opts = opts[opts[1]:]
		}
		return dst
	}
}
