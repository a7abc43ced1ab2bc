package capture

import "time"

// The header an ICMP or ICMPv6 error quotes (destination unreachable, time
// exceeded, source quench, redirect, parameter problem, packet too big): the
// IP header of the packet that caused the error and the start of its payload.
// Wireshark dissects the quote as protocols of the frame, so its fields are
// further occurrences of the frame's fields (ip.src has the error's source and
// the quoted packet's source, `udp` matches a port unreachable, frame.protocols
// is eth:ethertype:ip:icmp:ip:udp:data) and the layer operator counts it
// (ip.src#2 is the quoted source). The Protocol and Info columns stay the
// error's. wirelab decodes the quote into Packet.quote, a second Packet whose
// values Packet.Values appends after the frame's own.

// icmpError reports whether an ICMP (v6 false) or ICMPv6 type quotes the
// packet that caused it.
func icmpError(typ uint8, v6 bool) bool {
	if v6 {
		return typ >= 1 && typ <= 4
	}
	switch typ {
	case 3, 4, 5, 11, 12:
		return true
	}
	return false
}

// decodeQuote decodes b, the quoted IP packet of an ICMP error in p, into
// p.quote. Its conversations are the frame's: a quoted UDP or TCP header has
// the udp.stream or tcp.stream of its flow (a new one for a flow not seen, as
// in Wireshark). A quote inside a quote is not decoded.
func (d *Decoder) decodeQuote(p *Packet, b []byte) {
	if d.quoted || len(b) == 0 {
		return
	}
	first := firstIPv4
	switch b[0] >> 4 {
	case 4:
	case 6:
		first = firstIPv6
	default:
		return
	}
	if d.quoter == nil {
		d.quoter = NewDecoder()
		d.quoter.quoted = true
	}
	q := p.quote
	if q == nil {
		q = new(Packet)
		p.quote = q
	}
	*q = Packet{Number: p.Number, Time: p.Time, Relative: p.Relative, LinkType: p.LinkType, Interface: p.Interface, Data: b, Len: len(b), CapLen: len(b)}
	q.tcp.wscale = -1
	rest, err := d.quoter.fillLayers(q, b, first)
	if q.has&(pTCP|pUDP|pICMP|pICMPv6) == 0 {
		cutHeader(q, rest)
	}
	switch {
	case q.cut != 0:
		// No conversation: tshark gives a header cut short no stream.
	case q.has&pUDP != 0:
		d.udpStream(q, true)
		if len(q.udp.payload) > 0 {
			// Application decoders of UDP payloads keep no state.
			d.seg = segment{payload: q.udp.payload, sport: q.udp.sport, dport: q.udp.dport}
			d.dispatch(q, &d.seg)
		}
	case q.has&pTCP != 0:
		d.tcpStream(q)
		if len(q.tcp.payload) > 0 {
			q.has |= pData
			q.data = q.tcp.payload
		}
	case q.has&(pICMP|pICMPv6) != 0:
	case err == nil && len(rest) > 0 && q.has&(pIP|pIPv6) != 0 && q.has&pIPFrag == 0:
		q.has |= pData
		q.data = rest
	}
}

// chainQuote appends the quote's part of frame.protocols.
func (p *Packet) chainQuote(b []byte) []byte {
	if p.quote == nil || p.quote.has == 0 {
		return b
	}
	return p.quote.appendProtocols(b)
}

// udpStream sets the udp.stream of p's conversation, numbering a new one.
func (d *Decoder) udpStream(p *Packet, quoted bool) {
	x := &p.udp
	src, dst := p.endpoints()
	key := makeKey(src, dst, x.sport, x.dport)
	now := p.Time.UnixNano()
	c, ok := d.streams.udp[key]
	if !ok {
		if len(d.streams.udp) >= maxSmallConns {
			clear(d.streams.udp)
		}
		c = udpConv{stream: d.streams.nUDP, first: now, last: now}
		d.streams.nUDP++
	}
	x.stream = c.stream
	// udp.time_delta and udp.time_relative; a quoted header in an ICMP
	// error has neither, as in Wireshark, and does not move them.
	x.quoted = quoted
	if !quoted {
		x.delta, x.rel = time.Duration(now-c.last), time.Duration(now-c.first)
		c.last = now
	}
	d.streams.udp[key] = c
}

// udpConv is a UDP conversation: its udp.stream and the times of its first
// and latest datagrams (Unix nanoseconds).
type udpConv struct {
	stream      uint32
	first, last int64
}

// tcpStream sets the tcp.stream of a quoted TCP header's conversation (a new
// one for a flow not seen) and shows its sequence numbers raw, as Wireshark
// does inside an ICMP error; the quote changes no analysis.
func (d *Decoder) tcpStream(p *Packet) {
	t := &p.tcp
	src, dst := p.endpoints()
	key := makeKey(src, dst, t.sport, t.dport)
	c := d.streams.tcp[key]
	if c == nil {
		if len(d.streams.tcp) >= maxConns {
			d.forgetTCP()
		}
		c = &tcpConn{stream: d.streams.nTCP, srcA: src, portA: t.sport}
		c.dir[0].sa.init()
		c.dir[1].sa.init()
		d.streams.nTCP++
		d.streams.tcp[key] = c
	}
	t.stream = c.stream
	t.quoted = true
	t.seq, t.ack = t.seqRaw, t.ackRaw
	t.winScaled, t.scale = uint32(t.win), -1
	t.ta.kept = true // tshark shows an empty SEQ/ACK analysis
	// The quote is a frame of the stream for tcp.time_delta, as in tshark.
	if c.first.IsZero() {
		c.first, c.last = p.Time, p.Time
	}
	t.delta, t.rel = p.Time.Sub(c.last), p.Time.Sub(c.first)
	c.last = p.Time
}

// cutHeader decodes the start of a quoted TCP or UDP header that the error
// cut short (RFC 792 asks for the IP header and 8 bytes of what follows,
// which is what many routers send), as far as tshark shows one: the ports
// from 4 bytes on, TCP's sequence number from 8 (in ICMP, not ICMPv6),
// UDP's length from 6; no conversation. A TCP header cut after 14 to 19
// bytes, which tshark shows up to where it ends, with a stream, gets the
// same (docs/filters.md).
func cutHeader(q *Packet, b []byte) {
	var proto uint8
	switch {
	case q.has&pIPFrag != 0 && (q.has&pIPv6 != 0 || q.ip4.frag != 0):
		return // not the start of the header
	case q.has&pIP != 0:
		proto = q.ip4.proto
	case q.has&pIPv6 != 0 && q.next == 0:
		proto = q.ip6.nxt
	}
	if len(b) < 4 {
		return
	}
	sport, dport := be16(b), be16(b[2:])
	switch {
	case proto == 6 && len(b) < 20:
		q.has |= pTCP
		q.tcp.sport, q.tcp.dport, q.tcp.quoted = sport, dport, true
		if len(b) >= 8 {
			q.tcp.seqRaw = be32(b[4:])
			q.tcp.seq = q.tcp.seqRaw
		}
	case proto == 17 && len(b) < 8:
		q.has |= pUDP
		q.udp.sport, q.udp.dport = sport, dport
		if len(b) >= 6 {
			q.udp.length = be16(b[4:])
		}
	default:
		return
	}
	q.cut = uint8(len(b))
}

// shows reports whether p has field f: every field of its protocols, but of
// a quoted header cut short only those tshark shows (cutHeader).
func (p *Packet) shows(f *field) bool {
	if p.cut == 0 || f.has&(pTCP|pUDP) == 0 {
		return true
	}
	switch f.name {
	case "tcp", "udp", "tcp.srcport", "tcp.dstport", "tcp.port", "udp.srcport", "udp.dstport", "udp.port":
		return true
	case "tcp.seq":
		return p.cut >= 8 && p.has&pIP != 0 // tshark: not in an ICMPv6 error's
	case "udp.length":
		return p.cut >= 6
	}
	return false
}
