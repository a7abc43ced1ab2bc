package capture

import "time"

// Conversation tracking, as Wireshark does it: tcp.stream and udp.stream number
// conversations from 0 in order of first appearance; TCP sequence and
// acknowledgment numbers are made relative to each direction's initial sequence
// number; window scaling is learned from the handshake.

type connKey struct {
	a, b   [16]byte
	pa, pb uint16
}

type tcpDir struct {
	base    uint32 // initial sequence number (or first seq - 1 without a SYN)
	baseSet bool
	syn     bool
	fin     bool
	wscale  int8 // from this direction's SYN; -1 absent
	next    uint32
	nextSet bool
	// Sequence analysis: the last ACK and window sent in this direction, the
	// last frame that was not a duplicate ACK, and the duplicates since.
	lastAck    uint32
	lastAckSet bool
	window     uint32
	lastNonDup int
	dups       int
	// owner is the protocol reassembling a message in this direction, chosen
	// by ownerPort; state is a byte of protocol state (SMTP's DATA phase, SSH's
	// encryption) for the protocol the conversation's ports choose.
	owner     *protocol
	ownerPort uint16
	state     uint8
	http      httpDir
}

type tcpConn struct {
	stream uint32
	// first and last are the times of the stream's first and latest frame.
	first, last time.Time
	srcA        [16]byte // source of the first packet: direction 0
	portA       uint16
	dir         [2]tcpDir
	rst         bool
}

func (c *tcpConn) closed() bool { return c.rst || (c.dir[0].fin && c.dir[1].fin) }

type echoKey struct {
	a, b    [16]byte
	id, seq uint16
	v6      bool
}

type streams struct {
	tcp     map[connKey]*tcpConn
	last    *tcpConn // the previous packet's conversation: a cheap cache
	lastKey connKey
	udp     map[connKey]uint32
	echo    map[echoKey]int
	nTCP    uint32
	// reasmBytes is the sum of the HTTP reassembly buffers' lengths.
	reasmBytes int
	nUDP       uint32
}

func (s *streams) init() {
	s.tcp = make(map[connKey]*tcpConn)
	s.udp = make(map[connKey]uint32)
	s.echo = make(map[echoKey]int)
}

// maxConns bounds the conversation tables (about 24 MiB for TCP at most): a
// capture with more conversations than this forgets closed TCP connections
// first, and everything when most are still open, rather than growing without
// end. A forgotten conversation's later packets start a new stream.
const maxConns = 1 << 16

// maxSmallConns bounds the UDP and ICMP echo tables, whose entries are small
// (about 13 MiB each at most); they are forgotten wholesale.
const maxSmallConns = 1 << 18

// forgetTCP makes room in the TCP table.
func (d *Decoder) forgetTCP() {
	s := &d.streams
	s.last = nil
	for k, c := range s.tcp {
		if c.closed() {
			d.reasmBytes -= len(c.dir[0].http.buf) + len(c.dir[1].http.buf)
			delete(s.tcp, k)
		}
	}
	if len(s.tcp) > maxConns/2 {
		clear(s.tcp)
		d.reasmBytes = 0
	}
}

// endpoints returns the packet's network addresses as 16-byte values.
func (p *Packet) endpoints() (src, dst [16]byte) {
	if p.has&pIP != 0 {
		src[10], src[11], dst[10], dst[11] = 0xff, 0xff, 0xff, 0xff
		s, d := p.ip4.src, p.ip4.dst
		src[12], src[13], src[14], src[15] = byte(s>>24), byte(s>>16), byte(s>>8), byte(s)
		dst[12], dst[13], dst[14], dst[15] = byte(d>>24), byte(d>>16), byte(d>>8), byte(d)
		return
	}
	return p.ip6.src, p.ip6.dst
}

func makeKey(src, dst [16]byte, sp, dp uint16) connKey {
	if less(src, sp, dst, dp) {
		return connKey{src, dst, sp, dp}
	}
	return connKey{dst, src, dp, sp}
}

func less(a [16]byte, pa uint16, b [16]byte, pb uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return pa < pb
}

func (d *Decoder) trackTCP(p *Packet) {
	t := &p.tcp
	src, dst := p.endpoints()
	key := makeKey(src, dst, t.sport, t.dport)
	syn, ack, fin, rst := t.flags&0x02 != 0, t.flags&0x10 != 0, t.flags&0x01 != 0, t.flags&0x04 != 0
	c := d.streams.last
	if c == nil || d.streams.lastKey != key {
		c = d.streams.tcp[key]
	}
	if c != nil && syn && !ack && c.closed() {
		fwd := &c.dir[0]
		if src != c.srcA || t.sport != c.portA {
			fwd = &c.dir[1]
		}
		if !fwd.baseSet || fwd.base != t.seqRaw {
			c = nil // a new connection on a reused 4-tuple
		}
	}
	if c == nil {
		if d.streams.tcp[key] != nil {
			p.tcp.reused = true
			p.tcp.analysis |= aReusedPorts
		}
		if len(d.streams.tcp) >= maxConns {
			d.forgetTCP()
		}
		c = &tcpConn{stream: d.streams.nTCP, srcA: src, portA: t.sport}
		c.dir[0].wscale, c.dir[1].wscale = -1, -1
		d.streams.nTCP++
		d.streams.tcp[key] = c
	}
	d.streams.last, d.streams.lastKey = c, key
	dir := 0
	if src != c.srcA || t.sport != c.portA {
		dir = 1
	}
	fwd, rev := &c.dir[dir], &c.dir[1-dir]
	if !fwd.baseSet {
		fwd.base, fwd.baseSet = t.seqRaw, true
		if !syn {
			fwd.base--
		}
	}
	if ack && !rev.baseSet {
		rev.base, rev.baseSet = t.ackRaw-1, true
	}
	t.stream = c.stream
	if c.first.IsZero() {
		c.first, c.last = p.Time, p.Time
	}
	t.delta, t.rel = p.Time.Sub(c.last), p.Time.Sub(c.first)
	c.last = p.Time
	t.seq = t.seqRaw - fwd.base
	t.ack = t.ackRaw // Wireshark shows the raw value without the ACK flag
	if ack {
		t.ack = t.ackRaw - rev.base
	}
	t.nxtseq = t.seq + t.length
	if syn {
		t.nxtseq++
	}
	if fin {
		t.nxtseq++
	}
	for i := range t.sack[:t.nsack] {
		t.sack[i][0] -= rev.base
		t.sack[i][1] -= rev.base
	}
	// Window scaling applies once both SYNs were seen, and never to a SYN.
	t.winScaled = uint32(t.win)
	if syn {
		fwd.syn = true
		fwd.wscale = t.wscale
	} else if fwd.syn && rev.syn && fwd.wscale >= 0 && rev.wscale >= 0 {
		t.winScaled = uint32(t.win) << uint(fwd.wscale)
	}
	t.winKnown = !syn && fwd.syn && rev.syn
	if fin {
		fwd.fin = true
	}
	if rst {
		c.rst = true
	}

	d.analyze(p, fwd, rev)
	// Retransmitted segments do not feed reassembly; after a gap what was
	// buffered cannot complete.
	inOrder := t.analysis&aRetransmission == 0
	if t.analysis&aLostSegment != 0 && fwd.owner != nil {
		if fwd.owner.reset != nil {
			fwd.owner.reset(d, fwd)
		}
		fwd.owner = nil
	}
	end := t.seqRaw + t.length
	if syn {
		end++
	}
	if fin {
		end++
	}
	if !fwd.nextSet || int32(end-fwd.next) > 0 {
		fwd.next, fwd.nextSet = end, true
	}
	if len(t.payload) > 0 && inOrder {
		d.seg = segment{payload: t.payload, sport: t.sport, dport: t.dport, tcp: true, dir: fwd, rev: rev}
		d.dispatch(p, &d.seg)
	}
	if fin && inOrder && fwd.owner != nil {
		// What the direction buffered ends with its FIN.
		if fwd.owner.flush != nil {
			fwd.owner.flush(d, p, fwd)
		}
		fwd.owner = nil
	}
}

func (d *Decoder) trackUDP(p *Packet) {
	x := &p.udp
	src, dst := p.endpoints()
	key := makeKey(src, dst, x.sport, x.dport)
	n, ok := d.streams.udp[key]
	if !ok {
		if len(d.streams.udp) >= maxSmallConns {
			clear(d.streams.udp)
		}
		n = d.streams.nUDP
		d.streams.nUDP++
		d.streams.udp[key] = n
	}
	x.stream = n
	if len(x.payload) == 0 {
		return
	}
	d.seg = segment{payload: x.payload, sport: x.sport, dport: x.dport}
	d.dispatch(p, &d.seg)
}

// trackICMP pairs echo replies with their requests, for the Info column.
func (d *Decoder) trackICMP(p *Packet) {
	if !p.icmp.echo {
		return
	}
	v6 := p.has&pICMPv6 != 0
	var req, rep uint8 = 8, 0
	if v6 {
		req, rep = 128, 129
	}
	src, dst := p.endpoints()
	switch p.icmp.typ {
	case req:
		if len(d.streams.echo) >= maxSmallConns {
			clear(d.streams.echo)
		}
		d.streams.echo[echoKey{src, dst, p.icmp.id, p.icmp.seq, v6}] = p.Number
	case rep:
		p.icmp.related = d.streams.echo[echoKey{dst, src, p.icmp.id, p.icmp.seq, v6}]
	}
}

// analyze is Wireshark's TCP sequence analysis, in its order of checks: lost
// segment, keep-alive, window update, duplicate ACK, retransmission (spurious
// when the other side had acknowledged the data). Out-of-order and fast
// retransmission are not told apart from retransmission.
func (d *Decoder) analyze(p *Packet, fwd, rev *tcpDir) {
	t := &p.tcp
	syn, ack, fin, rst := t.flags&0x02 != 0, t.flags&0x10 != 0, t.flags&0x01 != 0, t.flags&0x04 != 0
	seglen := t.length
	win := t.winScaled
	if fwd.nextSet && !rst && int32(t.seqRaw-fwd.next) > 0 {
		t.analysis |= aLostSegment
	}
	plain := !syn && !fin && !rst
	if fwd.nextSet && plain && seglen <= 1 && t.seqRaw == fwd.next-1 {
		t.analysis |= aKeepAlive
	}
	if fwd.nextSet && plain && seglen == 0 && fwd.lastAckSet && t.seqRaw == fwd.next && t.ackRaw == fwd.lastAck {
		if win != fwd.window {
			t.analysis |= aWindowUpdate
		} else if win != 0 {
			t.analysis |= aDupAck
			fwd.dups++
			t.dupOf, t.dupN = fwd.lastNonDup, fwd.dups
		}
	}
	if (seglen > 0 || syn || fin) && fwd.nextSet && int32(fwd.next-t.seqRaw) > 0 && t.analysis&aKeepAlive == 0 {
		t.analysis |= aRetransmission
		if rev.lastAckSet && int32(t.seqRaw+seglen-rev.lastAck) <= 0 && seglen > 0 {
			t.analysis |= aSpurious
		}
	}
	fwd.window = win
	if ack {
		fwd.lastAck, fwd.lastAckSet = t.ackRaw, true
	}
	if t.analysis&aDupAck == 0 {
		fwd.lastNonDup, fwd.dups = p.Number, 0
	}
}
