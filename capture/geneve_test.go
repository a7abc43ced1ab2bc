package capture

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// geneveFrames are Geneve packets the test writes: Ethernet, IPv4, IPv6 and
// MPLS inside, options (a critical one, Google Cloud's three, reserved option
// flags, one whose length runs past the options), the OAM flag, another
// version, a protocol type Wireshark has no dissector for, and headers cut
// short.
func geneveFrames(t testing.TB) []genFrame {
	hdr := func(ver, flags uint8, typ uint16, vni uint32, opts []byte) []byte {
		b := []byte{ver<<6 | uint8(len(opts)/4)&0x3f, flags}
		b = binary.BigEndian.AppendUint16(b, typ)
		b = binary.BigEndian.AppendUint32(b, vni<<8)
		return append(b, opts...)
	}
	opt := func(class uint16, typ, flags uint8, data []byte) []byte {
		b := binary.BigEndian.AppendUint16(nil, class)
		return append(append(b, typ, flags<<5|uint8(len(data)/4)), data...)
	}
	gcp := append(append(opt(0x0132, 1, 0, []byte{0x80, 0, 0, 0xd1}), opt(0x0132, 2, 0, make([]byte, 16))...), opt(0x0132, 3, 0, []byte{0, 0, 0, 0, 0, 0, 0x12, 0x34})...)
	over := func(g []byte, inner []byte) genFrame {
		return udpFrame(t, true, 55555, 6081, gopacket.Payload(append(g, inner...)))
	}
	return []genFrame{
		over(hdr(0, 0x40, 0x6558, 10, opt(0, 0x80, 0, []byte{0, 0, 0, 12})), icmpFrame(t, true, 8, 1, "geneve ping").data),
		over(hdr(0, 0, 0x6558, 10, nil), icmpFrame(t, false, 0, 1, "geneve ping").data),
		over(hdr(0, 0, 0x0800, 0, gcp), udpFrame(t, true, 40000, 53, dnsMsg(t, 0x99, false, 0, "geneve.example", layers.DNSTypeA)).data[14:]),
		over(hdr(0, 0x80, 0x86dd, 0xffffff, opt(0x0101, 0x05, 7, []byte{1, 2, 3, 4, 5, 6, 7, 8})), icmp6Frame(t, true, 128, 4).data[14:]),
		over(hdr(0, 0x3f, 0x8847, 77, opt(0xfff0, 0x7f, 0, nil)), append(mplsEntries(false, [3]uint32{18, 0, 9}), icmpFrame(t, true, 8, 5, "geneve mpls").data[14:]...)),
		over(hdr(1, 0, 0x6558, 3, nil), icmpFrame(t, true, 8, 6, "version 1").data),
		over(hdr(0, 0, 0x1234, 4, nil), []byte("unknown protocol type")),
		over(append(hdr(0, 0, 0x6558, 5, nil)[:1], 0x04, 0, 0, 0, 0, 0, 0, 0x01, 0x01, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0), nil), // an option longer than the options
		over(hdr(0, 0, 0x6558, 5, nil)[:6], nil),
		over(hdr(0, 0, 0x6558, 5, opt(0x0101, 1, 0, []byte{1, 2, 3, 4}))[:12], nil),
	}
}

// TestGeneveMatchesTshark compares Geneve with tshark on tcpdump's Geneve
// captures and on the frames geneveFrames writes: the header's and options'
// fields, what it carries decoded as the frame's (its fields as further
// occurrences, the Info column, frame.protocols through it) and filters.
func TestGeneveMatchesTshark(t *testing.T) {
	needTshark(t)
	fields := append([]string{"frame.protocols", "eth.src", "eth.dst", "eth.type", "ip.src", "ip.dst", "ip.proto", "ip.ttl", "ip.len",
		"ipv6.src", "ipv6.dst", "udp.srcport", "udp.dstport", "udp.stream", "tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.seq", "tcp.ack", "tcp.len",
		"icmp.type", "icmp.seq", "icmp.resp_to", "icmpv6.type", "mpls.label", "dns.qry.name", "data.len"}, protoFields("geneve")...)
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	// geneve.pcap: the pings' data start with a timestamp (Wireshark's
	// icmp.data_time; wirelab: data), and SSH's Info names the key
	// exchange's Diffie-Hellman messages and, after a New Keys that follows
	// another message in its segment, encrypted packets, which wirelab's SSH
	// does not.
	skip := map[string]bool{}
	for _, n := range []int{1, 2, 25, 26, 38, 39} {
		skip[lineKey(n, "data.len")] = true
	}
	for _, n := range []int{13, 14, 15, 16, 21, 23, 28, 31, 33, 34, 36} {
		skip[lineKey(n, "line")] = true
	}
	compareLive(t, filepath.Join(corpus, "geneve.pcap"), fields, true, skip)
	// The bigtcp-*-geneve-* captures are left out: their outer IPv4 total
	// length or IPv6 payload length is 0 (BIG TCP), which Wireshark refuses
	// before UDP's payload.
	for _, name := range []string{"geneve-gcp.pcap", "gso-ipv4-geneve-ipv4.pcap", "gso-ipv4-geneve-ipv6.pcap", "gso-ipv6-geneve-ipv4.pcap", "gso-ipv6-geneve-ipv6.pcap"} {
		t.Run(name, func(t *testing.T) {
			compareLive(t, filepath.Join(corpus, name), fields, true, nil)
		})
	}
	path := filepath.Join(t.TempDir(), "geneve-written.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, geneveFrames(t))
	compareLive(t, path, fields, true, nil)
	compareFilters(t, path, []string{"geneve", "geneve.vni == 10", "geneve.vni == 0xffffff", "geneve.flags.oam", "geneve.flags.oam == 1", "geneve.flags.critical == 1",
		"geneve.flags.reserved == 1", "geneve.version == 1", "geneve.proto_type == 0x6558", "geneve.option.class == 0x0132", "geneve.option.length == 8",
		"geneve.option.gcp.vnid == 13", "geneve.option.gcp.direction == 1", "geneve.option.gcp.profile == 4660", "geneve.option.gcp.endpoint",
		"geneve.option.unknown.data", "geneve.option.type.critical == 1", "geneve.option.flags.reserved == 1", "geneve.options", "geneve.option",
		"icmp", "icmpv6", "dns", "mpls", "data", "ip.src#2 == 10.0.0.10", "icmp.resp_to", "geneve && !ip.src#2"})
	compareFilters(t, filepath.Join(corpus, "geneve.pcap"), []string{"geneve", "geneve.vni == 10", "geneve.option", "icmp", "tcp.port == 22", "ssh",
		"geneve.flags.critical == 1", "tcp.stream == 1", "ip.src == 30.0.0.1"})
}

// TestGeneveLinesMatchTshark: the one-line summary of a Geneve packet names
// the inner packet's addresses, as tshark -n prints it.
func TestGeneveLinesMatchTshark(t *testing.T) {
	needTshark(t)
	path := filepath.Join(t.TempDir(), "geneve-written.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, geneveFrames(t))
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, p := range []string{path, filepath.Join(corpus, "geneve-gcp.pcap"), filepath.Join(corpus, "gso-ipv6-geneve-ipv4.pcap")} {
		compareLines(t, p, nil)
	}
}
