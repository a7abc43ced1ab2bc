package capture

import (
	"encoding/binary"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// cpPacket is a control or authentication protocol packet: code, identifier,
// length (len(data)+4, or n[0] when given), data.
func cpPacket(code, id byte, data []byte, n ...int) []byte {
	l := len(data) + 4
	if len(n) > 0 {
		l = n[0]
	}
	return append(binary.BigEndian.AppendUint16([]byte{code, id}, uint16(l)), data...)
}

// pppOpt is a configuration option: type, length, value.
func pppOpt(typ byte, val []byte) []byte { return append([]byte{typ, byte(len(val) + 2)}, val...) }

// pppHDLC is the PPP header in HDLC-like framing: address 0xff, control
// 0x03, the protocol.
func pppHDLC(proto uint16) []byte { return binary.BigEndian.AppendUint16([]byte{0xff, 0x03}, proto) }

func pppCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// pppIP is an IPv4 datagram (a DNS query over UDP, or a TCP SYN) and an
// IPv6 ping, as PPP carries them.
func pppIP(t testing.TB) (dns, syn, ping6 []byte) {
	dns = ser(t, ip4(ipA, ipB, layers.IPProtocolUDP, 7), &layers.UDP{SrcPort: 40000, DstPort: 53},
		dnsMsg(t, 0x1234, false, 0, "example.com", layers.DNSTypeA))
	syn = ser(t, ip4(ipA, ipB, layers.IPProtocolTCP, 8), &layers.TCP{SrcPort: 40001, DstPort: 80, SYN: true, Seq: 1000, Window: 65535})
	ping6 = ser(t, ip6(ip6A, ip6B, layers.IPProtocolICMPv6), &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)},
		&layers.ICMPv6Echo{Identifier: 1, SeqNumber: 2})
	return
}

// pppFrames are PPP frames (LINKTYPE_PPP or PPP_HDLC): every LCP code,
// LCP's common options, IPCP's and IPv6CP's negotiation, PAP's and CHAP's
// exchanges, IPv4 and IPv6 with and without the address and control bytes
// and with a compressed protocol field, CCP, an unknown protocol; then the
// broken ones: headers cut short, lengths past the frame, invalid options.
func pppFrames(t testing.TB) [][]byte {
	u16 := func(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	dns, syn, ping6 := pppIP(t)
	// (An IP packet cut short inside PPP is left out: wirelab's IP layer
	// stops at a cut UDP header, as on Ethernet, where Wireshark shows UDP.)
	lcp, ipcp, ipv6cp, pap, chap := pppHDLC(0xc021), pppHDLC(0x8021), pppHDLC(0x8057), pppHDLC(0xc023), pppHDLC(0xc223)
	return [][]byte{
		pppCat(lcp, cpPacket(1, 1, pppCat(pppOpt(1, u16(1492)), pppOpt(2, u32(0)), pppOpt(3, pppCat(u16(0xc223), []byte{5})), pppOpt(5, u32(0x12345678)), pppOpt(7, nil), pppOpt(8, nil)))),
		pppCat(lcp, cpPacket(2, 1, pppCat(pppOpt(1, u16(1500)), pppOpt(3, u16(0xc023))))),
		pppCat(lcp, cpPacket(3, 2, pppOpt(1, u16(1400)))),
		pppCat(lcp, cpPacket(4, 3, pppOpt(13, []byte{6}))),
		pppCat(lcp, cpPacket(5, 4, []byte("bye"))),
		pppCat(lcp, cpPacket(6, 4, nil)),
		pppCat(lcp, cpPacket(7, 5, cpPacket(99, 1, nil))),
		pppCat(lcp, cpPacket(8, 6, pppCat(u16(0x8021), cpPacket(1, 1, nil)))),
		pppCat(lcp, cpPacket(9, 7, pppCat(u32(0x11223344), []byte("xx")))),
		pppCat(lcp, cpPacket(10, 7, u32(0x55667788))),
		pppCat(lcp, cpPacket(11, 8, u32(1))),
		pppCat(lcp, cpPacket(12, 9, pppCat(u32(1), []byte("pppd 2.4.9")))),
		pppCat(lcp, cpPacket(13, 10, pppCat(u32(1), u32(3600), []byte("msg")))),
		pppCat(lcp, cpPacket(1, 11, pppCat(pppOpt(17, u16(1500)), pppOpt(19, []byte{1, 10, 0, 0, 1}), pppOpt(99, []byte("ab")), pppOpt(0, []byte{0, 0, 0x0c, 1})))),
		pppCat(ipcp, cpPacket(1, 1, pppCat(pppOpt(3, []byte{10, 0, 0, 1}), pppOpt(129, make([]byte, 4)), pppOpt(131, make([]byte, 4)), pppOpt(2, []byte{0, 0x2d, 0x0f, 1})))),
		pppCat(ipcp, cpPacket(3, 1, pppCat(pppOpt(3, []byte{10, 0, 0, 2}), pppOpt(129, []byte{8, 8, 8, 8}), pppOpt(131, []byte{8, 8, 4, 4}), pppOpt(130, []byte{10, 0, 0, 9}), pppOpt(132, []byte{10, 0, 0, 10})))),
		pppCat(ipcp, cpPacket(2, 2, pppOpt(3, []byte{10, 0, 0, 2}))),
		pppCat(ipcp, cpPacket(5, 3, []byte("x"))),
		pppCat(ipv6cp, cpPacket(1, 1, pppOpt(1, []byte{2, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}))),
		pppCat(ipv6cp, cpPacket(2, 1, pppOpt(1, []byte{2, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}))),
		pppCat(ipv6cp, cpPacket(3, 2, nil)),
		pppCat(pap, cpPacket(1, 1, []byte("\x04user\x06secret"))),
		pppCat(pap, cpPacket(2, 1, []byte("\x0bLogin ok ok"))),
		pppCat(pap, cpPacket(3, 2, []byte("\x04fail"))),
		pppCat(pap, cpPacket(1, 3, []byte("\x00\x00"))),
		pppCat(chap, cpPacket(1, 1, pppCat([]byte{16}, []byte("0123456789abcdef"), []byte("server")))),
		pppCat(chap, cpPacket(2, 1, pppCat([]byte{16}, []byte("fedcba9876543210"), []byte("client")))),
		pppCat(chap, cpPacket(3, 1, []byte("Welcome"))),
		pppCat(chap, cpPacket(4, 1, []byte("Denied"))),
		pppCat(chap, cpPacket(3, 2, nil)),
		// IPv4 and IPv6.
		pppCat(u16(0x0021), dns),
		pppCat(pppHDLC(0x0021), syn),
		pppCat([]byte{0x21}, dns),
		pppCat(pppHDLC(0x0057), ping6),
		// CCP, an unknown protocol, MPLS (data here).
		pppCat(pppHDLC(0x80fd), cpPacket(1, 1, pppOpt(26, []byte{0x78, 0x08}))),
		pppCat(pppHDLC(0x80fd), cpPacket(14, 2, nil)),
		pppCat(pppHDLC(0x1234), []byte("abc")),
		// Broken: lengths short of the header or past the frame, invalid
		// options, headers cut short.
		pppCat(lcp, cpPacket(1, 1, nil, 2)),
		pppCat(lcp, cpPacket(1, 1, pppOpt(1, []byte{5}), 20)),
		pppCat(lcp, cpPacket(1, 2, pppOpt(1, u16(1500)), 6)),
		pppCat(lcp, []byte{1, 2, 0, 8, 1, 1, 5, 0xdc}),
		pppCat(lcp, []byte{1, 2, 0, 8, 1, 3, 5, 0xdc}),
		pppCat(lcp, []byte{1, 2, 0, 8, 5, 4, 5, 0xdc}),
		pppCat(lcp, []byte{0x22, 2, 0, 8, 5, 4, 5, 0xdc}),
		pppCat(lcp, []byte{9, 2, 0, 8, 0, 0}),
		pppCat(lcp, []byte{1}),
		pppCat(lcp, []byte{1, 2, 0}),
		pppCat(ipcp, cpPacket(1, 1, pppCat(pppOpt(3, make([]byte, 3)), pppOpt(3, make([]byte, 4))))),
		pppCat(ipcp, cpPacket(2, 1, pppCat(pppOpt(3, make([]byte, 4)), []byte{3}))),
		pppCat(pap, []byte{1, 2, 0, 8, 5, 'a', 'b'}),
		pppCat(pap, []byte{1, 2, 0, 10, 1, 'a', 5, 'a', 'b'}),
		pppCat(pap, []byte{7, 2, 0, 10, 9, 'a', 'b'}),
		pppCat(pap, []byte{2, 1, 0, 4, 0x94, 0x86}),
		pppCat(chap, []byte{1, 2, 0, 10, 9, 'a', 'b'}),
		pppCat(chap, []byte{1, 2, 0, 12, 2, 'a', 'b', 'c'}),
		pppCat(pap, []byte{1, 2}),
		pppCat(chap, []byte{1, 2}),
		pppCat(ipcp, []byte{1}),
		pppCat(pppHDLC(0x80fd), []byte{1}),
		pap,
		{0xff},
		{0xff, 0x03},
		{0xff, 0x03, 0xc0},
		{0x30, 0x30},
	}
}

// pppoeFrame is an Ethernet frame of PPPoE (EtherType et): version and
// type 1, the code, the session ID, the payload length (len(payload), or
// n[0] when given), the payload.
func pppoeFrame(t testing.TB, et uint16, src, dst net.HardwareAddr, code byte, sid uint16, payload []byte, n ...int) genFrame {
	l := len(payload)
	if len(n) > 0 {
		l = n[0]
	}
	h := binary.BigEndian.AppendUint16([]byte{0x11, code}, sid)
	h = binary.BigEndian.AppendUint16(h, uint16(l))
	return genFrame{ser(t, eth(layers.EthernetType(et), src, dst), gopacket.Payload(append(h, payload...))), layers.LinkTypeEthernet}
}

// pppoeTag is a discovery tag: type, length, value.
func pppoeTag(typ uint16, val []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, typ)
	return append(binary.BigEndian.AppendUint16(b, uint16(len(val))), val...)
}

// pppoeFrames are a PPPoE session's life: discovery (PADI, PADO, PADR,
// PADS), LCP, PAP and CHAP, IPCP, DNS and TCP and IPv6 over the session,
// PADT; then payload lengths short of the PPP frame and past it, tags past
// the frame, a PPP frame in HDLC framing (Wireshark reads 0xff as the
// protocol), and headers cut short.
func pppoeFrames(t testing.TB) []genFrame {
	u16 := func(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	cl, ac := macA, macB
	bc := net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	hu := pppoeTag(0x0103, []byte{0xde, 0xad, 0xbe, 0xef})
	cookie := pppoeTag(0x0104, []byte("0123456789abcdef"))
	dns, syn, ping6 := pppIP(t)
	const sid = 0x1234
	sess := func(src, dst net.HardwareAddr, ppp []byte, n ...int) genFrame {
		return pppoeFrame(t, 0x8864, src, dst, 0, sid, ppp, n...)
	}
	return []genFrame{
		pppoeFrame(t, 0x8863, cl, bc, 0x09, 0, pppCat(pppoeTag(0x0101, nil), hu)),
		pppoeFrame(t, 0x8863, ac, cl, 0x07, 0, pppCat(pppoeTag(0x0101, nil), pppoeTag(0x0102, []byte("BRAS-1")), hu, cookie)),
		pppoeFrame(t, 0x8863, cl, ac, 0x19, 0, pppCat(pppoeTag(0x0101, []byte("isp")), hu, cookie)),
		pppoeFrame(t, 0x8863, ac, cl, 0x65, sid, pppCat(pppoeTag(0x0101, []byte("isp")), hu)),
		sess(ac, cl, pppCat(u16(0xc021), cpPacket(1, 1, pppCat(pppOpt(1, u16(1492)), pppOpt(3, pppCat(u16(0xc223), []byte{5})), pppOpt(5, u32(0xabcdef01)))))),
		sess(cl, ac, pppCat(u16(0xc021), cpPacket(1, 1, pppCat(pppOpt(1, u16(1492)), pppOpt(5, u32(0x01020304)))))),
		sess(cl, ac, pppCat(u16(0xc021), cpPacket(2, 1, pppCat(pppOpt(1, u16(1492)), pppOpt(3, pppCat(u16(0xc223), []byte{5})), pppOpt(5, u32(0xabcdef01)))))),
		sess(ac, cl, pppCat(u16(0xc223), cpPacket(1, 1, pppCat([]byte{16}, []byte("0123456789abcdef"), []byte("BRAS-1"))))),
		sess(cl, ac, pppCat(u16(0xc223), cpPacket(2, 1, pppCat([]byte{16}, []byte("fedcba9876543210"), []byte("alice"))))),
		sess(ac, cl, pppCat(u16(0xc223), cpPacket(3, 1, []byte("Access granted")))),
		sess(cl, ac, pppCat(u16(0xc023), cpPacket(1, 1, []byte("\x05alice\x06secret")))),
		sess(ac, cl, pppCat(u16(0xc023), cpPacket(2, 1, []byte("\x00")))),
		sess(cl, ac, pppCat(u16(0x8021), cpPacket(1, 1, pppCat(pppOpt(3, make([]byte, 4)), pppOpt(129, make([]byte, 4)))))),
		sess(ac, cl, pppCat(u16(0x8021), cpPacket(3, 1, pppCat(pppOpt(3, []byte{100, 64, 0, 7}), pppOpt(129, []byte{9, 9, 9, 9}))))),
		sess(cl, ac, pppCat(u16(0x8057), cpPacket(1, 1, pppOpt(1, []byte{0, 0, 0, 0, 0, 0, 0, 1})))),
		sess(cl, ac, pppCat(u16(0x0021), dns)),
		sess(cl, ac, pppCat(u16(0x0021), syn)),
		sess(cl, ac, pppCat(u16(0x0057), ping6)),
		sess(ac, cl, pppCat(u16(0xc021), cpPacket(9, 2, u32(0xabcdef01)))),
		sess(cl, ac, pppCat(u16(0xc021), cpPacket(10, 2, u32(0x01020304)))),
		sess(cl, ac, pppCat(u16(0xc021), cpPacket(5, 3, []byte("User request")))),
		pppoeFrame(t, 0x8863, ac, cl, 0xa7, sid, pppCat(pppoeTag(0x0203, []byte("bye")), pppoeTag(0x0201, []byte("no service")), pppoeTag(0x0202, []byte("sys")),
			pppoeTag(0x0105, pppCat(u32(3561), []byte{1, 2, 'a', 'b'})), pppoeTag(0x0110, []byte("rs")), pppoeTag(0x0120, u16(1500)), pppoeTag(0, nil))),
		// Broken and odd.
		sess(cl, ac, pppCat(u16(0x0021), dns), 30),
		sess(cl, ac, pppCat(u16(0x0021), dns), 200),
		sess(cl, ac, pppCat(pppHDLC(0xc021), cpPacket(9, 1, u32(0)))),
		sess(cl, ac, pppCat([]byte{0x21}, dns)),
		pppoeFrame(t, 0x8863, ac, cl, 0x09, 0, pppCat(pppoeTag(0x0101, nil), pppoeTag(0x0103, []byte("ab"))), 40),
		pppoeFrame(t, 0x8863, ac, cl, 0x09, 0, []byte{1}),
		pppoeFrame(t, 0x8863, ac, cl, 0x09, 0, nil),
		pppoeFrame(t, 0x8863, ac, cl, 0x09, 0, pppoeTag(0x0101, []byte("isp"))[:5]),
		{ser(t, eth(0x8864, cl, ac), gopacket.Payload([]byte{0x11, 0x00, 0x12})), layers.LinkTypeEthernet},
		{ser(t, eth(0x8863, cl, ac), gopacket.Payload([]byte{0x11, 0x09, 0x00, 0x00})), layers.LinkTypeEthernet},
	}
}

// pppCaptures writes pppFrames as LINKTYPE_PPP and as LINKTYPE_PPP_HDLC,
// pppoeFrames on Ethernet and as LINKTYPE_PPP_ETHER (their Ethernet header
// taken off).
func pppCaptures(t testing.TB) []string {
	dir := t.TempDir()
	var ppp, ether []genFrame
	for _, b := range pppFrames(t) {
		ppp = append(ppp, genFrame{b, layers.LinkTypePPP})
	}
	pppoe := pppoeFrames(t)
	for _, fr := range pppoe {
		if binary.BigEndian.Uint16(fr.data[12:]) == 0x8864 {
			ether = append(ether, genFrame{fr.data[14:], layers.LinkTypePPPEthernet})
		}
	}
	paths := []string{filepath.Join(dir, "gen-ppp.pcap"), filepath.Join(dir, "gen-ppp_hdlc.pcap"), filepath.Join(dir, "gen-pppoe.pcap"), filepath.Join(dir, "gen-ppp_ether.pcap")}
	writePcap(t, paths[0], layers.LinkTypePPP, ppp)
	writePcap(t, paths[1], layers.LinkTypePPP_HDLC, ppp)
	writePcap(t, paths[2], layers.LinkTypeEthernet, pppoe)
	writePcap(t, paths[3], layers.LinkTypePPPEthernet, ether)
	return paths
}

// pppFieldList is every field of the PPP family, and the inner packet's
// fields a filter on PPP needs.
func pppFieldList() []string {
	fields := []string{"frame.protocols"}
	for _, name := range []string{"pppoed", "pppoes", "ppp", "lcp", "ipcp", "ipv6cp", "pap", "chap"} {
		fields = append(fields, protoFields(name)...)
	}
	return append(fields, "ip.src", "ip.dst", "ip.len", "udp.srcport", "udp.dstport", "tcp.dstport", "tcp.flags", "ipv6.src", "icmpv6.type", "dns.qry.name", "data.data")
}

// pppCorpusSkips are what differs from tshark in tcpdump's PPP captures
// for reasons outside PPP: BGP and LDP, which wirelab does not decode (TCP
// or UDP and data), and ICMP's quote cut by the snapshot length (ICMP's
// Info has no mark).
var pppCorpusSkips = map[string]map[string]bool{
	"bgp_vpn_attrset.pcap":            {"1 line": true, "1 frame.protocols": true, "1 data.data": true},
	"mpls-ldp-hello.pcap":             {"1 line": true, "1 frame.protocols": true, "1 data.data": true},
	"icmp_inft_name_length_zero.pcap": {"1 line": true},
	// PPTP's control connection (TCP port 1723) wirelab does not decode.
	"pptp.pcap": {"5 line": true, "8 line": true, "10 line": true, "13 line": true, "15 line": true,
		"5 frame.protocols": true, "8 frame.protocols": true, "10 frame.protocols": true, "13 frame.protocols": true, "15 frame.protocols": true,
		"5 data.data": true, "8 data.data": true, "10 data.data": true, "13 data.data": true, "15 data.data": true},
}

// TestPPPMatchesTshark compares the captures of the cases above (PPP on
// both PPP link types, PPPoE on Ethernet and on LINKTYPE_PPP_ETHER) and
// tcpdump's PPP captures, field by field and line by line, with tshark,
// and a set of filters a lab on PPP would use (PPTP's PPP in GRE too).
func TestPPPMatchesTshark(t *testing.T) {
	needTshark(t)
	fields := pppFieldList()
	paths := pppCaptures(t)
	// A session payload length short of the IP packet in it: Wireshark
	// cuts the packet's reported length there (its UDP length is bad),
	// wirelab reads it as captured.
	cut := map[string]map[string]bool{"gen-pppoe.pcap": {"23 line": true}, "gen-ppp_ether.pcap": {"18 line": true}}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			compareLive(t, path, fields, true, cut[filepath.Base(path)])
		})
	}
	// The whole line (Source and Destination: N/A on the PPP link types,
	// empty on PPP_ETHER) where no Ethernet address is named.
	for _, path := range []string{paths[0], paths[1], paths[3]} {
		compareLines(t, path, cut[filepath.Base(path)])
	}
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, name := range []string{"ppp_ip_udp_dns.pcap", "pppoe.pcap", "pppoes.pcap", "ppp-invalid-lengths.pcap", "ppp_error_hexdump.pcap",
		"ppp_ccp_config_deflate_option_asan.pcap", "heapoverflow-ppp_hdlc_if_print.pcap", "truncated-aack.pcap", "bgp_vpn_attrset.pcap",
		"icmp-cksum-oobr-2.pcap", "icmp-rfc5837.pcap", "icmp_inft_name_length_zero.pcap", "mpls-ldp-hello.pcap", "pptp.pcap"} {
		t.Run(name, func(t *testing.T) {
			compareLive(t, filepath.Join(dir, name), fields, true, pppCorpusSkips[name])
		})
	}
	compareFilters(t, paths[0], []string{"ppp", "lcp", "ipcp", "ipv6cp", "pap", "chap", "ppp.protocol == 0xc021", "ppp.address == 0xff",
		"ppp.code == 1", "ppp.code == 9 && lcp.magic_number == 0x11223344", "lcp.opt.mru == 1492", "lcp.opt.auth_protocol == 0xc223",
		"lcp.opt.algorithm == 5", "lcp.opt.type == 17", "lcp.rej_proto == 0x8021", `lcp.message contains "pppd"`, "lcp.secs_remaining > 60",
		"ipcp.opt.ip_address == 10.0.0.2", "ipcp.opt.pri_dns_address == 8.8.8.8", "ipcp.opt.compress_proto == 0x002d",
		"ipv6cp.interface_identifier == 02:11:22:33:44:55:66:77", `pap.peer_id == "user"`, `pap.password == "secret"`, "pap.code == 2",
		`chap.name == "server"`, "chap.code == 3", `chap.message contains "Den"`, "chap.value_size == 16",
		"ip", "udp", "dns", `dns.qry.name == "example.com"`, "tcp.flags.syn == 1", "ipv6", "icmpv6", "ip.src == 10.0.0.1", "data",
		"ppp && !ip && !lcp", "ppp.data", "ppp.length > 20"})
	compareFilters(t, paths[2], []string{"pppoed", "pppoes", "ppp", "pppoe.code == 0x09", "pppoe.code == 0x65", "pppoe.session_id == 0x1234",
		`pppoed.tags.ac_name == "BRAS-1"`, `pppoed.tags.service_name == "isp"`, "pppoed.tags.host_uniq == de:ad:be:ef", "pppoed.tags.ac_cookie",
		"pppoed.tags.vendor_id == 3561", "pppoed.tags.generic_error", "pppoed.tags", "lcp", "chap", "pap", "ipcp", "ipv6cp",
		"dns", "tcp", "ip.dst == 10.0.0.2", "pppoe.payload_length > 40", "eth.type == 0x8863", `pap.peer_id == "alice"`})
	compareFilters(t, filepath.Join(dir, "pptp.pcap"), []string{"ppp", "lcp", "gre && ppp", "ppp.address == 0xff", "lcp.opt.mru", "lcp.opt.magic_number", "ppp.code == 1"})
}

// TestDamagedPPPNeverPanics decodes every prefix and single-byte change of
// the PPP and PPPoE frames above, and of tcpdump's PPP captures' first
// frames, on each link type that carries them, without a decoder failure.
func TestDamagedPPPNeverPanics(t *testing.T) {
	type frame struct {
		b  []byte
		lt layers.LinkType
	}
	var frames []frame
	for _, b := range pppFrames(t) {
		frames = append(frames, frame{b, layers.LinkTypePPP}, frame{b, layers.LinkTypePPP_HDLC})
	}
	for _, fr := range pppoeFrames(t) {
		frames = append(frames, frame{fr.data, layers.LinkTypeEthernet}, frame{fr.data[14:], layers.LinkTypePPPEthernet})
	}
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, name := range []string{"pppoes.pcap", "ppp-invalid-lengths.pcap", "truncated-aack.pcap", "pptp.pcap", "mlppp-oobr.pcap"} {
		for i, p := range decodeFile(t, filepath.Join(dir, name)) {
			if i < 20 && len(p.Data) < 2000 {
				frames = append(frames, frame{p.Data, p.LinkType})
			}
		}
	}
	check := func(b []byte, lt layers.LinkType) {
		t.Helper()
		p := NewDecoder().Decode(Frame{Data: b, LinkType: lt, Info: gopacket.CaptureInfo{CaptureLength: len(b), Length: len(b)}})
		if strings.HasPrefix(p.Malformed, "decoder failure") {
			t.Fatalf("link type %d frame %x: %s", lt, b, p.Malformed)
		}
		exercise(t, p)
	}
	for _, fr := range frames {
		for n := 0; n <= len(fr.b); n++ {
			check(fr.b[:n], fr.lt)
		}
		for i := 0; i < len(fr.b) && i < 120; i++ {
			for _, c := range []byte{0x00, 0x01, 0x04, 0x21, 0x80, 0xff} {
				b := append([]byte(nil), fr.b...)
				b[i] = c
				check(b, fr.lt)
			}
		}
	}
}
