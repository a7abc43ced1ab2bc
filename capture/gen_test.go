package capture

import (
	"encoding/binary"
	"flag"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// The synthetic captures under testdata/synthetic are built by this file with
// gopacket (go test -run TestGenerate -gen), then read by tshark once to record
// the expected answers (testdata/synthetic/*.tshark*.txt, written by
// testdata/synthetic/tshark.sh, which names the tshark version in VERSION).
// Tests never run tshark.

var genFlag = flag.Bool("gen", false, "rewrite the synthetic captures in testdata/synthetic")

var (
	macA  = net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0a}
	macB  = net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0b}
	bcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	ipA   = net.IP{10, 0, 0, 10}
	ipB   = net.IP{10, 0, 0, 80}
	ip6A  = net.ParseIP("2001:db8::10")
	ip6B  = net.ParseIP("2001:db8::80")
	t0    = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
)

type genFrame struct {
	data []byte
	lt   layers.LinkType
}

func ser(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	for _, l := range ls {
		switch x := l.(type) {
		case *layers.TCP:
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					x.SetNetworkLayerForChecksum(nl)
				}
			}
		case *layers.UDP:
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					x.SetNetworkLayerForChecksum(nl)
				}
			}
		case *layers.ICMPv6:
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					x.SetNetworkLayerForChecksum(nl)
				}
			}
		}
	}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(typ layers.EthernetType, src, dst net.HardwareAddr) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: typ}
}

func ip4(src, dst net.IP, proto layers.IPProtocol, id uint16) *layers.IPv4 {
	return &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: src, DstIP: dst, Id: id, Flags: layers.IPv4DontFragment}
}

func ip6(src, dst net.IP, nxt layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: nxt, SrcIP: src, DstIP: dst}
}

// tcpSeg is one TCP segment of a scripted conversation.
type tcpSeg struct {
	fromA    bool
	flags    string // letters: S A F R P
	seq, ack uint32
	payload  string
	opts     []layers.TCPOption
}

func tcpLayer(sp, dp uint16, s tcpSeg) *layers.TCP {
	t := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: s.seq, Ack: s.ack, Window: 502, Options: s.opts}
	for _, c := range s.flags {
		switch c {
		case 'S':
			t.SYN = true
		case 'A':
			t.ACK = true
		case 'F':
			t.FIN = true
		case 'R':
			t.RST = true
		case 'P':
			t.PSH = true
		}
	}
	return t
}

var synOpts = []layers.TCPOption{
	{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0xb4}},
	{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2},
	{OptionType: layers.TCPOptionKindNop},
	{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
}

// tcpConv renders a TCP conversation between ipA:pa and ipB:pb over Ethernet
// (or IPv6 with v6), with sequence numbers relative to isnA / isnB.
func tcpConv(t testing.TB, pa, pb uint16, isnA, isnB uint32, v6 bool, segs []tcpSeg) []genFrame {
	var out []genFrame
	id := uint16(100)
	for _, s := range segs {
		sp, dp := pa, pb
		sm, dm := macA, macB
		si, di := ipA, ipB
		s6, d6 := ip6A, ip6B
		if s.fromA {
			s.seq += isnA
			s.ack += isnB
		} else {
			sp, dp, sm, dm, si, di, s6, d6 = pb, pa, macB, macA, ipB, ipA, ip6B, ip6A
			s.seq += isnB
			s.ack += isnA
		}
		if s.flags == "R" {
			s.ack = 0
		}
		tl := tcpLayer(sp, dp, s)
		var data []byte
		if v6 {
			data = ser(t, eth(layers.EthernetTypeIPv6, sm, dm), ip6(s6, d6, layers.IPProtocolTCP), tl, gopacket.Payload(s.payload))
		} else {
			data = ser(t, eth(layers.EthernetTypeIPv4, sm, dm), ip4(si, di, layers.IPProtocolTCP, id), tl, gopacket.Payload(s.payload))
		}
		id++
		out = append(out, genFrame{data, layers.LinkTypeEthernet})
	}
	return out
}

func writePcap(t testing.TB, path string, lt layers.LinkType, frames []genFrame) {
	t.Helper()
	writePcapAt(t, path, lt, frames, nil)
}

// writePcapAt writes frames at the given times after the first (a frame past
// the end of at: 1.5 ms after the one before).
func writePcapAt(t testing.TB, path string, lt layers.LinkType, frames []genFrame, at []time.Duration) {
	t.Helper()
	// A classic microsecond pcap, little-endian, written by hand.
	b := make([]byte, 24, 4096)
	binary.LittleEndian.PutUint32(b[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(b[4:], 2)
	binary.LittleEndian.PutUint16(b[6:], 4)
	binary.LittleEndian.PutUint32(b[16:], 65535)
	binary.LittleEndian.PutUint32(b[20:], uint32(lt))
	ts := t0
	for i, fr := range frames {
		switch {
		case i < len(at):
			ts = t0.Add(at[i])
		case i > 0:
			ts = ts.Add(1500 * time.Microsecond)
		}
		var rec [16]byte
		binary.LittleEndian.PutUint32(rec[0:], uint32(ts.Unix()))
		binary.LittleEndian.PutUint32(rec[4:], uint32(ts.Nanosecond()/1000))
		binary.LittleEndian.PutUint32(rec[8:], uint32(len(fr.data)))
		binary.LittleEndian.PutUint32(rec[12:], uint32(len(fr.data)))
		b = append(append(b, rec[:]...), fr.data...)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// withLink re-encapsulates Ethernet frames' payloads for another link type.
func withLink(t testing.TB, lt layers.LinkType, frames []genFrame) []genFrame {
	out := make([]genFrame, len(frames))
	for i, fr := range frames {
		et := binary.BigEndian.Uint16(fr.data[12:14])
		pl := fr.data[14:]
		var hdr []byte
		switch lt {
		case layers.LinkTypeLinuxSLL:
			hdr = make([]byte, 16)
			binary.BigEndian.PutUint16(hdr[0:], 4) // sent by us
			binary.BigEndian.PutUint16(hdr[2:], 1) // ARPHRD_ETHER
			binary.BigEndian.PutUint16(hdr[4:], 6)
			copy(hdr[6:], fr.data[6:12])
			binary.BigEndian.PutUint16(hdr[14:], et)
		case layers.LinkTypeLinuxSLL2:
			hdr = make([]byte, 20)
			binary.BigEndian.PutUint16(hdr[0:], et)
			binary.BigEndian.PutUint32(hdr[4:], 2) // ifindex
			binary.BigEndian.PutUint16(hdr[8:], 1)
			hdr[10] = 0 // to us
			hdr[11] = 6
			copy(hdr[12:], fr.data[6:12])
		case layers.LinkTypeNull:
			hdr = make([]byte, 4)
			fam := uint32(2)
			if et == 0x86dd {
				fam = 30
			}
			binary.LittleEndian.PutUint32(hdr, fam)
		case layers.LinkTypeLoop:
			hdr = make([]byte, 4)
			fam := uint32(2)
			if et == 0x86dd {
				fam = 24
			}
			binary.BigEndian.PutUint32(hdr, fam)
		case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6:
		}
		out[i] = genFrame{append(hdr, pl...), lt}
	}
	return out
}

func dnsMsg(t testing.TB, id uint16, resp bool, rcode layers.DNSResponseCode, name string, qt layers.DNSType, answers ...layers.DNSResourceRecord) *layers.DNS {
	d := &layers.DNS{ID: id, QR: resp, RD: true, RA: resp, ResponseCode: rcode,
		Questions: []layers.DNSQuestion{{Name: []byte(name), Type: qt, Class: layers.DNSClassIN}}, Answers: answers}
	return d
}

func udpFrame(t testing.TB, fromA bool, sp, dp uint16, pl ...gopacket.SerializableLayer) genFrame {
	sm, dm, si, di := macA, macB, ipA, ipB
	if !fromA {
		sm, dm, si, di = macB, macA, ipB, ipA
	}
	ls := []gopacket.SerializableLayer{eth(layers.EthernetTypeIPv4, sm, dm), ip4(si, di, layers.IPProtocolUDP, 7), &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}}
	ls = append(ls, pl...)
	return genFrame{ser(t, ls...), layers.LinkTypeEthernet}
}

// syntheticCaptures builds every synthetic capture: name -> link type, frames.
func syntheticCaptures(t testing.TB) map[string]struct {
	lt     layers.LinkType
	frames []genFrame
} {
	type cap = struct {
		lt     layers.LinkType
		frames []genFrame
	}
	out := map[string]cap{}

	// ARP request, reply, and a gratuitous announcement.
	arp := func(op uint16, sm net.HardwareAddr, sip net.IP, tm net.HardwareAddr, tip net.IP, dst net.HardwareAddr) genFrame {
		return genFrame{ser(t, eth(layers.EthernetTypeARP, sm, dst), &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
			HwAddressSize: 6, ProtAddressSize: 4, Operation: op, SourceHwAddress: sm, SourceProtAddress: sip, DstHwAddress: tm, DstProtAddress: tip}), layers.LinkTypeEthernet}
	}
	zero := net.HardwareAddr{0, 0, 0, 0, 0, 0}
	out["arp"] = cap{layers.LinkTypeEthernet, []genFrame{
		arp(1, macA, ipA, zero, ipB, bcast),
		arp(2, macB, ipB, macA, ipA, macA),
		arp(1, macA, ipA, zero, ipA, bcast),
	}}

	// ICMP echo over 802.1Q.
	icmpEcho := func(fromA bool, typ uint8, seq uint16) genFrame {
		sm, dm, si, di := macA, macB, ipA, ipB
		if !fromA {
			sm, dm, si, di = macB, macA, ipB, ipA
		}
		return genFrame{ser(t, &layers.Ethernet{SrcMAC: sm, DstMAC: dm, EthernetType: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{Priority: 3, VLANIdentifier: 10, Type: layers.EthernetTypeIPv4},
			ip4(si, di, layers.IPProtocolICMPv4, 9+seq),
			&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: 0x1234, Seq: seq},
			gopacket.Payload("0123456789abcdef")), layers.LinkTypeEthernet}
	}
	unreach := genFrame{ser(t, eth(layers.EthernetTypeIPv4, macB, macA), ip4(ipB, ipA, layers.IPProtocolICMPv4, 99),
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, 3)}, gopacket.Payload(make([]byte, 28))), layers.LinkTypeEthernet}
	out["vlan-icmp"] = cap{layers.LinkTypeEthernet, []genFrame{icmpEcho(true, 8, 1), icmpEcho(false, 0, 1), icmpEcho(true, 8, 2), unreach}}

	// IPv6 with hop-by-hop and destination options before ICMPv6, then TCP and UDP.
	echo6 := ser(t, eth(layers.EthernetTypeIPv6, macA, macB), ip6(ip6A, ip6B, layers.IPProtocolICMPv6),
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}, gopacket.Payload([]byte{0, 7, 0, 1, 'h', 'i'}))
	ext := []byte{60, 0, 1, 4, 0, 0, 0, 0, 58, 0, 1, 4, 0, 0, 0, 0} // hop-by-hop -> dest opts -> ICMPv6, PadN each
	withExt := append(append(append([]byte(nil), echo6[:14+40]...), ext...), echo6[14+40:]...)
	withExt[14+6] = 0 // next header: hop-by-hop
	binary.BigEndian.PutUint16(withExt[14+4:], uint16(len(withExt)-14-40))
	reply6 := ser(t, eth(layers.EthernetTypeIPv6, macB, macA), ip6(ip6B, ip6A, layers.IPProtocolICMPv6),
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(129, 0)}, gopacket.Payload([]byte{0, 7, 0, 1, 'h', 'i'}))
	ns := ser(t, eth(layers.EthernetTypeIPv6, macA, bcast), ip6(ip6A, ip6B, layers.IPProtocolICMPv6),
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(135, 0)}, gopacket.Payload(append([]byte{0, 0, 0, 0}, ip6B.To16()...)))
	v6 := []genFrame{{withExt, layers.LinkTypeEthernet}, {reply6, layers.LinkTypeEthernet}, {ns, layers.LinkTypeEthernet}}
	v6 = append(v6, tcpConv(t, 40000, 80, 1000, 5000, true, []tcpSeg{{fromA: true, flags: "S", opts: synOpts}, {flags: "SA", ack: 1, opts: synOpts}, {fromA: true, flags: "A", seq: 1, ack: 1}})...)
	out["ipv6"] = cap{layers.LinkTypeEthernet, v6}

	// DNS over UDP (A with CNAME, AAAA, NXDOMAIN) and over TCP.
	ans := []layers.DNSResourceRecord{
		{Name: []byte("www.example.com"), Type: layers.DNSTypeCNAME, Class: layers.DNSClassIN, TTL: 300, CNAME: []byte("web.example.net")},
		{Name: []byte("web.example.net"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: net.IP{93, 184, 216, 34}},
	}
	aaaa := []layers.DNSResourceRecord{{Name: []byte("example.com"), Type: layers.DNSTypeAAAA, Class: layers.DNSClassIN, TTL: 60, IP: net.ParseIP("2001:db8::1")}}
	tcpq := ser(t, dnsMsg(t, 0x0bad, false, 0, "example.org", layers.DNSTypeA))
	tcpq = append([]byte{byte(len(tcpq) >> 8), byte(len(tcpq))}, tcpq...)
	dns := []genFrame{
		udpFrame(t, true, 53000, 53, dnsMsg(t, 0x1234, false, 0, "www.example.com", layers.DNSTypeA)),
		udpFrame(t, false, 53, 53000, dnsMsg(t, 0x1234, true, 0, "www.example.com", layers.DNSTypeA, ans...)),
		udpFrame(t, true, 53001, 53, dnsMsg(t, 0x1235, false, 0, "example.com", layers.DNSTypeAAAA)),
		udpFrame(t, false, 53, 53001, dnsMsg(t, 0x1235, true, 0, "example.com", layers.DNSTypeAAAA, aaaa...)),
		udpFrame(t, false, 53, 53001, dnsMsg(t, 0x1236, true, layers.DNSResponseCodeNXDomain, "nx.example.com", layers.DNSTypeA)),
	}
	dns = append(dns, tcpConv(t, 41000, 53, 7, 9, false, []tcpSeg{{fromA: true, flags: "S", opts: synOpts}, {flags: "SA", ack: 1, opts: synOpts}, {fromA: true, flags: "A", seq: 1, ack: 1},
		{fromA: true, flags: "PA", seq: 1, ack: 1, payload: string(tcpq)}})...)
	out["dns"] = cap{layers.LinkTypeEthernet, dns}

	// UDP datagrams (undecoded payload) as Linux cooked v2, v1, raw IP, null and loop.
	udp := []genFrame{
		udpFrame(t, true, 12345, 9999, gopacket.Payload("hello, udp")),
		udpFrame(t, false, 9999, 12345, gopacket.Payload("olleh")),
		udpFrame(t, true, 12346, 9999, gopacket.Payload("")),
	}
	conv := tcpConv(t, 50000, 8080, 100, 200, false, []tcpSeg{{fromA: true, flags: "S", opts: synOpts}, {flags: "SA", ack: 1, opts: synOpts}, {fromA: true, flags: "A", seq: 1, ack: 1},
		{fromA: true, flags: "PA", seq: 1, ack: 1, payload: "GET /x HTTP/1.1\r\nHost: b\r\n\r\n"}})
	v6conv := tcpConv(t, 50001, 9000, 100, 200, true, []tcpSeg{{fromA: true, flags: "S"}, {flags: "RA", ack: 1}})
	mixed := append(append(append([]genFrame(nil), udp...), conv...), v6conv...)
	out["sll2"] = cap{layers.LinkTypeLinuxSLL2, withLink(t, layers.LinkTypeLinuxSLL2, mixed)}
	out["sll"] = cap{layers.LinkTypeLinuxSLL, withLink(t, layers.LinkTypeLinuxSLL, mixed)}
	out["raw"] = cap{layers.LinkTypeRaw, withLink(t, layers.LinkTypeRaw, mixed)}
	out["null"] = cap{layers.LinkTypeNull, withLink(t, layers.LinkTypeNull, mixed)}
	out["loop"] = cap{layers.LinkTypeLoop, withLink(t, layers.LinkTypeLoop, mixed)}
	out["ipv4"] = cap{layers.LinkTypeIPv4, withLink(t, layers.LinkTypeIPv4, udp)}

	// HTTP split in every way: request headers over two segments, a POST body over
	// two, two pipelined requests in one segment, a chunked response, and a
	// closed 4-tuple reused by a new connection (a new tcp.stream).
	req1a, req1b := "GET /split HTTP/1.1\r\nHost: www.exa", "mple.com\r\nUser-Agent: lab/1.0\r\n\r\n"
	resp1 := "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\nhello"
	post1, post2 := "POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nname=", "wirela"
	resp2 := "HTTP/1.1 302 Found\r\nLocation: /done\r\nContent-Length: 0\r\n\r\n"
	pipe := "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"
	chunk1, chunk2 := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n4\r\nwire\r\n", "3\r\nlab\r\n0\r\n\r\n"
	n := func(s string) uint32 { return uint32(len(s)) }
	var seqA, seqB uint32 = 1, 1
	segs := []tcpSeg{{fromA: true, flags: "S", opts: synOpts}, {flags: "SA", ack: 1, opts: synOpts}, {fromA: true, flags: "A", seq: 1, ack: 1}}
	add := func(fromA bool, flags, payload string) {
		s := tcpSeg{fromA: fromA, flags: flags, payload: payload}
		if fromA {
			s.seq, s.ack = seqA, seqB
			seqA += n(payload)
		} else {
			s.seq, s.ack = seqB, seqA
			seqB += n(payload)
		}
		if flags == "FA" {
			if fromA {
				seqA++
			} else {
				seqB++
			}
		}
		segs = append(segs, s)
	}
	add(true, "PA", req1a)
	add(true, "PA", req1b)
	add(false, "PA", resp1)
	add(true, "PA", post1)
	add(true, "PA", post2)
	add(false, "A", "")
	add(false, "PA", resp2)
	add(true, "PA", pipe)
	add(false, "PA", chunk1)
	add(false, "PA", chunk2)
	add(true, "FA", "")
	add(false, "FA", "")
	add(true, "A", "")
	frames := tcpConv(t, 45000, 80, 0x10000000, 0x20000000, false, segs)
	// The same 4-tuple again, a new connection that is reset.
	frames = append(frames, tcpConv(t, 45000, 80, 0x30000000, 0x40000000, false, []tcpSeg{{fromA: true, flags: "S", opts: synOpts}, {flags: "R", seq: 0}})...)
	out["http"] = cap{layers.LinkTypeEthernet, frames}

	// A retransmitted request, a duplicate ACK and a segment after a gap.
	rget := "GET /again HTTP/1.1\r\nHost: h\r\n\r\n"
	out["retrans"] = cap{layers.LinkTypeEthernet, tcpConv(t, 45002, 80, 1, 2, false, []tcpSeg{{fromA: true, flags: "S"}, {flags: "SA", ack: 1}, {fromA: true, flags: "A", seq: 1, ack: 1},
		{fromA: true, flags: "PA", seq: 1, ack: 1, payload: rget}, {fromA: true, flags: "PA", seq: 1, ack: 1, payload: rget},
		{flags: "A", seq: 1, ack: 1 + n(rget)}, {flags: "A", seq: 1, ack: 1 + n(rget)},
		{fromA: true, flags: "PA", seq: 11 + n(rget), ack: 1, payload: "later"}})}

	// An HTTP/1.0 response without Content-Length: its body ends with the connection.
	cget := "GET /old HTTP/1.0\r\n\r\n"
	c1, c2 := "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part ", "second part"
	out["http-close"] = cap{layers.LinkTypeEthernet, tcpConv(t, 45003, 80, 1, 2, false, []tcpSeg{{fromA: true, flags: "S"}, {flags: "SA", ack: 1}, {fromA: true, flags: "A", seq: 1, ack: 1},
		{fromA: true, flags: "PA", seq: 1, ack: 1, payload: cget}, {flags: "PA", seq: 1, ack: 1 + n(cget), payload: c1},
		{flags: "PA", seq: 1 + n(c1), ack: 1 + n(cget), payload: c2}, {flags: "FA", seq: 1 + n(c1) + n(c2), ack: 1 + n(cget)},
		{fromA: true, flags: "FA", seq: 1 + n(cget), ack: 2 + n(c1) + n(c2)}})}

	// HTTP on a port that is not one of Wireshark's HTTP ports.
	get := "GET /other HTTP/1.1\r\nHost: h\r\n\r\n"
	ok := "HTTP/1.1 204 No Content\r\n\r\n"
	out["http-port"] = cap{layers.LinkTypeEthernet, tcpConv(t, 45001, 9999, 1, 2, false, []tcpSeg{{fromA: true, flags: "S"}, {flags: "SA", ack: 1}, {fromA: true, flags: "A", seq: 1, ack: 1},
		{fromA: true, flags: "PA", seq: 1, ack: 1, payload: get}, {flags: "PA", seq: 1, ack: 1 + n(get), payload: ok}})}
	return out
}

func TestGenerate(t *testing.T) {
	if !*genFlag {
		t.Skip("run with -gen to rewrite testdata/synthetic")
	}
	dir := filepath.Join("testdata", "synthetic")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, c := range syntheticCaptures(t) {
		writePcap(t, filepath.Join(dir, name+".pcap"), c.lt, c.frames)
	}
}
