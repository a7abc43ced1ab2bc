package capture

import (
	"strconv"
	"time"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// TCP sequence analysis as Wireshark 4.0 computes it in its first pass: one
// forward pass over the frames with state per direction (seqDir), so a frame's
// flags depend only on the frames before it. The checks, their order and their
// quirks (raw sequence numbers with 0 meaning "not seen yet", raw windows, the
// unacknowledged-segment list, the 3 ms and 20 ms thresholds) follow
// packet-tcp.c's tcp_analyze_sequence_number; the fields follow its
// tcp_print_sequence_number_analysis, which shows them only on frames the
// analysis kept a record for (taKept).

// Analysis flags (Packet.tcp.analysis), one bit per tcp.analysis expert.
const (
	aRetransmission uint16 = 1 << iota
	aFastRetransmission
	aSpurious
	aOutOfOrder
	aLostSegment
	aAckLostSegment
	aWindowUpdate
	aWindowFull
	aKeepAlive
	aKeepAliveAck
	aDupAck
	aZeroWindowProbe
	aZeroWindow
	aZeroWindowProbeAck
	aReusedPorts
)

// maxUnacked bounds one direction's list of unacknowledged segments, as
// Wireshark does (TCP_MAX_UNACKED_SEGMENTS); maxUnackedTotal bounds all of
// them together (about 24 MiB), which Wireshark does not: past it, segments
// are no longer listed (no acks_frame, ack_rtt or bytes_in_flight for them).
const (
	maxUnacked      = 10000
	maxUnackedTotal = 1 << 20
)

// seqDir is one direction's sequence-analysis state (tcp_analyze_seq_flow_info_t
// and the tcp_flow_t fields the analysis reads).
type seqDir struct {
	nextseq, maxSeqToBeAcked, lastack uint32 // raw; 0: none seen yet
	nextseqFrame                      uint32
	nextseqTime, lastackTime          int64 // Unix nanoseconds
	window                            uint32
	lastFlags                         uint16
	dupacks                           int32
	lastNonDup                        uint32
	noBIF                             bool // bytes in flight untracked until the other side ACKs
	winScale                          int8 // -1 unknown, -2 none, else the shift
	firstAck                          bool // no ACK without SYN sent since this direction's SYN
	pushSetLast                       bool
	pushBytes                         uint32
	nsack                             uint8
	sack                              [3][2]uint32 // the last segment's SACK blocks (raw)
	segs                              []unacked    // oldest first
	// spanOK says spanLo/spanHi hold the relative span of segs for spanBase.
	spanOK         bool
	spanBase       uint32
	spanLo, spanHi uint32
}

type unacked struct {
	frame        uint32
	seq, nextseq uint32
	ts           int64
}

func (s *seqDir) init() {
	s.window = 0xffffffff
	s.winScale = -1
}

// tcpConvAnalysis is the per-conversation part: the handshake's times.
type tcpConvAnalysis struct {
	synTime  int64 // the latest SYN (without ACK), Unix nanoseconds; 0 none
	firstRTT int64 // the initial RTT, from the SYN to the first ACK; 0 unknown
}

// taInfo is what the analysis recorded for one frame (Wireshark's tcp_acked).
type taInfo struct {
	kept      bool // a record exists: the tcp.analysis tree is shown
	acksFrame uint32
	ackRTT    int64
	bif       uint32
	pushBytes uint32
	rto       int64
	rtoFrame  uint32
	dupN      int32
	dupOf     uint32
	firstRTT  int64
}

// Sequence comparisons modulo 2^32.
func seqGT(a, b uint32) bool { return int32(a-b) > 0 }
func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqLE(a, b uint32) bool { return int32(a-b) <= 0 }

const (
	thSYN = 0x02
	thFIN = 0x01
	thRST = 0x04
	thACK = 0x10
	thPSH = 0x08
)

// analyze runs Wireshark's tcp_analyze_sequence_number for p, sent in the
// direction fwd of conversation c.
func (d *Decoder) analyze(p *Packet, c *tcpConn, fwd, rev *tcpDir) {
	t := &p.tcp
	ta := &t.ta
	f, r := &fwd.sa, &rev.sa
	seq, ack, seglen, flags, window := t.seqRaw, t.ackRaw, t.length, t.flags, uint32(t.win)
	now := p.Time.UnixNano()
	var a uint16
	mark := func(bit uint16) { a |= bit; ta.kept = true }

	if flags&thACK != 0 {
		r.noBIF = false
	}
	switch {
	case seglen == 1 && seq == f.nextseq && r.window == 0:
		mark(aZeroWindowProbe)
		goto finishedFwd
	}
	if window == 0 && flags&(thRST|thFIN|thSYN) == 0 {
		mark(aZeroWindow)
	}
	if f.nextseq != 0 && seqGT(seq, f.nextseq) && flags&thRST == 0 {
		mark(aLostSegment)
		f.noBIF = true
	}
	if seglen <= 1 && seq == f.nextseq-1 && flags&(thSYN|thFIN|thRST) == 0 {
		mark(aKeepAlive)
	}
	if seglen == 0 && window != 0 && window != f.window && seq == f.nextseq && ack == f.lastack && flags&(thSYN|thFIN|thRST) == 0 {
		mark(aWindowUpdate)
	}
	if seglen > 0 && r.winScale != -1 && flags&(thSYN|thFIN|thRST) == 0 {
		shift := uint32(0)
		if !r.firstAck && r.winScale >= 0 {
			shift = uint32(r.winScale)
		}
		if seq+seglen == r.lastack+r.window<<shift {
			mark(aWindowFull)
		}
	}
	if seglen == 0 && window != 0 && window == f.window && seq == f.nextseq && ack == f.lastack && r.lastFlags&aKeepAlive != 0 && flags&(thSYN|thFIN|thRST) == 0 {
		mark(aKeepAliveAck)
		goto finishedFwd
	}
	if seglen == 0 && window == 0 && window == f.window && seq == f.nextseq && ack == f.lastack && r.lastFlags&aZeroWindowProbe != 0 && flags&(thSYN|thFIN|thRST) == 0 {
		mark(aZeroWindowProbeAck)
		goto finishedFwd
	}
	if seglen == 0 && window != 0 && window == f.window && seq == f.nextseq && ack == f.lastack && flags&(thSYN|thFIN|thRST) == 0 {
		if f.dupacks == -1 {
			f.dupacks = 1
		} else {
			f.dupacks++
		}
		mark(aDupAck)
		ta.dupN, ta.dupOf = f.dupacks, f.lastNonDup
	}

finishedFwd:
	if ack != f.lastack {
		f.lastNonDup, f.dupacks = uint32(p.Number), 0
	}
	if r.maxSeqToBeAcked != 0 && seqGT(ack, r.maxSeqToBeAcked) && flags&thACK != 0 {
		ta.kept = true
		if seqLT(r.maxSeqToBeAcked, r.nextseq) {
			r.maxSeqToBeAcked = r.nextseq
			a |= aAckLostSegment
		} else {
			if r.dupacks == 0 {
				a |= aAckLostSegment
			}
			r.dupacks = -1
		}
	}

	if seglen > 0 || flags&(thSYN|thFIN) != 0 {
		notAdvanced := f.nextseq != 0 && seqLT(seq, f.nextseq)
		if a&aKeepAlive != 0 {
			goto finishedRetrans
		}
		if seglen > 1 && f.nextseq-1 == seq {
			notAdvanced = false
		}
		if seglen > 0 && r.lastack != 0 && seqLE(seq+seglen, r.lastack) {
			mark(aSpurious)
			goto finishedRetrans
		}
		if notAdvanced && r.dupacks >= 2 && r.lastack == seq && uint64(now-r.lastackTime) < 20e6 {
			mark(aFastRetransmission)
			goto finishedRetrans
		}
		thres := uint64(3e6)
		if c.an.firstRTT != 0 {
			thres = uint64(c.an.firstRTT)
		}
		end := seq + seglen
		if flags&(thSYN|thFIN) != 0 {
			end++
		}
		if notAdvanced && uint64(now-f.nextseqTime) < thres && f.nextseq != end {
			mark(aOutOfOrder)
			goto finishedRetrans
		}
		if notAdvanced {
			mark(aRetransmission)
			ta.rto, ta.rtoFrame = now-f.nextseqTime, f.nextseqFrame
			if len(f.segs) > 0 {
				// The oldest unacknowledged segment is likely the one sent again.
				ta.rto, ta.rtoFrame = now-f.segs[0].ts, f.segs[0].frame
			}
		}
	}

finishedRetrans:
	nextseq := seq + seglen
	if (seglen > 0 || flags&(thSYN|thFIN) != 0) && len(f.segs) < maxUnacked && d.streams.unacked < maxUnackedTotal {
		if flags&(thSYN|thFIN) != 0 {
			nextseq++
		}
		f.segs = append(f.segs, unacked{frame: uint32(p.Number), seq: seq, nextseq: nextseq, ts: now})
		d.streams.unacked++
		if f.spanOK {
			f.widen(f.segs[len(f.segs)-1])
		}
	}
	zwp := a&aZeroWindowProbe != 0
	if (seqGT(nextseq, f.nextseq) || f.nextseq == 0) && !zwp {
		f.nextseq, f.nextseqFrame, f.nextseqTime = nextseq, uint32(p.Number), now
	}
	if (seq == f.maxSeqToBeAcked || f.maxSeqToBeAcked == 0) && !zwp {
		f.maxSeqToBeAcked = f.nextseq
	}
	f.window, f.lastack, f.lastackTime = window, ack, now
	f.lastFlags = a

	// Drop what this segment acknowledges from the other direction's list.
	kept := r.segs[:0]
	for i := len(r.segs) - 1; i >= 0; i-- {
		// Wireshark walks its list newest first: the oldest match wins.
		u := r.segs[i]
		switch {
		case ack == u.nextseq:
			ta.kept, ta.acksFrame, ta.ackRTT = true, u.frame, now-u.ts
		case seqGT(ack, u.seq) && seqLE(ack, u.nextseq):
			r.segs[i].seq = ack
			r.spanOK = false
			continue
		case seqGT(u.nextseq, ack):
			continue
		}
		r.segs[i].frame = 0 // removed
	}
	for _, u := range r.segs {
		if u.frame != 0 {
			kept = append(kept, u)
		} else {
			d.streams.unacked--
			r.spanOK = false
		}
	}
	clear(r.segs[len(kept):])
	r.segs = kept

	// Bytes in flight: the span of this direction's unacknowledged segments,
	// less what the other side's SACK blocks say arrived.
	if seglen != 0 && len(f.segs) > 0 && !f.noBIF {
		if !f.spanOK || f.spanBase != fwd.base {
			f.span(fwd.base)
		}
		inFlight := f.spanHi - f.spanLo
		for _, b := range r.sack[:r.nsack] {
			inFlight -= b[1] - b[0]
		}
		ta.kept = true
		if inFlight > 0 && inFlight < 2000000000 {
			ta.bif = inFlight
			if flags&(thSYN|thFIN) != 0 {
				ta.bif--
			}
		}
		switch {
		case flags&thPSH != 0 && !f.pushSetLast:
			f.pushBytes += seglen
			f.pushSetLast = true
		case flags&thPSH != 0:
			f.pushBytes = seglen
		case f.pushSetLast:
			f.pushBytes = seglen
			f.pushSetLast = false
		default:
			f.pushBytes += seglen
		}
		ta.pushBytes = f.pushBytes
	}
	t.analysis |= a
}

// span recomputes the relative span of the unacknowledged segments.
func (s *seqDir) span(base uint32) {
	s.spanOK, s.spanBase = true, base
	s.spanLo, s.spanHi = s.segs[0].seq-base, s.segs[0].nextseq-base
	for _, u := range s.segs[1:] {
		s.widen(u)
	}
}

func (s *seqDir) widen(u unacked) {
	if n := u.nextseq - s.spanBase; n > s.spanHi {
		s.spanHi = n
	}
	if n := u.seq - s.spanBase; n < s.spanLo {
		s.spanLo = n
	}
}

// afterAnalysis is what dissect_tcp does after the analysis for the handshake
// and window scaling: the initial RTT, the window scale options and whether a
// direction has sent its first ACK.
func (d *Decoder) afterAnalysis(p *Packet, c *tcpConn, fwd, rev *tcpDir) {
	t := &p.tcp
	f, r := &fwd.sa, &rev.sa
	syn, ack := t.flags&thSYN != 0, t.flags&thACK != 0
	now := p.Time.UnixNano()
	if syn {
		if !ack {
			c.an.synTime = now
		}
		f.firstAck = true
	}
	if ack && !syn && c.an.synTime != 0 && c.an.firstRTT == 0 {
		c.an.firstRTT = now - c.an.synTime // a zero RTT stays unknown, as in Wireshark
	}
	if ack && !syn {
		f.firstAck = false
	}
	if t.ta.kept {
		t.ta.firstRTT = c.an.firstRTT
	}
	// This segment's options: the window scale (any segment may change it,
	// as in Wireshark) and SACK blocks for the other side's bytes in flight.
	if t.wscale >= 0 {
		f.winScale = t.wscale
	}
	if syn {
		switch {
		case f.winScale == -1:
			f.winScale, r.winScale = -2, -2
		case ack && r.winScale == -2:
			f.winScale = -2
		}
	}
	f.nsack = 0
	for i := range t.sack[:min(int(t.nsack), len(f.sack))] {
		f.sack[i] = [2]uint32{t.sack[i][0], t.sack[i][1]}
		f.nsack++
	}
}

// The tcp.analysis fields, in the order of Wireshark's tree.
var tcpAnalysisFields = []field{
	{name: "tcp.analysis", typ: filter.None, desc: "SEQ/ACK analysis: present when the analysis kept a record for the segment (it acknowledges one, carries data or was flagged)", example: "tcp.analysis",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.ta.kept {
				return u(dst, 0)
			}
			return dst
		}},
	{name: "tcp.analysis.acks_frame", typ: filter.Uint, bits: 32, desc: "The frame whose segment this one acknowledges", example: "tcp.analysis.acks_frame == 4",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.ta.acksFrame != 0 {
				return u(dst, uint64(p.tcp.ta.acksFrame))
			}
			return dst
		}},
	{name: "tcp.analysis.ack_rtt", typ: filter.Float, desc: "Seconds from the acknowledged segment to this ACK (round-trip time)", example: "tcp.analysis.ack_rtt > 0.2",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.ta.acksFrame != 0 && p.tcp.ta.ackRTT != 0 {
				return seconds(dst, p.tcp.ta.ackRTT)
			}
			return dst
		}},
	{name: "tcp.analysis.initial_rtt", typ: filter.Float, desc: "Seconds from the SYN to the first ACK of the handshake, on the analysed segments after it", example: "tcp.analysis.initial_rtt > 0.1",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.ta.firstRTT != 0 {
				return seconds(dst, p.tcp.ta.firstRTT)
			}
			return dst
		}},
	{name: "tcp.analysis.bytes_in_flight", typ: filter.Uint, bits: 32, desc: "Bytes sent in this direction and not yet acknowledged, this segment included", example: "tcp.analysis.bytes_in_flight > 10000",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.ta.bif != 0 {
				return u(dst, uint64(p.tcp.ta.bif))
			}
			return dst
		}},
	{name: "tcp.analysis.push_bytes_sent", typ: filter.Uint, bits: 32, desc: "Bytes sent since the last segment with PSH", example: "tcp.analysis.push_bytes_sent > 1448",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.ta.bif != 0 {
				return u(dst, uint64(p.tcp.ta.pushBytes))
			}
			return dst
		}},
	{name: "tcp.analysis.flags", typ: filter.None, desc: "Sequence analysis found something worth a look (any of the flags below)", example: "tcp.analysis.flags && !tcp.analysis.window_update",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.analysis != 0 {
				return u(dst, 0)
			}
			return dst
		}},
	{name: "tcp.analysis.reused_ports", typ: filter.None, desc: "A SYN opening a new connection (a new tcp.stream) on the ports of an earlier one", example: "tcp.analysis.reused_ports", get: tcpAnalysis(aReusedPorts)},
	{name: "tcp.analysis.retransmission", typ: filter.None, desc: "The segment repeats data already sent in this direction (fast and spurious retransmissions too)", example: "tcp.analysis.retransmission", get: tcpAnalysis(aRetransmission | aFastRetransmission | aSpurious)},
	{name: "tcp.analysis.rto", typ: filter.Float, desc: "Retransmission: seconds since the oldest unacknowledged segment (the retransmission timeout)", example: "tcp.analysis.rto > 1",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.analysis&aRetransmission != 0 && p.tcp.ta.rto != 0 {
				return seconds(dst, p.tcp.ta.rto)
			}
			return dst
		}},
	{name: "tcp.analysis.rto_frame", typ: filter.Uint, bits: 32, desc: "Retransmission: the frame the timeout is measured from", example: "tcp.analysis.rto_frame == 4",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.analysis&aRetransmission != 0 && p.tcp.ta.rto != 0 {
				return u(dst, uint64(p.tcp.ta.rtoFrame))
			}
			return dst
		}},
	{name: "tcp.analysis.fast_retransmission", typ: filter.None, desc: "A retransmission within 20 ms of the other side's second or later duplicate ACK for it", example: "tcp.analysis.fast_retransmission", get: tcpAnalysis(aFastRetransmission)},
	{name: "tcp.analysis.spurious_retransmission", typ: filter.None, desc: "A retransmission of data the other side had already acknowledged", example: "tcp.analysis.spurious_retransmission", get: tcpAnalysis(aSpurious)},
	{name: "tcp.analysis.out_of_order", typ: filter.None, desc: "A segment behind the highest sequence number sent, within the initial RTT (3 ms when unknown) of it", example: "tcp.analysis.out_of_order", get: tcpAnalysis(aOutOfOrder)},
	{name: "tcp.analysis.lost_segment", typ: filter.None, desc: "A gap: data of this direction before this segment was not captured", example: "tcp.analysis.lost_segment", get: tcpAnalysis(aLostSegment)},
	{name: "tcp.analysis.ack_lost_segment", typ: filter.None, desc: "The segment acknowledges data that was not captured", example: "tcp.analysis.ack_lost_segment", get: tcpAnalysis(aAckLostSegment)},
	{name: "tcp.analysis.window_update", typ: filter.None, desc: "A pure window update: no data, same sequence and ACK numbers, a new non-zero window", example: "tcp.analysis.window_update", get: tcpAnalysis(aWindowUpdate)},
	{name: "tcp.analysis.window_full", typ: filter.None, desc: "The segment fills the window the other side advertised", example: "tcp.analysis.window_full", get: tcpAnalysis(aWindowFull)},
	{name: "tcp.analysis.keep_alive", typ: filter.None, desc: "A keep-alive: none or one byte, one before the next sequence number", example: "tcp.analysis.keep_alive", get: tcpAnalysis(aKeepAlive)},
	{name: "tcp.analysis.keep_alive_ack", typ: filter.None, desc: "The ACK of a keep-alive", example: "tcp.analysis.keep_alive_ack", get: tcpAnalysis(aKeepAliveAck)},
	// tshark shows duplicate_ack twice: a field and an expert of that name.
	{name: "tcp.analysis.duplicate_ack", typ: filter.None, desc: "A duplicate ACK: no data, the same ACK number, window and sequence number as the last segment of this direction", example: "tcp.analysis.duplicate_ack",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.analysis&aDupAck != 0 {
				dst = u(u(dst, 0), 0)
			}
			return dst
		}},
	{name: "tcp.analysis.duplicate_ack_num", typ: filter.Uint, bits: 32, desc: "Duplicate ACK: how many in a row (1 for the first)", example: "tcp.analysis.duplicate_ack_num >= 3",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.ta.dupN != 0 {
				return u(dst, uint64(p.tcp.ta.dupN))
			}
			return dst
		}},
	{name: "tcp.analysis.duplicate_ack_frame", typ: filter.Uint, bits: 32, desc: "Duplicate ACK: the frame it duplicates (where the ACK number was last new)", example: "tcp.analysis.duplicate_ack_frame == 8",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.tcp.ta.dupN != 0 {
				return u(dst, uint64(p.tcp.ta.dupOf))
			}
			return dst
		}},
	{name: "tcp.analysis.zero_window_probe", typ: filter.None, desc: "A one-byte segment probing the other side's zero window", example: "tcp.analysis.zero_window_probe", get: tcpAnalysis(aZeroWindowProbe)},
	{name: "tcp.analysis.zero_window", typ: filter.None, desc: "The segment advertises a zero window (the sender cannot take more data)", example: "tcp.analysis.zero_window", get: tcpAnalysis(aZeroWindow)},
	{name: "tcp.analysis.zero_window_probe_ack", typ: filter.None, desc: "The ACK of a zero window probe", example: "tcp.analysis.zero_window_probe_ack", get: tcpAnalysis(aZeroWindowProbeAck)},
}

// seconds appends a time in nanoseconds: F in seconds for filters, and N the
// exact nanoseconds (two's complement) that Format prints, as a float64 cannot
// hold them past 104 days.
func seconds(dst []filter.Value, ns int64) []filter.Value {
	return append(dst, filter.Value{F: time.Duration(ns).Seconds(), N: uint64(ns)})
}

func tcpAnalysis(a uint16) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.tcp.analysis&a != 0 {
			dst = u(dst, 0)
		}
		return dst
	}
}

// analysisNotes are the Info column's notes, in the order Wireshark prepends
// them: each goes before the ones already there, so the last shows first.
var analysisNotes = []struct {
	bit  uint16
	text string
}{
	{aReusedPorts, "[TCP Port numbers reused] "},
	{aRetransmission, "[TCP Retransmission] "},
	{aFastRetransmission, "[TCP Fast Retransmission] "},
	{aSpurious, "[TCP Spurious Retransmission] "},
	{aOutOfOrder, "[TCP Out-Of-Order] "},
	{aLostSegment, "[TCP Previous segment not captured] "},
	{aAckLostSegment, "[TCP ACKed unseen segment] "},
	{aWindowUpdate, "[TCP Window Update] "},
	{aWindowFull, "[TCP Window Full] "},
	{aKeepAlive, "[TCP Keep-Alive] "},
	{aKeepAliveAck, "[TCP Keep-Alive ACK] "},
	{aDupAck, ""}, // [TCP Dup ACK frame#n]
	{aZeroWindowProbe, "[TCP ZeroWindowProbe] "},
	{aZeroWindow, "[TCP ZeroWindow] "},
	{aZeroWindowProbeAck, "[TCP ZeroWindowProbeAck] "},
}

// appendAnalysisNotes appends the notes the Info column starts with.
func (t *tcpInfo) appendAnalysisNotes(b []byte) []byte {
	if t.analysis == 0 {
		return b
	}
	for i := len(analysisNotes) - 1; i >= 0; i-- {
		n := analysisNotes[i]
		if t.analysis&n.bit == 0 {
			continue
		}
		if n.bit == aDupAck {
			b = append(b, "[TCP Dup ACK "...)
			b = strconv.AppendUint(b, uint64(t.ta.dupOf), 10)
			b = append(b, '#')
			b = strconv.AppendInt(b, int64(t.ta.dupN), 10)
			b = append(b, "] "...)
			continue
		}
		b = append(b, n.text...)
	}
	return b
}
