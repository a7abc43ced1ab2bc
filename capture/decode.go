package capture

import (
	"fmt"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Decoder turns frames into Packets. It is stateful: it numbers frames, measures
// time from the first frame, tracks TCP and UDP conversations (tcp.stream,
// relative sequence numbers, window scaling), reassembles IPv4 datagrams from
// their fragments (ipreasm.go) and HTTP messages split over several segments.
// Feed it every frame of a capture in order. A Decoder is not safe for
// concurrent use.
//
// Memory is bounded: an HTTP message under reassembly holds at most
// MaxReassembly bytes, all of them together at most 64 MiB; IPv4 fragments
// waiting for the rest of their datagram at most 16 MiB; past 65,536 TCP
// conversations the decoder forgets the closed ones (and all of them if most
// are open), past 262,144 UDP conversations all UDP ones: later packets of a
// forgotten conversation start a new stream. 500,000 connections take about
// 21 MiB.
//
// Decoding never panics: a frame that cannot be decoded to the end is decoded
// as far as it goes and Packet.Malformed says why.
type Decoder struct {
	// MaxReassembly bounds the bytes buffered for one HTTP message (default 1 MiB).
	// A message that does not complete within it is reported on the segment that
	// crossed the bound, as far as it was parsed.
	MaxReassembly int

	// TimeDigits is the number of decimals Line prints in the time column: tshark
	// follows the capture's timestamp resolution, 6 for microsecond pcap and
	// pcapng, 9 for nanosecond files. 0 means 6.
	TimeDigits int

	n        int
	first    time.Time
	hasFirst bool
	prev     time.Time // the previous frame's time (frame.time_delta)
	// shownAt is the time of the latest frame shown (Shown), for
	// frame.time_delta_displayed; shownAny once there is one.
	shownAt  time.Time
	shownAny bool
	// TrackShown says the caller tells which frames it shows (Shown), as
	// tshark's displayed frames, the ones its filter passed; otherwise each
	// frame counts as shown and frame.time_delta_displayed is
	// frame.time_delta.
	TrackShown bool

	eth   layers.Ethernet
	dot1q layers.Dot1Q
	sll   layers.LinuxSLL
	sll2  layers.LinuxSLL2
	lo    layers.Loopback
	ip4   layers.IPv4
	ip6   layers.IPv6
	ext   layers.IPv6ExtensionSkipper
	arp   layers.ARP
	tcp   layers.TCP
	udp   layers.UDP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6

	parsers [numFirst]*gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
	seg     segment // the payload being dispatched (kept here: no allocation)

	// quoter decodes the headers ICMP errors quote (quote.go); quoted marks
	// the quoter itself.
	quoter *Decoder
	quoted bool
	// routeDst is the final destination of the frame's routing header
	// (ipv6.go), for ICMPv6's checksum.
	routeDst []byte

	// HeadersOnly decodes the link, network and transport headers of each
	// frame and no more: no TCP conversations (tcp.stream, relative sequence
	// numbers, analysis) and nothing TCP carries. Five times faster, for a
	// filter HeadersSuffice accepts (headers.go); UDP, ICMP, tunnels and IP
	// reassembly are decoded as always.
	HeadersOnly bool

	frags fragments // IPv4 datagrams under reassembly (ipreasm.go)

	streams
}

const (
	firstEthernet = iota
	firstSLL
	firstSLL2
	firstLoopback
	firstIPv4
	firstIPv6
	// a reassembled IPv4 datagram's transport (ipreasm.go)
	firstTCP
	firstUDP
	firstICMPv4
	firstICMPv6
	numFirst
)

// NewDecoder returns a Decoder at the start of a capture.
func NewDecoder() *Decoder {
	d := &Decoder{MaxReassembly: 1 << 20, decoded: make([]gopacket.LayerType, 0, 16)}
	firsts := [numFirst]gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeLinuxSLL, layers.LayerTypeLinuxSLL2, layers.LayerTypeLoopback, layers.LayerTypeIPv4, layers.LayerTypeIPv6,
		layers.LayerTypeTCP, layers.LayerTypeUDP, layers.LayerTypeICMPv4, layers.LayerTypeICMPv6}
	for i, lt := range firsts {
		p := gopacket.NewDecodingLayerParser(lt)
		p.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
		for _, l := range []gopacket.DecodingLayer{&d.eth, &d.dot1q, &d.sll, &d.sll2, &d.lo, &d.ip4, &d.ip6, &d.ext, &d.arp, &d.tcp, &d.udp, &d.icmp4, &d.icmp6} {
			p.AddDecodingLayer(l)
		}
		p.IgnoreUnsupported = true
		d.parsers[i] = p
	}
	d.streams.init()
	return d
}

// Decode decodes fr into a new Packet that owns a copy of fr.Data.
func (d *Decoder) Decode(fr Frame) *Packet {
	p := new(Packet)
	d.DecodeInto(fr, p)
	return p
}

// Shown records that p, the frame just decoded, is shown (it passed the
// caller's filter): the next frames' frame.time_delta_displayed counts from
// it. Only with TrackShown.
func (d *Decoder) Shown(p *Packet) { d.shownAt, d.shownAny = p.Time, true }

// DecodeInto decodes fr into p, reusing p's buffers: the streaming path that
// decodes every frame into one Packet allocates nothing per packet for the link,
// network and transport layers. p's previous contents are overwritten, so values
// taken from p before (slices included) are invalid afterwards.
func (d *Decoder) DecodeInto(fr Frame, p *Packet) {
	p.reset()
	d.n++
	p.Number = d.n
	p.Time = fr.Info.Timestamp
	if !d.hasFirst {
		d.first, d.hasFirst = p.Time, true
	}
	p.Relative = p.Time.Sub(d.first)
	if d.n > 1 {
		p.delta = p.Time.Sub(d.prev)
	}
	d.prev = p.Time
	if d.shownAny {
		p.deltaShown = p.Time.Sub(d.shownAt)
	}
	if !d.TrackShown {
		d.shownAt, d.shownAny = p.Time, true
	}
	p.Data = append(p.Data, fr.Data...)
	p.CapLen = len(p.Data)
	p.Len = fr.Info.Length
	if p.Len < p.CapLen {
		p.Len = p.CapLen
	}
	p.LinkType = fr.LinkType
	p.Interface = fr.Info.InterfaceIndex
	if !fr.HasInterface {
		p.Interface = -1
	}
	p.InterfaceName = fr.Interface
	if len(fr.Comments) > 0 {
		p.Comments = append(p.Comments[:0], fr.Comments...) // the source reuses its slice
	}
	p.digits = uint8(min(max(d.TimeDigits, 0), 9))
	defer func() {
		if r := recover(); r != nil {
			p.Malformed = fmt.Sprintf("decoder failure: %v", r)
		}
	}()
	d.decode(p)
	if p.tun.data != nil {
		d.decodeInner(p)
	}
}

func (d *Decoder) decode(p *Packet) {
	data := p.Data
	first := -1
	switch p.LinkType {
	case layers.LinkTypeEthernet:
		first = firstEthernet
	case layers.LinkTypeLinuxSLL:
		first = firstSLL
	case layers.LinkTypeLinuxSLL2:
		first = firstSLL2
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		first = firstLoopback
	case layers.LinkTypeIPv4:
		first = firstIPv4
	case layers.LinkTypeIPv6:
		first = firstIPv6
	case layers.LinkTypePPP, layers.LinkTypePPP_HDLC:
		d.decodePPP(p, data, true)
		return
	case layers.LinkTypePPPEthernet:
		p.has |= pppoesProto.bit
		d.decodePPPoES(p, data)
		return
	case layers.LinkTypeC_HDLC:
		d.decodeCHDLC(p)
		return
	case layers.LinkTypeRaw, 12, 14:
		if len(data) == 0 {
			p.Malformed = "empty raw IP frame"
			return
		}
		p.has |= pRaw
		switch data[0] >> 4 {
		case 4:
			first = firstIPv4
		case 6:
			first = firstIPv6
		default:
			p.Malformed = "raw IP frame of unknown IP version"
			return
		}
	default:
		if len(data) > 0 {
			p.has |= pData
			p.data = data
		}
		return
	}
	d.decodeFrom(p, data, first)
}

// decodeFrom decodes data from the layer first on: its layers (an MPLS label
// stack first for firstMPLS; one after the link layer when its type says
// so), then what the transport layer carries (the frame's, or a tunnel's
// inner packet's).
func (d *Decoder) decodeFrom(p *Packet, data []byte, first int) {
	if first == firstMPLS {
		if data, first = p.mplsStack(data); first < 0 {
			if len(data) > 0 {
				p.has |= pData
				p.data = data
			}
			return
		}
	}
	rest, err := d.fillLayers(p, data, first)
	if err == nil && len(rest) > 0 && p.mplsOnLink() {
		rest, err = d.fillMPLS(p, rest)
	}
	if p.has&pIPFrag != 0 && err == nil && !d.quoted && !p.inTunnel && (p.has&pIP != 0) != (p.has&pIPv6 != 0) {
		// A fragment: data, unless it completes its datagram.
		defrag := d.defragment
		if p.has&pIPv6 != 0 {
			defrag = d.defragment6
		}
		if dg := defrag(p, rest); dg != nil {
			rest, err = d.decodeDatagram(p, dg)
		} else if len(rest) > 0 {
			p.has |= pData
			p.data = rest
			return
		}
	}
	switch {
	case p.has&pTCP != 0:
		if !d.HeadersOnly && (err == nil || len(p.tcp.payload) > 0) {
			d.trackTCP(p)
		}
	case p.has&pUDP != 0:
		d.trackUDP(p)
	case p.has&(pICMP|pICMPv6) != 0:
		d.trackICMP(p)
	case p.has&pARP != 0:
	default:
		switch {
		case err != nil || len(rest) == 0:
		case p.has&(pIP|pIPv6) != 0:
			if (p.has&pIPFrag == 0 || p.frag != nil) && !d.dispatchIP(p, rest) {
				switch {
				case d.quoted:
				case p.has&pIP != 0 && p.has&pIPv6 == 0:
					p.setOther(tsharkIPProtos[p.ip4.proto])
				case p.has&pIPv6 != 0 && p.has&pIP == 0 && p.next == 0:
					p.setOther(tsharkIPProtos[p.ip6.nxt])
				}
				if p.other == "" {
					p.has |= pData
					p.data = rest
				}
			}
		case p.has&pEth != 0 && p.link.is8023:
			d.decodeLLC(p, rest)
		case p.has&pVLAN != 0 && p.link.ntags > 0 && p.link.tags[p.link.ntags-1].typ < 0x0600:
			// A tag whose type field is a length: LLC follows, as many bytes.
			n := int(p.link.tags[p.link.ntags-1].typ)
			d.decodeLLC(p, rest[:min(n, len(rest))])
		case p.has&(pEth|pSLL) != 0 && d.dispatchEther(p, rest):
		case p.has&(pEth|pSLL) != 0 && p.link.typ >= 0x0600:
			// An EtherType nothing here decodes: tshark's protocol, or data.
			if !p.setOther(tsharkEtherTypes[p.link.typ]) && !knownEtherType(p.link.typ) {
				p.has |= pData
				p.data = rest
			}
		}
	}
}

// fillLayers decodes data from the layer first on and fills p with every layer
// gopacket decoded; it returns the payload no layer decoded.
func (d *Decoder) fillLayers(p *Packet, data []byte, first int) (rest []byte, err error) {
	parser := d.parsers[first]
	err = parser.DecodeLayers(data, &d.decoded)
	if err != nil {
		p.Malformed = lowerFirst(err.Error())
	} else if parser.Truncated {
		p.Malformed = "truncated"
	}
	// Each layer gopacket decoded is filled in by its protocol's file.
	for _, lt := range d.decoded {
		switch lt {
		case layers.LayerTypeEthernet:
			rest = d.fillEthernet(p)
		case layers.LayerTypeDot1Q:
			rest = d.fillDot1Q(p, data)
		case layers.LayerTypeLinuxSLL, layers.LayerTypeLinuxSLL2:
			rest = d.fillSLL(p, lt)
		case layers.LayerTypeLoopback:
			p.has |= pNull
			rest = d.lo.Payload
		case layers.LayerTypeARP:
			d.fillARP(p)
			rest = nil
		case layers.LayerTypeIPv4:
			rest = d.fillIPv4(p)
		case layers.LayerTypeIPv6:
			rest = d.fillIPv6(p)
		case layers.LayerTypeIPv6HopByHop, layers.LayerTypeIPv6Routing, layers.LayerTypeIPv6Destination, layers.LayerTypeIPv6Fragment:
			rest = d.fillIPv6Ext(p, lt)
		case layers.LayerTypeTCP:
			if d.fragmentOnly(p) {
				continue
			}
			d.fillTCP(p)
			rest = nil
		case layers.LayerTypeUDP:
			if d.fragmentOnly(p) {
				continue
			}
			d.fillUDP(p)
			rest = nil
		case layers.LayerTypeICMPv4:
			d.fillICMP(p)
			rest = nil
		case layers.LayerTypeICMPv6:
			if d.fragmentOnly(p) {
				continue
			}
			d.fillICMPv6(p)
			rest = nil
		}
	}
	return rest, err
}

// fragmentOnly reports whether p is a fragment whose transport header is
// not to be read from it: an IPv4 fragment past the first (gopacket stops
// at a first one), an IPv6 one past the first, and where the decoder
// reassembles (not in an ICMP quote, not in a tunnel), every IPv6 fragment:
// what follows the fragment header is data until the datagram is whole.
func (d *Decoder) fragmentOnly(p *Packet) bool {
	switch {
	case p.has&pIPFrag == 0 || p.frag != nil:
		return false
	case p.has&pIPv6 != 0 && p.has&pIP == 0:
		return p.ip6.frag.off != 0 || !d.quoted && !p.inTunnel
	}
	return p.has&pIP != 0 && p.ip4.frag != 0
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'A' && c <= 'Z' && (len(s) < 2 || !(s[1] >= 'A' && s[1] <= 'Z')) {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// knownEtherType reports EtherTypes Wireshark has a dissector for, so that their
// payload is not called data (wirelab decodes only some of them).
func knownEtherType(t uint16) bool {
	switch t {
	case 0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8, 0x9100, 0x8035, 0x809b, 0x80f3, 0x8137, 0x8808, 0x8809,
		0x8847, 0x8848, 0x8863, 0x8864, 0x888e, 0x88cc, 0x88e5, 0x88f7, 0x8902, 0x22f0, 0x893a,
		0x6003, 0x6004, 0x88e7, 0x8906, 0x8914, 0x22ea, 0x88ba, 0x88b8, 0x88bf, 0x8915:
		return true
	}
	return false
}
