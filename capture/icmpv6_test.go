package capture

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	ll6A    = net.ParseIP("fe80::a")
	ll6R    = net.ParseIP("fe80::1")
	allNode = net.ParseIP("ff02::1")
	allRtr  = net.ParseIP("ff02::2")
	mldv2   = net.ParseIP("ff02::16")
	solB    = net.ParseIP("ff02::1:ff00:80")
)

// icmp6Msg is one ICMPv6 message (type, code, the bytes after the
// checksum) from src to dst over Ethernet, hop limit 255 as neighbor
// discovery requires.
func icmp6Msg(t testing.TB, src, dst net.IP, typ, code uint8, body ...[]byte) genFrame {
	t.Helper()
	ip := ip6(src, dst, layers.IPProtocolICMPv6)
	ip.HopLimit = 255
	return genFrame{ser(t, eth(layers.EthernetTypeIPv6, macA, macB), ip,
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, code)}, gopacket.Payload(cat(body...))), layers.LinkTypeEthernet}
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func a16(s string) []byte { return net.ParseIP(s).To16() }

// ndFrames are the messages of neighbor discovery (RFC 4861), MLD v1 and v2
// and the ICMPv6 errors, with the options a lab's network sends.
func ndFrames(t testing.TB) []genFrame {
	slla := func(mac net.HardwareAddr) []byte { return cat([]byte{1, 1}, mac) }
	tlla := func(mac net.HardwareAddr) []byte { return cat([]byte{2, 1}, mac) }
	z := func(n int) []byte { return make([]byte, n) }
	dnssl := cat([]byte{31, 4, 0, 0, 0, 0, 2, 0x58}, []byte("\x03lab\x07example\x00\x04test\x00"), z(5))
	quotedEcho := ser(t, ip6(ip6A, ip6B, layers.IPProtocolICMPv6),
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}, gopacket.Payload([]byte{0, 7, 0, 1, 'h', 'i'}))
	quotedUDP := ser(t, ip6(ip6A, ip6B, layers.IPProtocolUDP), &layers.UDP{SrcPort: 40000, DstPort: 33434}, gopacket.Payload([]byte("probe")))
	frames := []genFrame{
		icmp6Msg(t, ll6A, allRtr, 133, 0, z(4), slla(macA)),
		icmp6Msg(t, ll6R, allNode, 134, 0, []byte{64, 0xc8, 0x07, 0x08, 0, 0, 0x75, 0x30, 0, 0, 0x03, 0xe8},
			slla(macB), []byte{5, 1, 0, 0, 0, 0, 0x05, 0xdc},
			[]byte{3, 4, 64, 0xc0, 0, 1, 0x51, 0x80, 0, 0, 0x38, 0x40, 0, 0, 0, 0}, a16("2001:db8:1::"),
			[]byte{25, 3, 0, 0, 0, 0, 2, 0x58}, a16("2001:db8::53"),
			dnssl,
			[]byte{24, 2, 48, 0x08, 0, 0, 0x0e, 0x10}, a16("2001:db8:2::")[:8],
			[]byte{7, 1, 0, 0, 0, 0, 0x13, 0x88}),
		icmp6Msg(t, net.IPv6unspecified, solB, 135, 0, z(4), ip6B.To16(), []byte{14, 1, 1, 2, 3, 4, 5, 6}),
		icmp6Msg(t, ip6A, solB, 135, 0, z(4), ip6B.To16(), slla(macA)),
		icmp6Msg(t, ip6B, ip6A, 136, 0, []byte{0xe0, 0, 0, 0}, ip6B.To16(), tlla(macB)),
		icmp6Msg(t, ip6B, allNode, 136, 0, []byte{0x20, 0, 0, 0}, ip6B.To16()),
		icmp6Msg(t, ll6R, ip6A, 137, 0, z(4), a16("fe80::2"), a16("2001:db8:5::1"), tlla(macB),
			[]byte{4, byte(1 + len(quotedEcho)/8), 0, 0, 0, 0, 0, 0}, quotedEcho[:len(quotedEcho)/8*8]),
		icmp6Msg(t, ll6R, allNode, 130, 0, []byte{0x27, 0x10, 0, 0}, z(16)),
		icmp6Msg(t, ll6A, solB, 131, 0, z(4), solB.To16()),
		icmp6Msg(t, ll6A, allRtr, 132, 0, z(4), solB.To16()),
		icmp6Msg(t, ll6R, allNode, 130, 0, []byte{0x03, 0xe8, 0, 0}, a16("ff3e::1234"), []byte{0x0a, 125, 0, 2}, a16("2001:db8::10"), a16("2001:db8::11")),
		icmp6Msg(t, ll6A, mldv2, 143, 0, []byte{0, 0, 0, 2},
			[]byte{1, 1, 0, 1}, a16("ff3e::1234"), a16("2001:db8::10"), []byte{9, 9, 9, 9},
			[]byte{4, 0, 0, 0}, a16("ff02::fb")),
		icmp6Msg(t, ip6B, ip6A, 2, 0, []byte{0, 0, 0x05, 0}, quotedEcho),
		icmp6Msg(t, ip6B, ip6A, 4, 0, []byte{0, 0, 0, 40}, quotedEcho),
		icmp6Msg(t, ip6B, ip6A, 1, 4, z(4), quotedUDP),
		icmp6Msg(t, ip6B, ip6A, 3, 0, z(4), quotedUDP),
		icmp6Msg(t, ip6A, ip6B, 42, 0, []byte("unknown type")),
	}
	// A neighbor solicitation whose checksum is wrong.
	bad := icmp6Msg(t, ip6A, solB, 135, 0, z(4), ip6B.To16(), slla(macA))
	bad.data = append([]byte(nil), bad.data...)
	bad.data[14+40+2] ^= 0xff
	// An advertisement cut short in its link-layer address option (captured
	// bytes fewer than the IPv6 header gives).
	cut := icmp6Msg(t, ip6B, ip6A, 136, 0, []byte{0x60, 0, 0, 0}, ip6B.To16(), tlla(macB))
	cut.data = cut.data[:len(cut.data)-3]
	// An option of length zero (Wireshark stops there).
	zero := icmp6Msg(t, ll6A, allRtr, 133, 0, z(4), []byte{1, 0, 0, 0, 0, 0, 0, 0}, slla(macA))
	return append(frames, bad, cut, zero)
}

// TestICMPv6MatchesTshark compares every icmpv6 field, frame.protocols and
// the Protocol and Info columns with tshark's on the neighbor discovery and
// MLD messages above and on the corpus's ICMPv6 captures.
func TestICMPv6MatchesTshark(t *testing.T) {
	needTshark(t)
	fields := append([]string{"frame.protocols", "ipv6.src"}, protoFields("icmpv6")...)
	synth := filepath.Join(t.TempDir(), "nd.pcap")
	writePcap(t, synth, layers.LinkTypeEthernet, ndFrames(t))
	paths := []string{synth}
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, name := range icmp6Corpus {
		paths = append(paths, filepath.Join(dir, name))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			skip := map[string]bool{}
			for _, k := range icmp6Skips[filepath.Base(path)] {
				skip[k] = true
			}
			n := 0
			for _, p := range decodeFile(t, path) {
				if p.has&pICMPv6 != 0 {
					n++
				}
				if p.has&pICMPv6 == 0 || !icmp6Summarised(p.icmp.typ) {
					skip[lineKey(p.Number, "line")] = true
				}
			}
			if n == 0 {
				t.Fatal("no ICMPv6 frames")
			}
			compareLive(t, path, fields, true, skip)
		})
	}
	compareFilters(t, synth, []string{"icmpv6.type == 135", "icmpv6.nd.ns.target_address == 2001:db8::80", "icmpv6.opt.src_linkaddr == 02:00:00:00:00:0a",
		"icmpv6.nd.na.flag.s == 1", "icmpv6.nd.na.flag.r", "icmpv6.nd.na.flag == 0x20000000", "icmpv6.nd.ra.flag.m == 1", "icmpv6.nd.ra.flag.prf == 1",
		"icmpv6.nd.ra.router_lifetime > 0", "icmpv6.opt.prefix == 2001:db8:1::", "icmpv6.opt.prefix == 2001:db8::/32", "icmpv6.opt.prefix.flag.a == 1",
		"icmpv6.opt.mtu == 1500", "icmpv6.opt.type == 25", "icmpv6.opt.rdnss == 2001:db8::53", `icmpv6.opt.dnssl == "test"`, `icmpv6.opt.dnssl contains "lab"`,
		"icmpv6.opt.nonce", "icmpv6.opt.target_linkaddr", "icmpv6.opt.linkaddr == 02:00:00:00:00:0b", "icmpv6.opt.length > 2", "icmpv6.opt.redirected_packet",
		"icmpv6.rd.na.destination_address == 2001:db8:5::1", "icmpv6.nd.rd.target_address", "icmpv6.checksum.status == 0", "icmpv6.checksum.status == 2",
		"icmpv6.mld.multicast_address == ff02::1:ff00:80", "icmpv6.mld.maximum_response_delay", "icmpv6.mld.flag.s == 1", "icmpv6.mld.source_address == 2001:db8::11",
		"icmpv6.mldr.mar.record_type == 4", "icmpv6.mldr.nb_mcast_records == 2", "icmpv6.mldr.mar.auxiliary_data", "icmpv6.mtu == 1280", "icmpv6.pointer == 40",
		"icmpv6.reserved == 00:00:00:00", "icmpv6.reserved == 00:00", "icmpv6.data", "icmpv6.type == 128", "icmpv6 && udp", "ipv6.src == 2001:db8::10 && icmpv6.type == 137"})
}

var icmp6Corpus = []string{"icmpv6.pcap", "icmpv6-ns-nonce.pcap", "icmpv6-ra-pref64.pcap", "icmpv6_opt24.pcap", "dcb_qcn.pcap", "dcb_ets.pcap",
	"icmpv6-rfc7112.pcap", "ipv6-routing-header.pcap", "ipv6-srh-ext-header.pcap", "icmpv6-RFC2894-RR.pcap",
	"icmpv6-ni-flags.pcap", "icmp6-rfc8335.pcap", "ipv6_jumbogram_1.pcap", "babel.pcap"}

// icmp6Skips are the values that differ by design: router renumbering's
// reserved bytes (the type is not decoded), the ICMP extension objects of an
// extended echo (not decoded), the data after a quoted first fragment.
var icmp6Skips = map[string][]string{
	"icmpv6-RFC2894-RR.pcap": {"1 icmpv6.reserved", "2 icmpv6.reserved", "3 icmpv6.reserved", "4 icmpv6.reserved", "5 icmpv6.reserved", "6 icmpv6.reserved"},
	"icmp6-rfc8335.pcap":     {"1 frame.protocols", "3 frame.protocols", "5 frame.protocols"},
	"icmpv6-rfc7112.pcap":    {"1 frame.protocols"},
	// IPv6 in IPv6 after a segment routing header is not decoded (issue 15).
	"ipv6-srh-ext-header.pcap": {"1 frame.protocols", "1 ipv6.src"},
}

// icmp6Summarised: the types whose Info column wirelab writes as Wireshark
// (not the subtypes of experimental mobility and FMIPv6).
func icmp6Summarised(t uint8) bool { return t != 150 && t != 154 }

// TestICMPv6InfoAsTshark compares the Info column and icmpv6.data with
// tshark's for every ICMPv6 type, and every code of the types whose Info
// names the code (and a few it does not name).
func TestICMPv6InfoAsTshark(t *testing.T) {
	needTshark(t)
	var frames []genFrame
	body := make([]byte, 40)
	for typ := 0; typ < 256; typ++ {
		switch typ {
		case 138, 143, 145: // zero bytes are a malformed message of these
			continue
		}
		frames = append(frames, icmp6Msg(t, ip6A, ip6B, uint8(typ), 0, body))
	}
	for typ, codes := range icmp6CodeNames {
		for code := range codes {
			for _, c := range []uint8{code, code + 1} {
				if typ == 138 {
					continue
				}
				frames = append(frames, icmp6Msg(t, ip6A, ip6B, typ, c, body))
			}
		}
	}
	path := filepath.Join(t.TempDir(), "types.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, frames)
	skip := map[string]bool{}
	for _, p := range decodeFile(t, path) {
		if !icmp6Summarised(p.icmp.typ) {
			skip[lineKey(p.Number, "line")] = true
		}
	}
	if a := compareLive(t, path, []string{"icmpv6.type", "icmpv6.code", "icmpv6.data"}, true, skip); a.frames < 256 {
		t.Fatalf("%d frames", a.frames)
	}
}
