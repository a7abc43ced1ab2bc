package capture

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestTunnelsMatchTshark compares GRE, ERSPAN and VXLAN with tshark on
// tcpdump's tunnel captures: the tunnel's own fields, and what it carries
// decoded as the frame's (its ip, eth, icmp, tcp, arp fields as further
// occurrences, the inner packet's Protocol and Info columns, frame.protocols
// through it).
func TestTunnelsMatchTshark(t *testing.T) {
	needTshark(t)
	fields := []string{"frame.protocols", "eth.src", "eth.dst", "eth.type", "ip.src", "ip.dst", "ip.proto", "ip.ttl", "ip.id", "ip.len",
		"ipv6.src", "ipv6.dst", "udp.srcport", "udp.dstport", "udp.stream", "tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.seq", "tcp.ack", "tcp.len",
		"icmp.type", "icmp.seq", "icmp.resp_to", "arp.opcode", "arp.src.proto_ipv4", "vlan.id"}
	for _, pr := range []string{"gre", "erspan", "vxlan"} {
		fields = append(fields, protoFields(pr)...)
	}
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, name := range []string{"vxlan.pcap", "gso-ipv4-vxlan-ipv4.pcap", "gso-ipv4-vxlan-ipv6.pcap", "gso-ipv6-vxlan-ipv4.pcap", "gso-ipv6-vxlan-ipv6.pcap",
		"erspan-type-i-1.pcap", "erspan-type-i-2.pcap", "erspan-type-i-3.pcap", "gre-heapoverflow-2.pcap"} {
		t.Run(name, func(t *testing.T) {
			compareLive(t, filepath.Join(corpus, name), fields, true, nil)
		})
	}
	// A capture the test writes: an HTTP exchange inside GRE with key and
	// sequence numbers (decoded as HTTP, its TCP analysed), a ping inside
	// ERSPAN type II, a DNS query inside VXLAN, an ICMPv6 echo inside GRE
	// with a checksum, a GRE header cut short, and Ethernet over GRE.
	gre := func(flags, proto uint16, opt []uint32, inner []byte) []byte {
		h := binary.BigEndian.AppendUint16(nil, flags)
		h = binary.BigEndian.AppendUint16(h, proto)
		for _, o := range opt {
			h = binary.BigEndian.AppendUint32(h, o)
		}
		return append(h, inner...)
	}
	outer := func(proto layers.IPProtocol, payload []byte) genFrame {
		return genFrame{ser(t, eth(layers.EthernetTypeIPv4, macA, macB), ip4(ipA, ipB, proto, 9), gopacket.Payload(payload)), layers.LinkTypeEthernet}
	}
	var frames []genFrame
	for i, fr := range dialogueFrames(t, 51000, 80, dialogue{{true, "GET /tunnel HTTP/1.1\r\nHost: inner.example\r\n\r\n"}, {false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}}) {
		frames = append(frames, outer(layers.IPProtocolGRE, gre(0x3000, 0x0800, []uint32{0x28, uint32(i + 1)}, fr.data[14:])))
	}
	erspanHdr := []byte{0x10, 0x64, 0x02, 0x9a, 0x00, 0x00, 0x7f, 0xf8} // version 1, VLAN 100, session 666, index 32760
	frames = append(frames,
		outer(layers.IPProtocolGRE, gre(0x1000, 0x88be, []uint32{171}, append(erspanHdr, icmpFrame(t, true, 8, 1, "ping").data...))),
		outer(layers.IPProtocolGRE, gre(0x1000, 0x88be, []uint32{172}, append(erspanHdr, icmpFrame(t, false, 0, 1, "ping").data...))),
		genFrame{ser(t, eth(layers.EthernetTypeIPv4, macA, macB), ip4(ipA, ipB, layers.IPProtocolUDP, 10), &layers.UDP{SrcPort: 50000, DstPort: 4789},
			gopacket.Payload(append([]byte{0x08, 0, 0, 0, 0, 0x13, 0x88, 0}, udpFrame(t, true, 40000, 53, dnsMsg(t, 0x77, false, 0, "tunnel.example", layers.DNSTypeA)).data...))), layers.LinkTypeEthernet},
		outer(layers.IPProtocolGRE, gre(0x8000, 0x86dd, []uint32{0x12340000}, icmp6Frame(t, true, 128, 3).data[14:])),
		outer(layers.IPProtocolGRE, []byte{0x30, 0x00, 0x08, 0x00, 0x00}),
		outer(layers.IPProtocolGRE, gre(0x2000, 0x6558, []uint32{7}, udpFrame(t, false, 1900, 1900, gopacket.Payload("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n")).data)),
	)
	path := filepath.Join(t.TempDir(), "tunnels.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, frames)
	compareLive(t, path, append(fields, "http.request.method", "http.response.code", "http.request_in", "dns.qry.name", "tcp.analysis.acks_frame", "ssdp"), true, nil)
	compareFilters(t, path, []string{"gre", "gre.key == 0x28", "gre.sequence_number == 3", "http", "http.request.uri == \"/tunnel\"", "tcp.stream == 0",
		"erspan.spanid == 666", "erspan.vlan == 100", "icmp.resp_to", "vxlan.vni == 5000", "dns.qry.name == \"tunnel.example\"", "ipv6", "gre.checksum",
		"ip.dst#2 == 10.0.0.80", "ssdp", "gre.proto == 0x6558"})
	compareFilters(t, filepath.Join(corpus, "vxlan.pcap"), []string{"vxlan", "icmp", "arp", "vxlan.vni == 100", "ip.src == 192.168.203.3",
		"ip.src#2 == 192.168.203.3", "ip.src#1 == 192.168.203.3", "eth.src == 00:16:3e:37:f6:04", "icmp.resp_to", "udp.port == 4789 && icmp"})
	compareFilters(t, filepath.Join(corpus, "erspan-type-i-1.pcap"), []string{"gre", "erspan", "gre.proto == 0x88be", "icmp", "vlan", "erspan.version"})
}

// TestTunnelLinesMatchTshark: the one-line summary of a tunnelled packet
// names the inner packet's addresses (a MAC address there unnamed), as
// tshark -n prints it.
func TestTunnelLinesMatchTshark(t *testing.T) {
	needTshark(t)
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, name := range []string{"vxlan.pcap", "erspan-type-i-3.pcap", "gso-ipv6-vxlan-ipv6.pcap"} {
		compareLines(t, filepath.Join(corpus, name), nil)
	}
}
