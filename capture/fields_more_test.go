package capture

import (
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestSmallFieldsMatchTshark compares with tshark the small fields filters
// reach for beside the protocols' own tests: frame.time_delta and
// frame.marked, tcp.checksum.status, icmp.checksum.status (good, bad, cut
// short, quoted), and DNS's TXT strings and query name length.
func TestSmallFieldsMatchTshark(t *testing.T) {
	needTshark(t)
	corpus := corpusDir(t)
	fields := []string{"frame.time_delta", "frame.time_delta_displayed", "frame.encap_type", "frame.marked", "frame.ignored", "udp.time_delta", "udp.time_relative", "tcp.checksum.status", "icmp.checksum.status", "icmp.type", "icmp.code"}
	for _, path := range []string{filepath.Join(corpus, "captures", "http-get.pcap"),
		filepath.Join(corpus, "tcpdump-tests", "icmp-cksum-oobr-1.pcap"), filepath.Join(corpus, "tcpdump-tests", "icmp-cksum-oobr-2.pcap"),
		filepath.Join(corpus, "tcpdump-tests", "icmp-rfc5837.pcap"), filepath.Join(corpus, "tcpdump-tests", "icmp-rfc8335.pcap"),
		filepath.Join(corpus, "tcpdump-tests", "icmp-length-zero.pcapng"), filepath.Join(corpus, "tcpdump-tests", "afs.pcap"),
		filepath.Join(corpus, "tcpdump-tests", "hncp_prefix-oobr.pcap")} {
		t.Run(filepath.Base(path), func(t *testing.T) { compareLive(t, path, fields, false, nil) })
	}

	// DNS: a TXT answer of two strings, a query for the root, a long name;
	// ICMP: an echo whose checksum is wrong, a port unreachable quoting one.
	txt := dnsMsg(t, 9, true, 0, "lab.example", layers.DNSTypeTXT, layers.DNSResourceRecord{
		Name: []byte("lab.example"), Type: layers.DNSTypeTXT, Class: layers.DNSClassIN, TTL: 60, TXTs: [][]byte{[]byte("v=spf1 -all"), []byte("flag{dns}")}})
	badEcho := icmpFrame(t, true, 8, 1, "ping")
	badEcho.data = append([]byte(nil), badEcho.data...)
	badEcho.data[14+20+2] ^= 0x55
	frames := []genFrame{
		udpFrame(t, true, 40000, 53, dnsMsg(t, 9, false, 0, "lab.example", layers.DNSTypeTXT)),
		udpFrame(t, false, 53, 40000, txt),
		udpFrame(t, true, 40001, 53, dnsMsg(t, 10, false, 0, "", layers.DNSTypeNS)),
		udpFrame(t, true, 40002, 53, dnsMsg(t, 11, false, 0, "a-rather-long-label-for-a-lab.subdomain.example.org", layers.DNSTypeAAAA)),
		badEcho,
		icmpFrame(t, true, 8, 2, "ping"),
	}
	syn := filepath.Join(t.TempDir(), "small.pcap")
	writePcap(t, syn, layers.LinkTypeEthernet, frames)
	compareLive(t, syn, append(append([]string{"frame.protocols"}, fields...), protoFields("dns")...), true, nil)
	compareFilters(t, syn, []string{`dns.txt == "flag{dns}"`, `dns.txt contains "spf"`, "dns.txt.length == 9", "dns.qry.name.len > 40", "dns.qry.name.len == 6",
		"icmp.checksum.status == 0", "icmp.checksum.status == 1", "frame.time_delta > 0.001", "frame.marked == 0", "frame.marked"})
	compareFilters(t, filepath.Join(corpus, "captures", "http-get.pcap"), []string{"tcp.checksum.status == 2", "frame.time_delta > 0.005", "http.prev_request_in", "http.prev_response_in"})
}

// TestEncapTypeMatchesTshark writes an echo request on each link type
// wirelab decodes and compares frame.encap_type and frame.protocols with
// tshark's.
func TestEncapTypeMatchesTshark(t *testing.T) {
	needTshark(t)
	base := icmpFrame(t, true, 8, 1, "ping")
	ip := base.data[14:]
	hdrs := map[layers.LinkType][]byte{layers.LinkTypePPP_HDLC: {0xff, 0x03, 0x00, 0x21}, layers.LinkTypePPP: {0x00, 0x21},
		layers.LinkTypeC_HDLC: {0x0f, 0x00, 0x08, 0x00}, layers.LinkTypePPPEthernet: {0x11, 0x00, 0x00, 0x01, 0x00, byte(len(ip) + 2), 0x00, 0x21},
		12: nil, 14: nil}
	n := 0
	for lt := range wtapEncap {
		var fr []genFrame
		switch h, ok := hdrs[lt]; {
		case lt == layers.LinkTypeIPv6:
			fr = []genFrame{{icmp6Msg(t, ip6A, ip6B, 128, 0, []byte{0, 1, 0, 1}).data[14:], lt}}
		case lt == layers.LinkTypeEthernet:
			fr = []genFrame{base}
		case ok:
			fr = []genFrame{{append(append([]byte(nil), h...), ip...), lt}}
		default:
			fr = withLink(t, lt, []genFrame{base})
		}
		path := filepath.Join(t.TempDir(), "encap.pcap")
		writePcap(t, path, lt, fr)
		if a := compareLive(t, path, []string{"frame.encap_type", "frame.protocols"}, false, nil); a.sameVals == 2 {
			n++
		}
	}
	if n != len(wtapEncap) {
		t.Errorf("%d of %d link types as tshark", n, len(wtapEncap))
	}
}
