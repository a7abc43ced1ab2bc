package capture

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestCourseFieldsMatchTshark compares, with tshark, the smaller fields a
// course's filters use on protocols other tests cover: Ethernet's I/G and L/G
// bits, IPv4's DSCP, ECN and checksum status, IPv6's extension headers,
// ARP's gratuitous, probe and announcement marks, DNS's flag bits and NS,
// PTR and MX records; and mDNS (UDP 5353), whose messages the dns.* fields
// read but whose protocol is mdns, on a capture the test writes.
func TestCourseFieldsMatchTshark(t *testing.T) {
	needTshark(t)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	fields := []string{"eth.dst.ig", "eth.dst.lg", "eth.src.ig", "eth.src.lg", "eth.ig", "eth.lg",
		"ip.dsfield.dscp", "ip.dsfield.ecn", "ip.checksum.status",
		"ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr", "ipv6.dstopts",
		"arp.isgratuitous", "arp.isprobe", "arp.isannouncement",
		"dns.flags.authoritative", "dns.flags.truncated", "dns.flags.recdesired", "dns.flags.recavail", "dns.flags.z",
		"dns.flags.authenticated", "dns.flags.checkdisable", "dns.ns", "dns.ptr.domain_name", "dns.mx.preference", "dns.mx.mail_exchange"}
	for _, name := range []string{"dns_udp.pcap", "dns_tcp.pcap", "dnssec.pcap", "arp-oobr.pcap", "arp-too-long-tha.pcap", "eapon1.pcap",
		"bgp-4byte-asn.pcap", "EIGRP_adjacency.pcap", "ipv6-routing-header.pcap", "bigtcp-ipv6-hbh.pcap", "dcb_ets.pcap", "babel.pcap"} {
		t.Run(name, func(t *testing.T) { compareLive(t, filepath.Join(dir, name), fields, false, nil) })
	}
	compareFilters(t, filepath.Join(dir, "dns_udp.pcap"), []string{"dns.flags.recdesired == 1", "dns.flags.authoritative == 0", "dns.flags.recavail == 1", "dns.ns", "dns.mx.preference"})
	compareFilters(t, filepath.Join(dir, "arp-oobr.pcap"), []string{"arp.isgratuitous", "arp.isprobe", "arp.isannouncement", "eth.dst.ig == 1", "eth.ig == 1"})
	compareFilters(t, filepath.Join(dir, "EIGRP_adjacency.pcap"), []string{"ip.dsfield.dscp == 48", "ip.dsfield.ecn == 0", "ip.checksum.status == 2", "eth.src.lg == 0"})
	compareFilters(t, filepath.Join(dir, "ipv6-routing-header.pcap"), []string{"ipv6.routing", "ipv6.hopopts", "!ipv6.dstopts"})

	// mDNS: a query and its answer (with a PTR record) on 5353, and a DNS
	// query on 53 beside them.
	mdnsA := net.IP{224, 0, 0, 251}
	q := dnsMsg(t, 0, false, 0, "_http._tcp.local", layers.DNSTypePTR)
	q.RD = false
	a := dnsMsg(t, 0, true, 0, "_http._tcp.local", layers.DNSTypePTR, layers.DNSResourceRecord{
		Name: []byte("_http._tcp.local"), Type: layers.DNSTypePTR, Class: layers.DNSClassIN, TTL: 120, PTR: []byte("lab._http._tcp.local")})
	a.AA, a.RA = true, false
	frames := []genFrame{
		udpFrame(t, true, 5353, 5353, q),
		udpFrame(t, false, 5353, 5353, a),
		udpFrame(t, true, 40000, 53, dnsMsg(t, 7, false, 0, "www.example.com", layers.DNSTypeA)),
	}
	for i := range frames[:2] { // to the mDNS group
		copy(frames[i].data[14+16:14+20], mdnsA)
	}
	syn := filepath.Join(t.TempDir(), "mdns.pcap")
	writePcap(t, syn, layers.LinkTypeEthernet, frames)
	compareLive(t, syn, append([]string{"frame.protocols", "mdns", "dns", "dns.qry.name", "dns.flags.response", "dns.count.answers"}, fields...), true, nil)
	compareFilters(t, syn, []string{"mdns", "dns", `dns.qry.name == "_http._tcp.local"`, "dns.flags.authoritative == 1", `dns.ptr.domain_name contains "lab"`, "udp.port == 5353 && !dns"})
}
