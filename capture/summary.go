package capture

import (
	"strconv"
	"strings"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Summary is a packet's columns in tshark's default one-line output.
type Summary struct {
	Source, Destination string
	Protocol            string
	Info                string
}

// Summary returns the packet's Source, Destination, Protocol and Info columns
// as tshark prints them by default (no name resolution, except "Broadcast" for
// ff:ff:ff:ff:ff:ff).
func (p *Packet) Summary() Summary {
	var s Summary
	h := p.has
	switch {
	case h&pIP != 0:
		s.Source = fmtIPv4(p.ip4.src)
		s.Destination = fmtIPv4(p.ip4.dst)
	case h&pIPv6 != 0:
		s.Source = fmtIPv6(p.ip6.src[:])
		s.Destination = fmtIPv6(p.ip6.dst[:])
	case h&pEth != 0:
		s.Source = fmtMAC(p.link.src)
		s.Destination = fmtMAC(p.link.dst)
	case h&pSLL != 0:
		s.Source = fmtMAC(p.link.src)
	}
	s.Protocol, s.Info = p.protoInfo()
	return s
}

func fmtIPv4(n uint32) string {
	return string(appendFormat(nil, &filter.Field{Type: filter.IPv4, ID: -1}, filter.Value{N: uint64(n)}))
}

func fmtIPv6(b []byte) string {
	return string(appendFormat(nil, &filter.Field{Type: filter.IPv6, ID: -1}, filter.Value{B: b}))
}

func fmtMAC(n uint64) string {
	if n == 0xffffffffffff {
		return "Broadcast"
	}
	return string(appendMAC(nil, n))
}

const reassembledNote = "[TCP segment of a reassembled PDU]"

func (p *Packet) protoInfo() (proto, info string) {
	h := p.has
	switch {
	case h&pHTTP != 0:
		if h&pHTTPCont != 0 && len(p.http.msgs) == 0 {
			return "HTTP", "Continuation"
		}
		var b strings.Builder
		for i := range p.http.msgs {
			m := &p.http.msgs[i]
			b.Write(m.line)
			b.WriteByte(' ')
			if m.body > 0 && len(m.ctype) > 0 {
				ct, _, _ := strings.Cut(string(m.ctype), ";")
				ct = strings.ToLower(strings.TrimSpace(ct))
				if ct == "application/json" {
					b.WriteString(", JavaScript Object Notation")
				}
				b.WriteString(" (" + ct + ")")
			}
		}
		if h&pJSON != 0 {
			return "HTTP/JSON", b.String()
		}
		return "HTTP", b.String()
	case h&pDNS != 0:
		return "DNS", p.dns.info()
	case h&pTCP != 0:
		info := p.tcpInfo()
		if h&pReasm != 0 {
			if p.http.first != nil {
				info = string(p.http.first) + " "
			}
			info += " " + reassembledNote
		}
		return "TCP", info
	case h&pUDP != 0:
		return "UDP", strconv.Itoa(int(p.udp.sport)) + " → " + strconv.Itoa(int(p.udp.dport)) + " Len=" + strconv.Itoa(max(0, int(p.udp.length)-8))
	case h&pICMP != 0:
		return "ICMP", p.icmpInfo()
	case h&pICMPv6 != 0:
		return "ICMPv6", p.icmp6Info()
	case h&pARP != 0:
		return "ARP", p.arpInfo()
	case h&pIP != 0:
		if h&pIPFrag != 0 {
			return "IPv4", "Fragmented IP protocol (proto=" + strconv.Itoa(int(p.ip4.proto)) + ", off=" + strconv.Itoa(int(p.ip4.frag)*8) + ", ID=" + strconv.FormatUint(uint64(p.ip4.id), 16) + ")"
		}
		return "IPv4", ""
	case h&pIPv6 != 0:
		return "IPv6", ""
	case h&(pEth|pSLL) != 0:
		return "0x" + string(appendHex(nil, uint64(p.link.typ), 4)), "Ethernet II"
	}
	return "", ""
}

var tcpFlagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"}

func (p *Packet) tcpInfo() string {
	t := &p.tcp
	b := make([]byte, 0, 128)
	if t.reused {
		b = append(b, "[TCP Port numbers reused] "...)
	}
	switch a := t.analysis; {
	case a&aLostSegment != 0:
		b = append(b, "[TCP Previous segment not captured] "...)
	case a&aSpurious != 0:
		b = append(b, "[TCP Spurious Retransmission] "...)
	case a&aRetransmission != 0:
		b = append(b, "[TCP Retransmission] "...)
	case a&aKeepAlive != 0:
		b = append(b, "[TCP Keep-Alive] "...)
	case a&aWindowUpdate != 0:
		b = append(b, "[TCP Window Update] "...)
	case a&aDupAck != 0:
		b = append(b, "[TCP Dup ACK "...)
		b = strconv.AppendInt(b, int64(t.dupOf), 10)
		b = append(b, '#')
		b = strconv.AppendInt(b, int64(t.dupN), 10)
		b = append(b, "] "...)
	}
	b = strconv.AppendUint(b, uint64(t.sport), 10)
	b = append(b, " → "...)
	b = strconv.AppendUint(b, uint64(t.dport), 10)
	b = append(b, " ["...)
	n := 0
	for i, name := range tcpFlagNames {
		if t.flags&(1<<i) != 0 {
			if n > 0 {
				b = append(b, ", "...)
			}
			b = append(b, name...)
			n++
		}
	}
	if n == 0 {
		b = append(b, "<None>"...)
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

var icmpTypeNames = map[uint8]string{0: "Echo (ping) reply", 3: "Destination unreachable", 4: "Source quench (flow control)", 5: "Redirect", 8: "Echo (ping) request", 9: "Router advertisement", 10: "Router solicitation", 11: "Time-to-live exceeded", 12: "Parameter problem", 13: "Timestamp request", 14: "Timestamp reply"}

var icmpUnreachNames = [...]string{"Network unreachable", "Host unreachable", "Protocol unreachable", "Port unreachable", "Fragmentation needed", "Source route failed", "Destination network unknown", "Destination host unknown", "Source host isolated", "Network administratively prohibited", "Host administratively prohibited", "Network unreachable for TOS", "Host unreachable for TOS", "Communication administratively filtered", "Host precedence violation", "Precedence cutoff in effect"}

func (p *Packet) icmpInfo() string {
	c := &p.icmp
	name, ok := icmpTypeNames[c.typ]
	if !ok {
		name = "Unknown ICMP (obsolete or malformed?)"
	}
	// Wireshark pads the type name to 20 columns ("%-20s").
	if n := len(name); n < 20 {
		name += strings.Repeat(" ", 20-n)
	}
	switch {
	case c.typ == 3 && int(c.code) < len(icmpUnreachNames):
		name += " (" + icmpUnreachNames[c.code] + ")"
	case c.typ == 11 && c.code == 0:
		name += " (Time to live exceeded in transit)"
	}
	if c.echo && (c.typ == 0 || c.typ == 8) {
		name += " id=0x" + string(appendHex(nil, uint64(c.id), 4)) + ", seq=" + strconv.Itoa(int(c.seq)) + "/" + strconv.Itoa(int(c.seq>>8|c.seq<<8)) + ", ttl=" + strconv.Itoa(int(p.ip4.ttl))
		if c.typ == 0 {
			if c.related > 0 {
				name += " (request in " + strconv.Itoa(c.related) + ")"
			} else {
				name += " (no response found!)"
			}
		}
	}
	return name
}

var icmp6TypeNames = map[uint8]string{1: "Destination Unreachable", 2: "Packet Too Big", 3: "Time Exceeded", 4: "Parameter Problem", 128: "Echo (ping) request", 129: "Echo (ping) reply", 133: "Router Solicitation", 134: "Router Advertisement", 135: "Neighbor Solicitation", 136: "Neighbor Advertisement", 137: "Redirect", 143: "Multicast Listener Report Message v2"}

func (p *Packet) icmp6Info() string {
	c := &p.icmp
	name, ok := icmp6TypeNames[c.typ]
	if !ok {
		name = "Unknown ICMPv6 type (" + strconv.Itoa(int(c.typ)) + ")"
	}
	switch c.typ {
	case 128, 129:
		if c.echo {
			name += " id=0x" + string(appendHex(nil, uint64(c.id), 4)) + ", seq=" + strconv.Itoa(int(c.seq)) + ", hop limit=" + strconv.Itoa(int(p.ip6.hlim))
			if c.typ == 129 {
				if c.related > 0 {
					name += " (request in " + strconv.Itoa(c.related) + ")"
				} else {
					name += " (no response found!)"
				}
			}
		}
	case 135:
		name += " for " + fmtIPv6(c.target[:])
	case 136:
		name += " " + fmtIPv6(c.target[:])
	}
	return name
}

func (p *Packet) arpInfo() string {
	a := &p.arp
	if !a.ipv4 {
		return "ARP opcode " + strconv.Itoa(int(a.op))
	}
	switch a.op {
	case 1:
		if a.srcIP == a.dstIP {
			return "ARP Announcement for " + fmtIPv4(a.srcIP)
		}
		if a.srcIP == 0 {
			return "Who has " + fmtIPv4(a.dstIP) + "? (ARP Probe)"
		}
		return "Who has " + fmtIPv4(a.dstIP) + "? Tell " + fmtIPv4(a.srcIP)
	case 2:
		return fmtIPv4(a.srcIP) + " is at " + string(appendMAC(nil, a.srcHW))
	}
	return "Unknown ARP opcode 0x" + string(appendHex(nil, uint64(a.op), 4))
}

// Line returns the packet in tshark's default one-line layout: number,
// relative time, source → destination, protocol, length, info, with tshark's
// column padding. Times have six decimals unless the Decoder was told the
// capture's resolution (Decoder.TimeDigits).
func (p *Packet) Line() string {
	s := p.Summary()
	b := make([]byte, 0, 128)
	num := strconv.Itoa(p.Number)
	b = padLeft(b, num, 5)
	b = append(b, ' ')
	digits := int(p.digits)
	if digits == 0 {
		digits = 6
	}
	b = padLeft(b, string(appendDuration(nil, p.Relative, digits)), 10)
	b = append(b, ' ')
	b = padLeft(b, s.Source, 12)
	b = append(b, " → "...)
	b = padRight(b, s.Destination, 12)
	b = append(b, ' ')
	b = append(b, s.Protocol...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(p.Len), 10)
	b = append(b, ' ')
	b = append(b, s.Info...)
	return string(b)
}

func padLeft(b []byte, s string, w int) []byte {
	for i := len([]rune(s)); i < w; i++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

func padRight(b []byte, s string, w int) []byte {
	b = append(b, s...)
	for i := len([]rune(s)); i < w; i++ {
		b = append(b, ' ')
	}
	return b
}
