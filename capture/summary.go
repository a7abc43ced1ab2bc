package capture

import (
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Summary is a packet's columns in tshark's default one-line output.
type Summary struct {
	Source, Destination string
	Protocol            string
	Info                string
}

// Summary returns the packet's Source, Destination, Protocol and Info columns
// as tshark -n prints them (no name resolution: ff:ff:ff:ff:ff:ff, not
// Broadcast; wirelab knows no vendors' names for the addresses' first half).
func (p *Packet) Summary() Summary {
	if q := p.inner(); q != nil && q.has&(pIP|pIPv6|pEth) != 0 {
		// A tunnel's packet: its addresses and columns.
		return q.Summary()
	}
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
	case h&pppProto.bit != 0 && p.ppp.pppoe == nil:
		// The PPP link types (9, 50): Wireshark's PPP in HDLC-like framing
		// names no direction.
		s.Source, s.Destination = "N/A", "N/A"
	case h&chdlcProto.bit != 0:
		s.Source, s.Destination = "N/A", "N/A" // a serial line's ends have no addresses
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

func fmtMAC(n uint64) string { return string(appendMAC(nil, n)) }

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
