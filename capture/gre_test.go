package capture

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// greMoreFrames are GRE packets beyond the tunnel test's: over IPv6
// (carrying IPv4 and IPv6), Cisco MetaData inside GRE (carrying IPv4 and
// IPv6, a type nothing decodes, a header cut short) and MPLS inside GRE.
func greMoreFrames(t testing.TB) []genFrame {
	gre := func(flags, proto uint16, opt []uint32, inner []byte) []byte {
		h := binary.BigEndian.AppendUint16(nil, flags)
		h = binary.BigEndian.AppendUint16(h, proto)
		for _, o := range opt {
			h = binary.BigEndian.AppendUint32(h, o)
		}
		return append(h, inner...)
	}
	over6 := func(payload []byte) genFrame {
		return genFrame{ser(t, eth(layers.EthernetTypeIPv6, macA, macB), ip6(ip6A, ip6B, layers.IPProtocolGRE), gopacket.Payload(payload)), layers.LinkTypeEthernet}
	}
	over4 := func(payload []byte) genFrame {
		return genFrame{ser(t, eth(layers.EthernetTypeIPv4, macA, macB), ip4(ipA, ipB, layers.IPProtocolGRE, 21), gopacket.Payload(payload)), layers.LinkTypeEthernet}
	}
	cmd := func(typ uint16, sgt uint16) []byte {
		return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16([]byte{byte(typ >> 8), byte(typ), 1, 1}, 1), sgt)
	}
	return []genFrame{
		over6(gre(0, 0x0800, nil, icmpFrame(t, true, 8, 1, "gre over ipv6").data[14:])),
		over6(gre(0x2000, 0x0800, []uint32{5}, icmpFrame(t, false, 0, 1, "gre over ipv6").data[14:])),
		over6(gre(0, 0x86dd, nil, icmp6Frame(t, true, 128, 6).data[14:])),
		over6(gre(0x1000, 0x6558, []uint32{9}, udpFrame(t, true, 40000, 53, dnsMsg(t, 0x55, false, 0, "gre6.example", layers.DNSTypeAAAA)).data)),
		over4(gre(0x2000, 0x8909, []uint32{0x28}, append(cmd(0x0800, 0), icmpFrame(t, true, 8, 2, "metadata").data[14:]...))),
		over4(gre(0x2000, 0x8909, []uint32{0x28}, append(cmd(0x0800, 4242), icmpFrame(t, false, 0, 2, "metadata").data[14:]...))),
		over4(gre(0, 0x8909, nil, append(cmd(0x86dd, 7), icmp6Frame(t, true, 128, 7).data[14:]...))),
		over4(gre(0, 0x8909, nil, append(cmd(0x1234, 7), "not decoded"...))),
		over4(gre(0, 0x8909, nil, cmd(0x0800, 1)[:5])),
		over6(gre(0, 0x8847, nil, append(mplsEntries(false, [3]uint32{99, 0, 1}), icmpFrame(t, true, 8, 3, "mpls in gre6").data[14:]...))),
	}
}

// TestGREMoreMatchesTshark compares GRE over IPv6, Cisco MetaData and CDP
// inside GRE with tshark, on the frames greMoreFrames writes and on
// tcpdump's various_gre.pcap.
func TestGREMoreMatchesTshark(t *testing.T) {
	needTshark(t)
	fields := []string{"frame.protocols", "eth.src", "eth.type", "ip.src", "ip.dst", "ip.proto", "ipv6.src", "ipv6.dst", "ipv6.nxt",
		"udp.srcport", "udp.dstport", "icmp.type", "icmp.seq", "icmp.resp_to", "icmpv6.type", "dns.qry.name", "mpls.label", "cdp.deviceid", "data.len"}
	for _, pr := range []string{"gre", "cmd"} {
		fields = append(fields, protoFields(pr)...)
	}
	path := filepath.Join(t.TempDir(), "gre-more.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, greMoreFrames(t))
	compareLive(t, path, fields, true, nil)
	compareFilters(t, path, []string{"gre", "cmd", "cmd.sgt == 4242", "cmd.type == 0x86dd", "cmd.version == 1", "ipv6 && gre", "icmp", "icmp.resp_to", "icmpv6",
		"dns", "mpls", "data", "ip.src#2 == 10.0.0.10", "gre.key == 5", "ipv6.nxt == 47"})
	// various_gre.pcap: Wireshark decodes the configuration testing protocol
	// (LOOP), DTP and PIM, which wirelab does not.
	skip := map[string]bool{}
	for _, n := range []int{1, 21, 52, 76, 97, 62, 67, 73} {
		skip[lineKey(n, "line")], skip[lineKey(n, "frame.protocols")], skip[lineKey(n, "data.len")] = true, true, true
	}
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	compareLive(t, filepath.Join(corpus, "various_gre.pcap"), fields, true, skip)
	compareFilters(t, filepath.Join(corpus, "various_gre.pcap"), []string{"gre", "cmd", "cdp", "cmd.sgt == 0", "icmp", "gre.proto == 0x8909", "ip.dst#2 == 172.17.1.55"})
}
