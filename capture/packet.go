package capture

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Packet is one decoded frame. Its exported fields describe the frame; its
// protocol fields are read through Values (filter.Record), Strings, Summary and
// Line. A Packet returned by Decoder.Decode owns its Data; slices returned by
// Values may alias Data and stay valid as long as the packet.
type Packet struct {
	Number    int           // frame number, from 1
	Time      time.Time     // capture time
	Relative  time.Duration // since the first frame the decoder saw
	Len       int           // length on the wire
	CapLen    int           // captured length (len(Data))
	LinkType  layers.LinkType
	Interface int // pcapng interface index
	Data      []byte
	Comments  []string
	Malformed string // "" or why decoding stopped early

	has    uint32 // protocol bits (p*)
	link   linkInfo
	arp    arpInfo
	ip4    ip4Info
	ip6    ip6Info
	tcp    tcpInfo
	udp    udpInfo
	icmp   icmpInfo // ICMP or ICMPv6
	ext    [4]uint8 // IPv6 extension headers, in order
	next   uint8    // number of ext used
	dns    *dnsInfo
	http   httpInfo
	data   []byte // data.data: undecoded payload
	reasm  []byte // packet-owned copy of reassembled HTTP messages
	digits uint8  // decimals of the time column in Line
}

// Protocol bits.
const (
	pEth uint32 = 1 << iota
	pVLAN
	pSLL
	pNull
	pRaw
	pARP
	pIP
	pIPv6
	pTCP
	pUDP
	pICMP
	pICMPv6
	pDNS
	pHTTP
	pData
	pText  // HTTP body shown as data-text-lines
	pMedia // HTTP body shown as media
	pForm  // HTTP body shown as urlencoded-form
	pJSON  // HTTP body shown as json
	pReasm // TCP segment of a reassembled PDU
	pIPFrag
	pHTTPCont // HTTP continuation data
)

type linkInfo struct {
	src, dst   uint64
	typ        uint16     // eth.type or sll.etype
	tags       [2]vlanTag // 802.1Q (vlan) and 802.1ad (ieee8021ad) tags, outer first
	ntags      uint8
	sllPktType uint16
}

type vlanTag struct{ tpid, tci, typ uint16 }

type arpInfo struct {
	op             uint16
	srcHW, dstHW   uint64
	srcIP, dstIP   uint32
	hwLen, protLen uint8
	ipv4           bool // hardware Ethernet, protocol IPv4
}

type ip4Info struct {
	src, dst uint32
	hdrLen   uint8
	tos      uint8
	length   uint16
	id       uint16
	flags    uint8
	frag     uint16
	ttl      uint8
	proto    uint8
	checksum uint16
}

type ip6Info struct {
	src, dst [16]byte
	tclass   uint8
	flow     uint32
	plen     uint16
	nxt      uint8
	hlim     uint8
}

type tcpInfo struct {
	sport, dport     uint16
	stream           uint32
	seqRaw, ackRaw   uint32
	seq, ack, nxtseq uint32
	length           uint32
	hdrLen           uint8
	flags            uint16
	win              uint16
	winScaled        uint32
	winKnown         bool
	checksum, urg    uint16
	mss              uint16
	hasMSS, sackPerm bool
	wscale           int8 // -1 absent
	hasTS            bool
	tsval, tsecr     uint32
	nsack            uint8
	sack             [4][2]uint32 // relative
	payload          []byte
	reused           bool // a SYN opening a new stream on a closed 4-tuple
	// analysis holds the a* bits of sequence analysis; dupOf and dupN name a
	// duplicate ACK's original frame and count.
	analysis uint8
	dupOf    int
	dupN     int
}

type udpInfo struct {
	sport, dport uint16
	length       uint16
	checksum     uint16
	stream       uint32
	payload      []byte
}

type icmpInfo struct {
	typ, code uint8
	checksum  uint16
	id, seq   uint16
	echo      bool
	target    [16]byte // ICMPv6 neighbor discovery target
	related   int      // for echo: the frame number of the matching request (for replies)
}

// Sequence analysis bits, in the order of the tcp.analysis.* field IDs.
const (
	aRetransmission uint8 = 1 << iota
	aSpurious
	aLostSegment
	aDupAck
	aKeepAlive
	aWindowUpdate
	aReusedPorts
)

func (p *Packet) reset() {
	data, reasm, msgs := p.Data[:0], p.reasm[:0], p.http.msgs[:0]
	*p = Packet{}
	p.Data, p.reasm, p.http.msgs = data, reasm, msgs
	p.icmp.related = 0
	p.tcp.wscale = -1
}

// Values appends the occurrences of f in p to dst (filter.Record). Time fields
// are floats in seconds; addresses follow filter.Type's encodings.
func (p *Packet) Values(dst []filter.Value, f *filter.Field) []filter.Value {
	if f == nil || f.ID < 0 || f.ID >= numFields {
		return dst
	}
	return p.values(dst, f.ID)
}

func u(dst []filter.Value, n uint64) []filter.Value { return append(dst, filter.Value{N: n}) }

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func (p *Packet) values(dst []filter.Value, id int) []filter.Value {
	h := p.has
	switch {
	case id <= fFrameInterfaceID:
		switch id {
		case fFrame:
			return u(dst, 0)
		case fFrameNumber:
			return u(dst, uint64(p.Number))
		case fFrameTimeRelative:
			return append(dst, filter.Value{F: p.Relative.Seconds()})
		case fFrameTimeEpoch:
			return append(dst, filter.Value{F: float64(p.Time.UnixNano()) / 1e9})
		case fFrameLen:
			return u(dst, uint64(p.Len))
		case fFrameCapLen:
			return u(dst, uint64(p.CapLen))
		case fFrameProtocols:
			return append(dst, filter.Value{B: p.appendProtocols(nil)})
		case fFrameComment:
			for _, c := range p.Comments {
				dst = append(dst, filter.Value{B: []byte(c)})
			}
			return dst
		case fFrameInterfaceID:
			return u(dst, uint64(p.Interface))
		}
	case id <= fEthType:
		if h&pEth == 0 {
			return dst
		}
		switch id {
		case fEth:
			return u(dst, 0)
		case fEthSrc:
			return u(dst, p.link.src)
		case fEthDst:
			return u(dst, p.link.dst)
		case fEthAddr:
			return u(u(dst, p.link.dst), p.link.src)
		case fEthType:
			return u(dst, uint64(p.link.typ))
		}
	case id <= fVLANEtype:
		if h&pVLAN == 0 {
			return dst
		}
		for _, tg := range p.link.tags[:p.link.ntags] {
			if tg.tpid != 0x8100 {
				continue // 802.1ad: Wireshark's ieee8021ad protocol
			}
			switch id {
			case fVLAN:
				dst = u(dst, 0)
			case fVLANID:
				dst = u(dst, uint64(tg.tci&0x0fff))
			case fVLANPriority:
				dst = u(dst, uint64(tg.tci>>13))
			case fVLANEtype:
				dst = u(dst, uint64(tg.typ))
			}
		}
		return dst
	case id <= fSLLEtype:
		if h&pSLL == 0 {
			return dst
		}
		switch id {
		case fSLL:
			return u(dst, 0)
		case fSLLPktType:
			return u(dst, uint64(p.link.sllPktType))
		case fSLLEtype:
			return u(dst, uint64(p.link.typ))
		}
	case id == fNull:
		if h&pNull != 0 {
			return u(dst, 0)
		}
	case id <= fARPDstIP:
		if h&pARP == 0 {
			return dst
		}
		a := &p.arp
		switch id {
		case fARP:
			return u(dst, 0)
		case fARPOpcode:
			return u(dst, uint64(a.op))
		}
		if !a.ipv4 {
			return dst
		}
		switch id {
		case fARPSrcHW:
			return u(dst, a.srcHW)
		case fARPSrcIP:
			return u(dst, uint64(a.srcIP))
		case fARPDstHW:
			return u(dst, a.dstHW)
		case fARPDstIP:
			return u(dst, uint64(a.dstIP))
		}
	case id <= fIPAddr:
		if id == fIPVersion && h&pIPv6 != 0 && h&pIP == 0 {
			return u(dst, 6) // Wireshark's IPv6 dissector sets ip.version too
		}
		if h&pIP == 0 {
			return dst
		}
		ip := &p.ip4
		switch id {
		case fIP:
			return u(dst, 0)
		case fIPVersion:
			return u(dst, 4)
		case fIPHdrLen:
			return u(dst, uint64(ip.hdrLen))
		case fIPDSField:
			return u(dst, uint64(ip.tos))
		case fIPLen:
			return u(dst, uint64(ip.length))
		case fIPID:
			return u(dst, uint64(ip.id))
		case fIPFlags:
			return u(dst, uint64(ip.flags))
		case fIPFlagsDF:
			return u(dst, uint64(ip.flags>>1&1))
		case fIPFlagsMF:
			return u(dst, uint64(ip.flags&1))
		case fIPFragOffset:
			return u(dst, uint64(ip.frag)*8)
		case fIPTTL:
			return u(dst, uint64(ip.ttl))
		case fIPProto:
			return u(dst, uint64(ip.proto))
		case fIPChecksum:
			return u(dst, uint64(ip.checksum))
		case fIPSrc:
			return u(dst, uint64(ip.src))
		case fIPDst:
			return u(dst, uint64(ip.dst))
		case fIPAddr:
			return u(u(dst, uint64(ip.src)), uint64(ip.dst))
		}
	case id <= fIPv6Addr:
		if h&pIPv6 == 0 {
			return dst
		}
		ip := &p.ip6
		switch id {
		case fIPv6:
			return u(dst, 0)
		case fIPv6TClass:
			return u(dst, uint64(ip.tclass))
		case fIPv6Flow:
			return u(dst, uint64(ip.flow))
		case fIPv6Plen:
			return u(dst, uint64(ip.plen))
		case fIPv6Nxt:
			return u(dst, uint64(ip.nxt))
		case fIPv6Hlim:
			return u(dst, uint64(ip.hlim))
		case fIPv6Src:
			return append(dst, filter.Value{B: ip.src[:]})
		case fIPv6Dst:
			return append(dst, filter.Value{B: ip.dst[:]})
		case fIPv6Addr:
			return append(dst, filter.Value{B: ip.src[:]}, filter.Value{B: ip.dst[:]})
		}
	case id <= fTCPAnalysisReusedPorts:
		if h&pTCP == 0 {
			return dst
		}
		t := &p.tcp
		switch id {
		case fTCP:
			return u(dst, 0)
		case fTCPSrcPort:
			return u(dst, uint64(t.sport))
		case fTCPDstPort:
			return u(dst, uint64(t.dport))
		case fTCPPort:
			return u(u(dst, uint64(t.sport)), uint64(t.dport))
		case fTCPStream:
			return u(dst, uint64(t.stream))
		case fTCPLen:
			return u(dst, uint64(t.length))
		case fTCPSeq:
			return u(dst, uint64(t.seq))
		case fTCPSeqRaw:
			return u(dst, uint64(t.seqRaw))
		case fTCPNxtSeq:
			return u(dst, uint64(t.nxtseq))
		case fTCPAck:
			return u(dst, uint64(t.ack))
		case fTCPAckRaw:
			return u(dst, uint64(t.ackRaw))
		case fTCPHdrLen:
			return u(dst, uint64(t.hdrLen))
		case fTCPFlags:
			return u(dst, uint64(t.flags))
		case fTCPFlagsFin, fTCPFlagsSyn, fTCPFlagsReset, fTCPFlagsPush, fTCPFlagsAck, fTCPFlagsUrg, fTCPFlagsEce, fTCPFlagsCwr:
			return u(dst, uint64(t.flags>>(id-fTCPFlagsFin)&1))
		case fTCPWindowSizeValue:
			return u(dst, uint64(t.win))
		case fTCPWindowSize:
			return u(dst, uint64(t.winScaled))
		case fTCPChecksum:
			return u(dst, uint64(t.checksum))
		case fTCPUrgentPointer:
			return u(dst, uint64(t.urg))
		case fTCPOptionsMSS:
			if t.hasMSS {
				return u(dst, uint64(t.mss))
			}
		case fTCPPayload:
			if len(t.payload) > 0 {
				return append(dst, filter.Value{B: t.payload})
			}
		case fTCPAnalysisFlags:
			if t.analysis != 0 {
				return u(dst, 0)
			}
		case fTCPAnalysisDupAck:
			if t.analysis&aDupAck != 0 {
				return u(u(dst, 0), 0) // tshark shows it twice (summary and detail)
			}
		default:
			if t.analysis&(1<<(id-fTCPAnalysisRetransmission)) != 0 {
				return u(dst, 0)
			}
		}
	case id <= fUDPPayload:
		if h&pUDP == 0 {
			return dst
		}
		x := &p.udp
		switch id {
		case fUDP:
			return u(dst, 0)
		case fUDPSrcPort:
			return u(dst, uint64(x.sport))
		case fUDPDstPort:
			return u(dst, uint64(x.dport))
		case fUDPPort:
			return u(u(dst, uint64(x.sport)), uint64(x.dport))
		case fUDPLength:
			return u(dst, uint64(x.length))
		case fUDPChecksum:
			return u(dst, uint64(x.checksum))
		case fUDPStream:
			return u(dst, uint64(x.stream))
		case fUDPPayload:
			if len(x.payload) > 0 {
				return append(dst, filter.Value{B: x.payload})
			}
		}
	case id <= fICMPSeq:
		if h&pICMP == 0 {
			return dst
		}
		switch id {
		case fICMP:
			return u(dst, 0)
		case fICMPType:
			return u(dst, uint64(p.icmp.typ))
		case fICMPCode:
			return u(dst, uint64(p.icmp.code))
		case fICMPChecksum:
			return u(dst, uint64(p.icmp.checksum))
		case fICMPIdent:
			if p.icmp.echo {
				return u(dst, uint64(p.icmp.id))
			}
		case fICMPSeq:
			if p.icmp.echo {
				return u(dst, uint64(p.icmp.seq))
			}
		}
	case id <= fICMPv6EchoSeq:
		if h&pICMPv6 == 0 {
			return dst
		}
		switch id {
		case fICMPv6:
			return u(dst, 0)
		case fICMPv6Type:
			return u(dst, uint64(p.icmp.typ))
		case fICMPv6Code:
			return u(dst, uint64(p.icmp.code))
		case fICMPv6Checksum:
			return u(dst, uint64(p.icmp.checksum))
		case fICMPv6EchoID:
			if p.icmp.echo {
				return u(dst, uint64(p.icmp.id))
			}
		case fICMPv6EchoSeq:
			if p.icmp.echo {
				return u(dst, uint64(p.icmp.seq))
			}
		}
	case id <= fDNSCNAME:
		if h&pDNS == 0 || p.dns == nil {
			return dst
		}
		return p.dns.values(dst, id)
	case id <= fHTTPConnection:
		if h&pHTTP == 0 {
			return dst
		}
		return p.http.values(dst, id)
	case id <= fDataLen:
		if h&pData == 0 {
			return dst
		}
		switch id {
		case fData:
			return u(dst, 0)
		case fDataData:
			return append(dst, filter.Value{B: p.data})
		case fDataLen:
			return u(dst, uint64(len(p.data)))
		}
	}
	return dst
}

// Strings returns the occurrences of the field called name, each formatted as
// `tshark -T fields` prints it; nil if the field is absent or unknown.
func (p *Packet) Strings(name string) []string {
	f, ok := lookupField(name)
	if !ok {
		return nil
	}
	var buf [4]filter.Value
	vals := p.Values(buf[:0], f)
	if len(vals) == 0 {
		return nil
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(p.appendValue(nil, f, v))
	}
	return out
}

// appendValue formats v like Format, but prints times exactly from the packet
// (a float64 cannot hold an epoch time to the nanosecond).
func (p *Packet) appendValue(b []byte, f *filter.Field, v filter.Value) []byte {
	switch f.ID {
	case fFrameTimeEpoch:
		return appendSecNano(b, p.Time.Unix(), int64(p.Time.Nanosecond()), 9)
	case fFrameTimeRelative:
		return appendDuration(b, p.Relative, 9)
	}
	return appendFormat(b, f, v)
}

func appendDuration(b []byte, d time.Duration, digits int) []byte {
	if d < 0 {
		b = append(b, '-')
		d = -d
	}
	return appendSecNano(b, int64(d/time.Second), int64(d%time.Second), digits)
}

// appendSecNano prints sec.nsec with digits decimals (truncated, as Wireshark does).
func appendSecNano(b []byte, sec, nsec int64, digits int) []byte {
	b = appendInt(b, sec)
	if digits <= 0 {
		return b
	}
	b = append(b, '.')
	var frac [9]byte
	n := nsec
	for i := 8; i >= 0; i-- {
		frac[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, frac[:digits]...)
}

func appendInt(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}

// appendProtocols builds frame.protocols as Wireshark does: eth:ethertype:ip:tcp:http.
func (p *Packet) appendProtocols(b []byte) []byte {
	h := p.has
	sep := func(s string) {
		if len(b) > 0 {
			b = append(b, ':')
		}
		b = append(b, s...)
	}
	switch {
	case h&pEth != 0:
		sep("eth")
		sep("ethertype")
		for _, tg := range p.link.tags[:p.link.ntags] {
			if tg.tpid == 0x8100 {
				sep("vlan")
			} else {
				sep("ieee8021ad")
			}
			sep("ethertype")
		}
	case h&pSLL != 0:
		sep("sll")
		sep("ethertype")
	case h&pNull != 0:
		sep("null")
	case h&pRaw != 0:
		sep("raw")
	}
	if h&pARP != 0 {
		sep("arp")
	}
	if h&pIP != 0 {
		sep("ip")
	}
	if h&pIPv6 != 0 {
		sep("ipv6")
		for _, e := range p.ext[:p.next] {
			switch e {
			case 0:
				sep("ipv6.hopopts")
			case 43:
				sep("ipv6.routing")
			case 44:
				sep("ipv6.fraghdr")
			case 60:
				sep("ipv6.dstopts")
			}
		}
	}
	switch {
	case h&pTCP != 0:
		sep("tcp")
	case h&pUDP != 0:
		sep("udp")
	case h&pICMP != 0:
		sep("icmp")
	case h&pICMPv6 != 0:
		sep("icmpv6")
	}
	if h&pDNS != 0 {
		sep("dns")
	}
	if h&pHTTP != 0 {
		sep("http")
		if h&pText != 0 {
			sep("data-text-lines")
		} else if h&pForm != 0 {
			sep("urlencoded-form")
		} else if h&pJSON != 0 {
			sep("json")
		} else if h&pMedia != 0 {
			sep("media")
		}
	}
	if h&pData != 0 {
		sep("data")
	}
	return b
}

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }

func mac48(b []byte) uint64 {
	if len(b) < 6 {
		return 0
	}
	return uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(b[2])<<24 | uint64(b[3])<<16 | uint64(b[4])<<8 | uint64(b[5])
}
