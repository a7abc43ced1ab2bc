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
// relative sequence numbers, window scaling) and reassembles HTTP messages split
// over several segments. Feed it every frame of a capture in order. A Decoder is
// not safe for concurrent use.
//
// Memory is bounded: an HTTP message under reassembly holds at most
// MaxReassembly bytes, all of them together at most 64 MiB, and a capture with
// more than 262,144 TCP (or UDP) conversations makes the decoder forget the old
// ones wholesale (later packets of a forgotten conversation start a new stream).
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

	streams
}

const (
	firstEthernet = iota
	firstSLL
	firstSLL2
	firstLoopback
	firstIPv4
	firstIPv6
	numFirst
)

// NewDecoder returns a Decoder at the start of a capture.
func NewDecoder() *Decoder {
	d := &Decoder{MaxReassembly: 1 << 20, decoded: make([]gopacket.LayerType, 0, 16)}
	firsts := [numFirst]gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeLinuxSLL, layers.LayerTypeLinuxSLL2, layers.LayerTypeLoopback, layers.LayerTypeIPv4, layers.LayerTypeIPv6}
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
	p.Data = append(p.Data, fr.Data...)
	p.CapLen = len(p.Data)
	p.Len = fr.Info.Length
	if p.Len < p.CapLen {
		p.Len = p.CapLen
	}
	p.LinkType = fr.LinkType
	p.Interface = fr.Info.InterfaceIndex
	p.digits = uint8(min(max(d.TimeDigits, 0), 9))
	defer func() {
		if r := recover(); r != nil {
			p.Malformed = fmt.Sprintf("decoder failure: %v", r)
		}
	}()
	d.decode(p)
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
	parser := d.parsers[first]
	err := parser.DecodeLayers(data, &d.decoded)
	if err != nil {
		p.Malformed = lowerFirst(err.Error())
	} else if parser.Truncated {
		p.Malformed = "truncated"
	}
	var rest []byte // payload not decoded by any layer
	for _, lt := range d.decoded {
		switch lt {
		case layers.LayerTypeEthernet:
			p.has |= pEth
			p.link.src = mac48(d.eth.SrcMAC)
			p.link.dst = mac48(d.eth.DstMAC)
			p.link.typ = uint16(d.eth.EthernetType)
			if d.eth.Length != 0 { // 802.3 length field, not an EtherType
				p.link.typ = d.eth.Length
			}
			rest = d.eth.Payload
		case layers.LayerTypeDot1Q:
			// One Dot1Q layer struct serves every tag, so the tags are read
			// from the frame itself (QinQ has two).
			if p.has&pVLAN == 0 && p.has&pEth != 0 {
				p.has |= pVLAN
				off := 12
				for p.link.ntags < 2 && off+6 <= len(data) {
					tpid := be16(data[off:])
					if tpid != 0x8100 && tpid != 0x88a8 && tpid != 0x9100 {
						break
					}
					p.link.tags[p.link.ntags] = vlanTag{tpid, be16(data[off+2:]), be16(data[off+4:])}
					p.link.ntags++
					off += 4
				}
			}
			rest = d.dot1q.Payload
		case layers.LayerTypeLinuxSLL:
			p.has |= pSLL
			p.link.sllPktType = uint16(d.sll.PacketType)
			p.link.typ = uint16(d.sll.EthernetType)
			p.link.src = mac48(d.sll.Addr)
			rest = d.sll.Payload
		case layers.LayerTypeLinuxSLL2:
			p.has |= pSLL
			p.link.sllPktType = uint16(d.sll2.PacketType)
			p.link.typ = uint16(d.sll2.ProtocolType)
			p.link.src = mac48(d.sll2.Addr)
			rest = d.sll2.Payload
		case layers.LayerTypeLoopback:
			p.has |= pNull
			rest = d.lo.Payload
		case layers.LayerTypeARP:
			p.has |= pARP
			a := &d.arp
			p.arp.op = a.Operation
			p.arp.hwLen, p.arp.protLen = a.HwAddressSize, a.ProtAddressSize
			if a.HwAddressSize == 6 && a.ProtAddressSize == 4 && len(a.SourceProtAddress) == 4 && len(a.DstProtAddress) == 4 {
				p.arp.ipv4 = true
				p.arp.srcHW = mac48(a.SourceHwAddress)
				p.arp.dstHW = mac48(a.DstHwAddress)
				p.arp.srcIP = be32(a.SourceProtAddress)
				p.arp.dstIP = be32(a.DstProtAddress)
			}
			rest = nil
		case layers.LayerTypeIPv4:
			if p.has&(pIP|pIPv6) != 0 {
				// Tunnelled IP: keep the outer header's fields.
				rest = d.ip4.Payload
				continue
			}
			p.has |= pIP
			ip := &d.ip4
			p.ip4 = ip4Info{src: be32(ip.SrcIP), dst: be32(ip.DstIP), hdrLen: ip.IHL * 4, tos: ip.TOS, length: ip.Length,
				id: ip.Id, flags: uint8(ip.Flags), frag: ip.FragOffset, ttl: ip.TTL, proto: uint8(ip.Protocol), checksum: ip.Checksum}
			if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
				p.has |= pIPFrag
			}
			rest = ip.Payload
		case layers.LayerTypeIPv6:
			if p.has&(pIP|pIPv6) != 0 {
				rest = d.ip6.Payload
				continue
			}
			p.has |= pIPv6
			ip := &d.ip6
			p.ip6 = ip6Info{tclass: ip.TrafficClass, flow: ip.FlowLabel, plen: ip.Length, nxt: uint8(ip.NextHeader), hlim: ip.HopLimit}
			copy(p.ip6.src[:], ip.SrcIP)
			copy(p.ip6.dst[:], ip.DstIP)
			if ip.HopByHop != nil { // gopacket decodes hop-by-hop options with the fixed header
				p.ext[0], p.next = 0, 1
			}
			rest = ip.Payload
		case layers.LayerTypeIPv6HopByHop, layers.LayerTypeIPv6Routing, layers.LayerTypeIPv6Destination, layers.LayerTypeIPv6Fragment:
			if int(p.next) < len(p.ext) {
				var t uint8
				switch lt {
				case layers.LayerTypeIPv6Routing:
					t = 43
				case layers.LayerTypeIPv6Fragment:
					t = 44
					p.has |= pIPFrag
				case layers.LayerTypeIPv6Destination:
					t = 60
				}
				p.ext[p.next] = t
				p.next++
			}
			rest = d.ext.Payload
		case layers.LayerTypeTCP:
			if p.has&pIPFrag != 0 && (p.has&pIP != 0 && p.ip4.frag != 0) {
				continue
			}
			p.has |= pTCP
			d.fillTCP(p)
			rest = nil
		case layers.LayerTypeUDP:
			if p.has&pIP != 0 && p.ip4.frag != 0 {
				continue
			}
			p.has |= pUDP
			x := &d.udp
			p.udp = udpInfo{sport: uint16(x.SrcPort), dport: uint16(x.DstPort), length: x.Length, checksum: x.Checksum, payload: x.Payload}
			rest = nil
		case layers.LayerTypeICMPv4:
			p.has |= pICMP
			x := &d.icmp4
			p.icmp.typ, p.icmp.code, p.icmp.checksum = x.TypeCode.Type(), x.TypeCode.Code(), x.Checksum
			switch p.icmp.typ {
			case 0, 8, 13, 14, 15, 16:
				p.icmp.echo, p.icmp.id, p.icmp.seq = true, x.Id, x.Seq
			}
			if len(x.Payload) > 0 && (p.icmp.typ == 0 || p.icmp.typ == 8) {
				p.has |= pData
				p.data = x.Payload
			}
			rest = nil
		case layers.LayerTypeICMPv6:
			p.has |= pICMPv6
			x := &d.icmp6
			p.icmp.typ, p.icmp.code, p.icmp.checksum = x.TypeCode.Type(), x.TypeCode.Code(), x.Checksum
			pl := x.Payload
			switch p.icmp.typ {
			case 128, 129:
				if len(pl) >= 4 {
					p.icmp.echo, p.icmp.id, p.icmp.seq = true, be16(pl), be16(pl[2:])
					if len(pl) > 4 {
						p.has |= pData
						p.data = pl[4:]
					}
				}
			case 135, 136:
				if len(pl) >= 20 {
					copy(p.icmp.target[:], pl[4:20])
				}
			}
			rest = nil
		}
	}
	switch {
	case p.has&pTCP != 0:
		if err == nil || len(p.tcp.payload) > 0 {
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
			if p.has&pIPFrag == 0 {
				p.has |= pData
				p.data = rest
			}
		case p.has&(pEth|pSLL) != 0 && p.link.typ >= 0x0600 && !knownEtherType(p.link.typ):
			// An EtherType nothing here decodes: Wireshark shows it as data.
			p.has |= pData
			p.data = rest
		}
	}
}

func (d *Decoder) fillTCP(p *Packet) {
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
	// tcp.len counts what the IP header says was sent, not what was captured.
	if p.has&pIP != 0 {
		if n := int(p.ip4.length) - int(p.ip4.hdrLen) - int(t.hdrLen); n >= 0 {
			t.length = uint32(n)
		}
	} else if p.has&pIPv6 != 0 && p.next == 0 {
		if n := int(p.ip6.plen) - int(t.hdrLen); n >= 0 {
			t.length = uint32(n)
		}
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
