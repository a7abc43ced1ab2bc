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
	Number   int           // frame number, from 1
	Time     time.Time     // capture time
	Relative time.Duration // since the first frame the decoder saw
	delta    time.Duration // since the frame before
	// deltaShown is since the latest frame shown (Decoder.Shown).
	deltaShown time.Duration
	Len        int // length on the wire
	CapLen     int // captured length (len(Data))
	LinkType   layers.LinkType
	// InterfaceName is the pcapng interface's name (if_name), "" when it has
	// none.
	InterfaceName string
	Interface     int // pcapng (or live) interface index; -1 for a pcap file
	Data          []byte
	Comments      []string
	Malformed     string // "" or why decoding stopped early

	has  uint64 // protocol bits (p*, and protocol.bit for the table's others)
	link linkInfo
	arp  arpInfo
	ip4  ip4Info
	ip6  ip6Info
	tcp  tcpInfo
	udp  udpInfo
	icmp icmpInfo // ICMP or ICMPv6
	ext  [4]uint8 // IPv6 extension headers, in order
	next uint8    // number of ext used
	dns  *dnsInfo
	sip  *sipMsg
	tftp *tftpInfo // a TFTP packet's transfer
	ftp  *ftpView  // an FTP control frame's working directory
	// ftpData is an FTP data connection's setup (ftpdata.go).
	ftpData *ftpDataConv
	snmp    *snmpInfo // an SNMP message as dissected
	http    httpInfo
	data    []byte // data.data: undecoded payload
	app     appInfo
	reasm   []byte // packet-owned copy of reassembled HTTP messages
	// tcpSegs are the segments of the message this frame completes, when it
	// began in earlier ones (tcp.segment), and tcpPDU its bytes.
	tcpSegs []tcpSegRef
	tcpPDU  []byte
	frag    *fragInfo // the IPv4 datagram this frame completed (ipreasm.go)
	// other names a protocol tshark dissects there and wirelab does not
	// (tshark_dissectors.go): frame.protocols ends with it, and its
	// payload is not data.
	other string
	// quote is the packet an ICMP error quotes (quote.go): its fields are
	// further occurrences of the frame's. Used when quote.has != 0.
	quote *Packet
	cut   uint8 // a quote's TCP or UDP header cut short: the bytes there are (quote.go)
	// tun is what a tunnel (GRE, VXLAN) carries; inTunnel marks the packet
	// it carried, decoded into the frame's quote (tunnel.go).
	tun      tunInfo
	inTunnel bool
	ppp      pppInfo  // PPP and PPPoE headers (ppp.go)
	mpls     mplsInfo // the MPLS label stack (mpls.go)
	digits   uint8    // decimals of the time column in Line
}

// Protocol bits.
const (
	pEth uint64 = 1 << iota
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
	pXML   // HTTP body shown as xml
	pReasm // TCP segment of a reassembled PDU
	pIPFrag
	pHTTPCont // HTTP continuation data
)

// appInfo is what a table protocol without state of its own in Packet keeps:
// the payload it took (its fields parse it when asked), whether it was sent to
// the protocol's port (a request), and a byte of the direction's state as the
// decoder saw it and as it left it.
type appInfo struct {
	payload []byte
	req     bool
	state   uint8 // the direction's state before this segment
	after   uint8 // and after it
}

type linkInfo struct {
	src, dst   uint64
	typ        uint16     // eth.type or sll.etype (eth.len when is8023)
	is8023     bool       // an 802.3 frame: typ is a length
	tags       [2]vlanTag // 802.1Q (vlan) and 802.1ad (ieee8021ad) tags, outer first
	ntags      uint8
	sllPktType uint16
	sllHWType  uint16 // the Linux ARPHRD_ type of a cooked capture's device
}

type vlanTag struct{ tpid, tci, typ uint16 }

type arpInfo struct {
	op             uint16
	srcHW, dstHW   uint64
	srcIP, dstIP   uint32
	hwLen, protLen uint8
	ipv4           bool // hardware Ethernet, protocol IPv4
	// Wireshark's marks, from the raw addresses: a request or reply whose
	// sender and target protocol addresses are equal is gratuitous; a
	// gratuitous request to the zero MAC is an announcement, a request from
	// 0.0.0.0 to the zero MAC a probe.
	gratuitous, announcement, probe bool
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
	frag     ip6Frag // the fragment header, when the packet has one
}

// ip6Frag is an IPv6 fragment header.
type ip6Frag struct {
	nxt  uint8
	off  uint16 // in 8-byte units
	more bool
	id   uint32
}

type tcpInfo struct {
	sport, dport     uint16
	stream           uint32
	delta, rel       time.Duration // since the stream's previous and first frame
	seqRaw, ackRaw   uint32
	seq, ack, nxtseq uint32
	length           uint32
	hdrLen           uint8
	flags            uint16
	win              uint16
	winScaled        uint32
	scale            int8 // the window scale this segment's window has: -1 unknown, -2 none, else the shift
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
	quoted           bool // quoted in an ICMP error (quote.go)
	// analysis holds the a* flags of sequence analysis, ta the rest of what
	// it recorded (tcpanalysis.go).
	analysis uint16
	ta       taInfo
}

type udpInfo struct {
	sport, dport uint16
	length       uint16
	checksum     uint16
	stream       uint32
	payload      []byte
	delta, rel   time.Duration // since the conversation's previous and first datagram
	quoted       bool          // quoted in an ICMP error: no times
}

type icmpInfo struct {
	typ, code uint8
	checksum  uint16
	id, seq   uint16
	echo      bool
	// The message as captured (from its type), the ICMPv6 checksum's
	// pseudo-header sum (addresses), whether the message is whole (not cut
	// short) and whether it is quoted in an error.
	msg           []byte
	pseudo        uint32
	whole, quoted bool
	related       int           // for echo: the frame number of the matching request (for replies)
	respTime      time.Duration // for a reply with a request: the time since it
}

func (p *Packet) reset() {
	data, reasm, msgs, quote, segs := p.Data[:0], p.reasm[:0], p.http.msgs[:0], p.quote, p.tcpSegs[:0]
	*p = Packet{}
	p.Data, p.reasm, p.http.msgs, p.quote, p.tcpSegs = data, reasm, msgs, quote, segs
	if quote != nil {
		quote.has = 0
	}
	p.icmp.related, p.icmp.respTime = 0, 0
	p.tcp.wscale = -1
}

// RawFrame returns the frame as captured, its link type and its length on the
// wire (filter.Raw): capture filters test these bytes as tcpdump does.
func (p *Packet) RawFrame() ([]byte, int, int) { return p.Data, int(p.LinkType), p.Len }

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
	switch f.Name {
	case "frame.time_epoch":
		return appendSecNano(b, p.Time.Unix(), int64(p.Time.Nanosecond()), 9)
	case "frame.time_relative":
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

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }

func mac48(b []byte) uint64 {
	if len(b) < 6 {
		return 0
	}
	return uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(b[2])<<24 | uint64(b[3])<<16 | uint64(b[4])<<8 | uint64(b[5])
}
