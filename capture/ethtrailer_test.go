package capture

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// trailerFrames are Ethernet frames with bytes after what their payload's
// protocol uses: padding to the 60-byte minimum (zeros and not), a trailer
// past it, one long enough that tshark takes its last four bytes for an FCS,
// over IPv4, IPv6, ARP and a VLAN tag.
func trailerFrames(t testing.TB) []genFrame {
	ack := func() []byte {
		return ser(t, eth(layers.EthernetTypeIPv4, macA, macB), ip4(ipA, ipB, layers.IPProtocolTCP, 9),
			tcpLayer(40000, 80, tcpSeg{fromA: true, flags: "A", seq: 1, ack: 1}))
	}
	arp := ser(t, eth(layers.EthernetTypeARP, macA, bcast), &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: 1, SourceHwAddress: macA, SourceProtAddress: ipA, DstHwAddress: make(net.HardwareAddr, 6), DstProtAddress: ipB})
	vlanARP := ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: bcast, EthernetType: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeARP}, &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
			HwAddressSize: 6, ProtAddressSize: 4, Operation: 1, SourceHwAddress: macA, SourceProtAddress: ipA, DstHwAddress: make(net.HardwareAddr, 6), DstProtAddress: ipB})
	v6 := ser(t, eth(layers.EthernetTypeIPv6, macA, macB), ip6(ip6A, ip6B, layers.IPProtocolUDP), &layers.UDP{SrcPort: 40000, DstPort: 9}, gopacket.Payload("hi"))
	pad := func(b []byte, extra ...byte) genFrame {
		return genFrame{append(append([]byte(nil), b...), extra...), layers.LinkTypeEthernet}
	}
	z := func(n int) []byte { return make([]byte, n) }
	return []genFrame{
		pad(ack(), z(6)...),
		pad(ack(), 1, 2, 3, 4, 5, 6),
		pad(ack(), z(8)...),
		pad(ack(), 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
		pad(arp, z(18)...),
		pad(arp, z(22)...),
		pad(vlanARP, z(14)...),
		pad(vlanARP, z(18)...),
		pad(v6, 0xca, 0xfe, 0xba, 0xbe),
		pad(v6, 0xca, 0xfe),
		pad(ack()),
	}
}

// TestEthernetTrailerMatchesTshark compares eth.padding, eth.trailer and
// eth.fcs with tshark's on those frames and on corpus captures of padded
// frames (not DTP.pcap: tshark reads its 90-byte frames as Ethernet in
// Ethernet, eth:eth:llc:dtp, which wirelab does not; not LLDP: wirelab
// leaves the fields out after LLDP, see ethTail).
func TestEthernetTrailerMatchesTshark(t *testing.T) {
	needTshark(t)
	path := filepath.Join(t.TempDir(), "trailer.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, trailerFrames(t))
	fields := []string{"frame.protocols", "eth.padding", "eth.trailer", "eth.fcs", "eth.fcs.status"}
	compareLive(t, path, fields, true, nil)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, name := range []string{"EIGRP_adjacency.pcap", "802.1D_spanning_tree.pcap", "802.1ad_QinQ.pcap", "HSRP_coup.pcap", "arp-too-long-tha.pcap", "dns_udp.pcap", "eapon1.pcap"} {
		t.Run(name, func(t *testing.T) { compareLive(t, filepath.Join(dir, name), fields[1:], false, nil) })
	}
	compareFilters(t, path, []string{"eth.padding", "eth.trailer", "eth.fcs", "eth.padding == 00:00:00:00:00:00", "eth.trailer contains de:ad", "eth.fcs == 0xcafebabe", "eth.fcs.status == 2"})
}
