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
	fin     bool
	sa      seqDir // sequence analysis (tcpanalysis.go)
	// owner is the protocol reassembling a message in this direction, chosen
	// by ownerPort; state is a byte of protocol state (SMTP's DATA phase, SSH's
	// encryption) for the protocol the conversation's ports choose.
	owner     *protocol
	ownerPort uint16
	state     uint8
	http      httpDir
}

type tcpConn struct {
	stream   uint32
	firstNum uint32 // the frame that started it
	// first and last are the times of the stream's first and latest frame.
	first, last time.Time
	srcA        [16]byte // source of the first packet: direction 0
	portA       uint16
	dir         [2]tcpDir
	rst         bool
	an          tcpConvAnalysis
}

func (c *tcpConn) closed() bool { return c.rst || (c.dir[0].fin && c.dir[1].fin) }

type echoKey struct {
	a, b           [16]byte
	id, seq, cksum uint16
	v6             bool
}

// echoTrans is an echo request awaiting its reply.
type echoTrans struct {
	req      int // its frame
	at       time.Duration
	answered bool
}

type streams struct {
	tcp     map[connKey]*tcpConn
	last    *tcpConn // the previous packet's conversation: a cheap cache
	lastKey connKey
	udp     map[connKey]udpConv
	echo    map[echoKey]*echoTrans
	tftp    map[tftpKey]*tftpConv       // transfers TFTP requests started (tftp.go)
	ftp     map[uint32]*ftpConv         // control connections by tcp.stream (ftpdata.go)
	ftpData map[ftpDataKey]*ftpDataConv // data connections they announced
	ssdp    map[connKey][]httpReq       // searches awaiting an answer (ssdp.go)
	// ssdpLists: each conversation's list of searches and answers.
	ssdpLists map[connKey]*httpMore
	dns       map[dnsKey]*dnsConv // transactions (dns.go)
	sip       map[sipKey]*sipDir  // UDP transactions (sip.go)
	snmp      snmpState           // requests and Wireshark's globals (snmp.go)
	nTCP      uint32
	// unacked counts the segments of every conversation's unacknowledged
	// lists (sequence analysis).
	unacked int
	// reasmBytes is the sum of the HTTP reassembly buffers' lengths.
	reasmBytes int
	nUDP       uint32
}

func (s *streams) init() {
	s.tcp = make(map[connKey]*tcpConn)
	s.udp = make(map[connKey]udpConv)
	s.echo = make(map[echoKey]*echoTrans)
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
			s.unacked -= len(c.dir[0].sa.segs) + len(c.dir[1].sa.segs)
			delete(s.tcp, k)
		}
	}
	if len(s.tcp) > maxConns/2 {
		clear(s.tcp)
		d.reasmBytes = 0
		s.unacked = 0
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
	dir := 0
	if c != nil && (src != c.srcA || t.sport != c.portA) {
		dir = 1
	}
	// A SYN with a new initial sequence number on the ports of a known
	// conversation starts a new one; the same number is that SYN again.
	reused, synAgain := false, false
	if c != nil && syn && !ack && c.dir[dir].baseSet {
		if c.dir[dir].base != t.seqRaw {
			c, reused = nil, true
		} else {
			c.dir[dir].sa.nextseq = c.dir[dir].sa.maxSeqToBeAcked
			synAgain = true
		}
	}
	if c == nil {
		if len(d.streams.tcp) >= maxConns {
			d.forgetTCP()
		}
		if old := d.streams.tcp[key]; old != nil {
			d.streams.unacked -= len(old.dir[0].sa.segs) + len(old.dir[1].sa.segs)
			d.reasmBytes -= len(old.dir[0].http.buf) + len(old.dir[1].http.buf)
		}
		c = &tcpConn{stream: d.streams.nTCP, firstNum: uint32(p.Number), srcA: src, portA: t.sport}
		c.dir[0].sa.init()
		c.dir[1].sa.init()
		d.streams.nTCP++
		d.streams.tcp[key] = c
		dir = 0
	}
	d.streams.last, d.streams.lastKey = c, key
	fwd, rev := &c.dir[dir], &c.dir[1-dir]
	if syn && ack && fwd.baseSet && fwd.base != t.seqRaw {
		fwd.base, reused = t.seqRaw, true
	}
	if reused {
		t.reused = true
		t.analysis |= aReusedPorts
	}
	if reused || synAgain {
		t.ta.kept = true
	}
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
	if fin {
		fwd.fin = true
	}
	if rst {
		c.rst = true
	}

	d.analyze(p, c, fwd, rev)
	// Window scaling as known before this segment's options; never a SYN's.
	t.winScaled, t.scale = uint32(t.win), fwd.sa.winScale
	if !syn && fwd.sa.winScale >= 0 {
		t.winScaled = uint32(t.win) << uint(fwd.sa.winScale)
	}
	d.afterAnalysis(p, c, fwd, rev)
	// As in Wireshark, retransmitted and out-of-order segments are not handed
	// to the protocol above; after a gap what was buffered cannot complete.
	inOrder := t.analysis&(aRetransmission|aOutOfOrder) == 0
	if t.analysis&aLostSegment != 0 && fwd.owner != nil {
		if fwd.owner.reset != nil {
			fwd.owner.reset(d, fwd)
		}
		fwd.owner = nil
	}
	if len(t.payload) > 0 && t.analysis&aKeepAlive != 0 {
		// A keep-alive's byte is garbage: shown as data.
		p.has |= pData
		p.data = t.payload
	} else if len(t.payload) > 0 && inOrder {
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
	d.udpStream(p, false)
	if len(x.payload) == 0 {
		return
	}
	d.seg = segment{payload: x.payload, sport: x.sport, dport: x.dport}
	d.dispatch(p, &d.seg)
}

// trackICMP pairs echo replies with their requests, as Wireshark does: in
// the conversation of the two addresses, by identifier, sequence number and
// checksum (a reply's checksum is its request's plus the type's difference,
// so a reply whose data differ answers nothing); a second reply to a request
// answers nothing either.
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
	if !less(src, 0, dst, 0) {
		src, dst = dst, src
	}
	k := echoKey{src, dst, p.icmp.id, p.icmp.seq, 0, v6}
	switch p.icmp.typ {
	case req:
		if len(d.streams.echo) >= maxSmallConns {
			clear(d.streams.echo)
		}
		// Wireshark keys an ICMP request by its reply's checksum, an ICMPv6
		// reply by its request's.
		k.cksum = p.icmp.checksum
		if !v6 {
			k.cksum = cksumAdjust(p.icmp.checksum, 0x0800)
		}
		d.streams.echo[k] = &echoTrans{req: p.Number, at: p.Relative}
	case rep:
		k.cksum = p.icmp.checksum
		if v6 {
			k.cksum = cksumAdjust(p.icmp.checksum, 0x0100)
		}
		if t := d.streams.echo[k]; t != nil && !t.answered {
			t.answered = true
			p.icmp.related, p.icmp.respTime = t.req, p.Relative-t.at
		}
	}
}

// cksumAdjust is the checksum of the other message of an echo: the one's
// complement of the one's complement sum of the checksum's complement and
// the difference's (0 written as 0xffff).
func cksumAdjust(ck, diff uint16) uint16 {
	sum := uint32(^ck) + uint32(^diff)
	sum = sum&0xffff + sum>>16
	if r := ^uint16(sum); r != 0 {
		return r
	}
	return 0xffff
}
