package filter

import (
	"encoding/binary"
	"strings"
	"testing"
)

// Test frames for capture filters, as bytes on an Ethernet link.

func ethHdr(dst, src string, typ uint16) []byte {
	d, _ := pcapMAC(dst)
	s, _ := pcapMAC(src)
	b := append(append([]byte{}, d...), s...)
	return binary.BigEndian.AppendUint16(b, typ)
}

func ip4Hdr(src, dst [4]byte, proto byte, payload int) []byte {
	h := []byte{0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, proto, 0, 0}
	binary.BigEndian.PutUint16(h[2:], uint16(20+payload))
	h = append(h, src[:]...)
	return append(h, dst[:]...)
}

func tcpHdr(sp, dp uint16, flags byte) []byte {
	h := make([]byte, 20)
	binary.BigEndian.PutUint16(h[0:], sp)
	binary.BigEndian.PutUint16(h[2:], dp)
	binary.BigEndian.PutUint32(h[4:], 1000)
	h[12] = 0x50
	h[13] = flags
	binary.BigEndian.PutUint16(h[14:], 65535)
	return h
}

func udpHdr(sp, dp uint16, payload int) []byte {
	h := make([]byte, 8)
	binary.BigEndian.PutUint16(h[0:], sp)
	binary.BigEndian.PutUint16(h[2:], dp)
	binary.BigEndian.PutUint16(h[4:], uint16(8+payload))
	return h
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

var (
	macA = "00:11:22:33:44:55"
	macB = "66:77:88:99:aa:bb"
	bcst = "ff:ff:ff:ff:ff:ff"
	ipA  = [4]byte{10, 0, 0, 10}
	ipB  = [4]byte{10, 0, 0, 80}
)

// frameNames are the test frames, in the order the tables list matches.
var frameNames = []string{"syn", "get", "dns", "arp", "v6", "icmp", "lo", "vlan", "short"}

var frames = func() map[string][]byte {
	m := map[string][]byte{}
	m["syn"] = cat(ethHdr(macB, macA, 0x0800), ip4Hdr(ipA, ipB, 6, 20), tcpHdr(56586, 80, 0x02))
	get := "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n\r\n"
	m["get"] = cat(ethHdr(macB, macA, 0x0800), ip4Hdr(ipA, ipB, 6, 20+len(get)), tcpHdr(56586, 80, 0x18), []byte(get))
	m["dns"] = cat(ethHdr(bcst, macA, 0x0800), ip4Hdr([4]byte{192, 168, 1, 7}, [4]byte{8, 8, 8, 8}, 17, 8+30), udpHdr(33333, 53, 30), make([]byte, 30))
	arp := []byte{0, 1, 8, 0, 6, 4, 0, 1}
	a, _ := pcapMAC(macA)
	arp = cat(arp, a, ipA[:], make([]byte, 6), ipB[:])
	m["arp"] = cat(ethHdr(bcst, macA, 0x0806), arp, make([]byte, 18))
	v6 := []byte{0x60, 0, 0, 0, 0, 20, 6, 64}
	v6 = append(v6, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
	v6 = append(v6, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
	m["v6"] = cat(ethHdr(macA, macB, 0x86dd), v6, tcpHdr(443, 50000, 0x12))
	// An ICMP port unreachable quoting the UDP datagram that caused it: only the
	// outer headers count for tcpdump.
	quoted := cat(ip4Hdr(ipA, ipB, 17, 8), udpHdr(40000, 53, 0))
	icmp := cat([]byte{3, 3, 0, 0, 0, 0, 0, 0}, quoted)
	m["icmp"] = cat(ethHdr(macA, macB, 0x0800), ip4Hdr(ipB, ipA, 1, len(icmp)), icmp)
	lo := [4]byte{127, 0, 0, 1}
	m["lo"] = cat(ethHdr("0:0:0:0:0:0", "0:0:0:0:0:0", 0x0800), ip4Hdr(lo, lo, 6, 20), tcpHdr(80, 80, 0x10))
	// 802.1Q, VLAN 100, carrying UDP to port 53.
	tag := []byte{0x00, 100, 0x08, 0x00}
	m["vlan"] = cat(ethHdr(macB, macA, 0x8100), tag, ip4Hdr([4]byte{10, 1, 1, 1}, [4]byte{10, 1, 1, 2}, 17, 8+4), udpHdr(5000, 53, 4), make([]byte, 4))
	// A TCP segment captured with only 4 bytes of its header.
	m["short"] = cat(ethHdr(macB, macA, 0x0800), ip4Hdr(ipA, ipB, 6, 20), tcpHdr(1234, 80, 0x02)[:4])
	return m
}()

func matchingFrames(f *Filter) string {
	var out []string
	for _, n := range frameNames {
		if f.MatchFrame(frames[n], ltEthernet, len(frames[n])) {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}

// captureCases: a capture filter and exactly the test frames it matches (syn
// get dns arp v6 icmp lo vlan short), as tcpdump 4.99 / libpcap 1.10 select
// them from a pcap of these frames.
var captureCases = []struct{ expr, want string }{
	{"tcp", "syn get v6 lo short"},
	{"udp", "dns"},
	{"ip", "syn get dns icmp lo short"},
	{"ip6", "v6"},
	{"arp", "arp"},
	{"icmp", "icmp"},
	{"icmp6", ""},
	{"not arp", "syn get dns v6 icmp lo vlan short"},
	{"! arp", "syn get dns v6 icmp lo vlan short"},

	{"port 80", "syn get lo short"},
	{"port 53", "dns"},
	{"port domain", "dns"},
	{"tcp port 80", "syn get lo short"},
	{"tcp port http", "syn get lo short"},
	{"udp port 80", ""},
	{"src port 80", "lo"},
	{"dst port 80", "syn get lo short"},
	{"src or dst port 53", "dns"},
	{"src and dst port 80", "lo"},
	{"portrange 50000-60000", "syn get v6"},
	{"tcp src portrange 1-1024", "v6 lo"},
	{"tcp portrange 1024-1", "syn get v6 lo short"},

	{"host 10.0.0.80", "syn get arp icmp short"},
	{"src host 10.0.0.80", "icmp"},
	{"dst host 10.0.0.80", "syn get arp short"},
	{"dst 10.0.0.80", "syn get arp short"},
	{"ip host 10.0.0.80", "syn get icmp short"},
	{"arp host 10.0.0.80", "arp"},
	{"src and dst host 127.0.0.1", "lo"},
	{"host fe80::1", "v6"},
	{"ip6 src host fe80::1", "v6"},

	{"net 10.0.0.0/8", "syn get arp icmp short"},
	{"net 10.0.0.0 mask 255.0.0.0", "syn get arp icmp short"},
	{"net 10", "syn get arp icmp short"},
	{"net 192.168", "dns"},
	{"src net 192.168.1.0/24", "dns"},
	{"dst net 8.8.8.8/32", "dns"},
	{"ip net 127.0.0.0/8", "lo"},
	{"net 2001:db8::/32", "v6"},
	{"net 10.0.0.0 mask 255.0.255.0", "syn get arp icmp short"},

	{"ether host 66:77:88:99:aa:bb", "syn get v6 icmp vlan short"},
	{"ether src 66:77:88:99:aa:bb", "v6 icmp"},
	{"ether dst ff:ff:ff:ff:ff:ff", "dns arp"},
	{"ether dst host ff-ff-ff-ff-ff-ff", "dns arp"},
	{"ether broadcast", "dns arp"},
	{"ether multicast", "dns arp"},
	{"ip broadcast", ""},

	{"less 60", "syn arp lo vlan short"},
	{"greater 100", "get"},
	{"less 60 and not arp", "syn lo vlan short"},
	{"len > 70", "get dns v6"},

	// and/or have equal precedence, left to right, as in tcpdump
	{"arp or udp and port 53", "dns"},
	{"udp and port 53 or arp", "dns arp"},
	{"arp or (udp and port 53)", "dns arp"},
	{"tcp && port 80 || arp", "syn get arp lo short"},

	// qualifier carry-over
	{"port 80 or 443", "syn get v6 lo short"},
	{"port 80 or 443 or 53", "syn get dns v6 lo short"},
	{"host 10.0.0.80 and not 10.0.0.10", ""},
	{"host 10.0.0.10 and not 192.168.1.7", "syn get arp icmp short"},
	{"tcp dst port 80 or 8080", "syn get lo short"},
	{"src host 10.0.0.80 or 192.168.1.7", "dns icmp"},
	{"ip and (port 80 or 443)", "syn get lo short"},
	{"port 53 and (udp or tcp)", "dns"},
	{"host (10.0.0.80 or 8.8.8.8)", "syn get dns arp icmp short"},

	// byte offsets, arithmetic, named offsets and values
	{"tcp[13] & 2 != 0", "syn"},
	{"tcp[tcpflags] & tcp-syn != 0", "syn"},
	{"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn|tcp-ack", ""},
	{"tcp[13] = 0x18", "get"},
	{"ip[8] == 64", "syn get dns icmp lo short"},
	{"ip[9] = 17", "dns"},
	{"ip[2:2] > 60", "get"},
	{"icmp[icmptype] == icmp-unreach", "icmp"},
	{"icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply", "icmp"},
	{"udp[2:2] = 53", "dns"},
	{"tcp port 80 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)", "get"},
	{"ether[0] & 1 = 0 and ip[16] >= 224", ""},
	{"ether[12:2] = 0x8100", "vlan"},
	{"len - 14 > 60", "get"},
	{"2 + 3 * 4 = 14", "syn get dns arp v6 icmp lo vlan short"},
	{"2 * 3 % 4 = 6", "syn get dns arp v6 icmp lo vlan short"}, // % has no precedence: 2 * (3 % 4),
	{"-1 = 0xffffffff", "syn get dns arp v6 icmp lo vlan short"},
	// a load past the captured bytes rejects the frame, even under not
	{"tcp[19] = 0", "syn get lo"},
	{"not tcp[19] = 1", "syn get dns arp v6 icmp lo vlan"},

	// proto, protochain, ether proto
	{"ip proto 17", "dns"},
	{"ip proto \\udp", "dns"},
	{"proto \\tcp", "syn get v6 lo short"},
	{"ip6 proto 6", "v6"},
	{"ether proto 0x0806", "arp"},
	{"ether proto \\arp", "arp"},
	{"ip protochain 6", "syn get lo short"},

	// vlan moves the offsets of what follows
	{"vlan", "vlan"},
	{"vlan 100", "vlan"},
	{"vlan 101", ""},
	{"vlan and udp port 53", "vlan"},
	{"udp port 53", "dns"},
	{"vlan 100 and ip[9] = 17", "vlan"},
	{"not vlan", "syn get dns arp v6 icmp lo short"},

	{"", "syn get dns arp v6 icmp lo vlan short"},
	{"   ", "syn get dns arp v6 icmp lo vlan short"},
}

func TestCapture(t *testing.T) {
	for _, c := range captureCases {
		t.Run(c.expr, func(t *testing.T) {
			f, err := CompileCapture(c.expr)
			if err != nil {
				if e, ok := err.(*Error); ok {
					t.Fatalf("compile:\n%s", e.Caret())
				}
				t.Fatal(err)
			}
			if got := matchingFrames(f); got != c.want {
				t.Errorf("matches [%s], want [%s]", got, c.want)
			}
			// The filter written back compiles to the same test.
			g, err := CompileCapture(f.String())
			if err != nil {
				t.Fatalf("String() = %q does not compile: %v", f.String(), err)
			}
			if got := matchingFrames(g); got != c.want {
				t.Errorf("String() %q matches [%s], want [%s]", f.String(), got, c.want)
			}
		})
	}
}

// TestCaptureRecord matches through Record: a Record that offers its frame
// (Raw) is tested on its bytes, any other Record matches no capture filter.
func TestCaptureRecord(t *testing.T) {
	f, err := CompileCapture("tcp port 80")
	if err != nil {
		t.Fatal(err)
	}
	if !f.Match(rawRec{frames["syn"], ltEthernet}) {
		t.Error("a raw SYN to port 80 does not match")
	}
	if f.Match(rawRec{frames["dns"], ltEthernet}) {
		t.Error("a DNS datagram matches tcp port 80")
	}
	if f.Match(records["syn"]) {
		t.Error("a record without bytes matches a capture filter")
	}
	if !f.IsCapture() {
		t.Error("IsCapture() is false for a capture filter")
	}
}

type rawRec struct {
	b  []byte
	lt int
}

func (r rawRec) Values(dst []Value, f *Field) []Value { return dst }
func (r rawRec) RawFrame() ([]byte, int, int)         { return r.b, r.lt, len(r.b) }

// TestCaptureLinkTypes runs the same tests on the frames' IP packets carried by
// other link layers.
func TestCaptureLinkTypes(t *testing.T) {
	ip := frames["syn"][14:]
	sll := cat([]byte{0, 0, 0, 1, 0, 6}, make([]byte, 8), []byte{0x08, 0x00}, ip)
	sll2 := cat([]byte{0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6}, make([]byte, 8), ip)
	null := cat([]byte{2, 0, 0, 0}, ip)
	loop := cat([]byte{0, 0, 0, 2}, ip)
	ppp := cat([]byte{0xff, 0x03, 0x00, 0x21}, ip)
	chdlc := cat([]byte{0x0f, 0x00, 0x08, 0x00}, ip)
	cases := []struct {
		lt int
		b  []byte
	}{{ltSLL, sll}, {ltSLL2, sll2}, {ltNull, null}, {ltLoop, loop}, {ltRaw, ip}, {ltIPv4, ip}, {ltPPP, ppp}, {ltCHDLC, chdlc}}
	for _, expr := range []string{"tcp", "ip", "tcp dst port 80", "host 10.0.0.80", "tcp[tcpflags] & tcp-syn != 0", "ip[9] = 6", "ip proto 6"} {
		f, err := CompileCapture(expr)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if !f.MatchFrame(c.b, c.lt, len(c.b)) {
				t.Errorf("%q does not match the SYN on link type %d", expr, c.lt)
			}
		}
	}
	for _, expr := range []string{"ip6", "arp", "udp", "not ip"} {
		f, err := CompileCapture(expr)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if f.MatchFrame(c.b, c.lt, len(c.b)) {
				t.Errorf("%q matches the IPv4 SYN on link type %d", expr, c.lt)
			}
		}
	}
	// What tcpdump refuses on a link type matches nothing there and says why.
	f, err := CompileCapture("ether host 00:11:22:33:44:55 or vlan")
	if err != nil {
		t.Fatal(err)
	}
	if f.MatchFrame(sll, ltSLL, len(sll)) || f.LinkTypeError(ltSLL) == nil {
		t.Errorf("ether host on Linux cooked: no error")
	}
	if f.LinkTypeError(ltEthernet) != nil || f.LinkTypeError(12345) == nil {
		t.Errorf("LinkTypeError: Ethernet %v, unknown %v", f.LinkTypeError(ltEthernet), f.LinkTypeError(12345))
	}
}

func TestCaptureAllocs(t *testing.T) {
	f, err := CompileCapture("tcp dst port 80 or 8080 or (host 10.0.0.80 and not arp) or net 2001:db8::/32 or tcp[tcpflags] & tcp-syn != 0 and ip[2:2] - 20 > len / 2")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range frameNames {
		b := frames[n]
		if a := testing.AllocsPerRun(50, func() { f.MatchFrame(b, ltEthernet, len(b)) }); a != 0 {
			t.Errorf("%s: MatchFrame allocates %v times per call", n, a)
		}
	}
}
