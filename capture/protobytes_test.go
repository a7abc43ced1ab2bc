package capture

import (
	"path/filepath"
	"testing"
)

// protoSliceFilters are slices, comparisons, len() and contains on protocols:
// a protocol's bytes start at its header.
var protoSliceFilters = []string{
	"tcp[13] == 0x12", "ip[0:1] == 45", "ip[0] == 45", "ip[9] == 11", "ip[9] == 06",
	"frame[0:2]", "eth[0:6] == ff:ff:ff:ff:ff:ff", "eth[12:2] == 08:00", "eth[0:15]", "eth[0:14]",
	"udp[8:4]", "udp[0:8]", "udp[0:2] == 00:35", "udp[-2:]", "ip[0:20]", "ip[0:21]", "ip[-1:] == 01",
	`tcp contains "GET"`, `tcp contains "HTTP"`, `udp contains "tcpdump"`, `ip contains "tcpdump"`,
	`eth contains "tcpdump"`, `udp matches "tcpdump"`, `tcp matches "^.{20,}GET"`, `tcp[32:3] == "GET"`,
	"len(tcp) == 32", "len(tcp) > 100", "len(ip) == 20", "len(eth) == 14", "len(udp) == 8",
	"ipv6[0:1] == 60", "ipv6[6] == 3a", "len(ipv6) == 40", "icmp[0] == 08", "len(icmp) > 8",
	"icmpv6[0] == 87", "arp[7] == 01", "len(arp) == 28", "ip contains 45:00", "tcp[0:2] == 00:50",
}

// TestProtocolSlicesAsTshark compares slices and contains on protocols with
// tshark (a Lua tap per filter, which sees what tshark -Y sees) on corpus
// captures: Ethernet, IPv4 and IPv6, TCP, UDP, ICMPv6, ARP.
func TestProtocolSlicesAsTshark(t *testing.T) {
	needTshark(t)
	corpus := corpusDir(t)
	same, all := 0, 0
	for _, f := range []string{"captures/http-get.pcap", "tcpdump-tests/dns_udp.pcap",
		"tcpdump-tests/arp-too-long-tha.pcap", "tcpdump-tests/EIGRP_ipv6.pcap", "tcpdump-tests/dns_tcp.pcap",
		"tcpdump-tests/icmpv6.pcap", "tcpdump-tests/icmpv6-ns-nonce.pcap"} {
		path := filepath.Join(corpus, f)
		same += compareFilters(t, path, protoSliceFilters)
		all += len(protoSliceFilters)
	}
	t.Logf("%d/%d (capture, filter) pairs select tshark's frames", same, all)
}

// TestProtocolSlicesSeeQuotesAndTunnels compares protocol slices with tshark
// where a frame has a second IP layer: the header an ICMP error quotes and a
// tunnel's inner packet are further occurrences, so ip[8] == 01 matches a
// time-exceeded error quoting a probe sent with TTL 1.
func TestProtocolSlicesSeeQuotesAndTunnels(t *testing.T) {
	needTshark(t)
	exprs := []string{"ip[9] == 11", "ip[8] == 01", "ip[0] == 45", "icmp[0] == 08", "ip contains 0a", "len(ip) == 20",
		`udp contains "a"`, "eth[12:2] == 08:00", "udp[0:2] == 00:35", "ip[12:4] == 0a:00:00:01"}
	for _, path := range []string{filepath.Join("testdata", "icmperr", "cut.pcap"), filepath.Join("testdata", "icmperr", "icmperr.pcap"),
		filepath.Join(corpusDir(t), "tcpdump-tests", "vxlan.pcap"), filepath.Join(corpusDir(t), "tcpdump-tests", "various_gre.pcap"),
		filepath.Join(corpusDir(t), "tcpdump-tests", "mpls-traceroute.pcap")} {
		if same := compareFilters(t, path, exprs); same != len(exprs) {
			t.Errorf("%s: %d of %d filters select the frames tshark selects", filepath.Base(path), same, len(exprs))
		}
	}
}
