package capture

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// mplsEntries is a label stack: each entry {label, exp, ttl}, the last one
// the bottom of the stack (unless open).
func mplsEntries(open bool, entries ...[3]uint32) []byte {
	var b []byte
	for i, e := range entries {
		w := e[0]<<12 | e[1]<<9 | e[2]&0xff
		if i == len(entries)-1 && !open {
			w |= 1 << 8
		}
		b = binary.BigEndian.AppendUint32(b, w)
	}
	return b
}

// mplsFrames are labelled packets of every shape: on Ethernet (unicast and
// multicast, after a VLAN tag), IPv4 and IPv6 after the stack (ICMP echoes,
// DNS, an HTTP exchange, explicit null labels), data after it, a stack cut
// short, a stack with nothing after it, MPLS over UDP carrying IPv4, IPv6
// and data, and MPLS in GRE.
func mplsFrames(t testing.TB) []genFrame {
	hdr := func(typ uint16) []byte {
		return binary.BigEndian.AppendUint16(append(append([]byte(nil), macB...), macA...), typ)
	}
	lab := func(typ uint16, stack, payload []byte) genFrame {
		return genFrame{append(append(hdr(typ), stack...), payload...), layers.LinkTypeEthernet}
	}
	var frames []genFrame
	frames = append(frames,
		lab(0x8847, mplsEntries(false, [3]uint32{16, 5, 64}), icmpFrame(t, true, 8, 1, "labelled ping").data[14:]),
		lab(0x8847, mplsEntries(false, [3]uint32{1000, 0, 63}, [3]uint32{17, 1, 62}), icmpFrame(t, false, 0, 1, "labelled ping").data[14:]),
		lab(0x8847, mplsEntries(false, [3]uint32{2, 0, 1}), icmp6Frame(t, true, 128, 3).data[14:]),
		lab(0x8847, mplsEntries(false, [3]uint32{300, 7, 200}, [3]uint32{301, 0, 200}, [3]uint32{0, 0, 200}),
			udpFrame(t, true, 40000, 53, dnsMsg(t, 0x77, false, 0, "labelled.example", layers.DNSTypeA)).data[14:]),
		lab(0x8848, mplsEntries(false, [3]uint32{1048575, 3, 255}), udpFrame(t, false, 40002, 40001, gopacket.Payload("multicast label")).data[14:]),
		lab(0x8847, mplsEntries(false, [3]uint32{99, 0, 9}), []byte("Unlabelled payload: data")),
		lab(0x8847, mplsEntries(true, [3]uint32{99, 0, 9}, [3]uint32{98, 0, 8}), nil),
		lab(0x8847, mplsEntries(false, [3]uint32{99, 0, 9}), nil),
		lab(0x8847, append(mplsEntries(true, [3]uint32{99, 0, 9}), 0x12, 0x34), nil),
		genFrame{append(append(hdr(0x8100), 0x20, 0x0a, 0x88, 0x47), append(mplsEntries(false, [3]uint32{42, 2, 5}), icmpFrame(t, true, 8, 2, "tagged").data[14:]...)...), layers.LinkTypeEthernet},
	)
	for i, fr := range dialogueFrames(t, 51000, 80, dialogue{{true, "GET /labelled HTTP/1.1\r\nHost: mpls.example\r\n\r\n"}, {false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}}) {
		frames = append(frames, lab(0x8847, mplsEntries(false, [3]uint32{uint32(500 + i%2), 0, 64}), fr.data[14:]))
	}
	overUDP := func(stack, payload []byte) genFrame {
		return udpFrame(t, true, 49152, 6635, gopacket.Payload(append(stack, payload...)))
	}
	frames = append(frames,
		overUDP(mplsEntries(false, [3]uint32{21, 0, 63}), icmpFrame(t, true, 8, 7, "over udp").data[14:]),
		overUDP(mplsEntries(false, [3]uint32{46, 1, 63}, [3]uint32{47, 0, 62}), icmp6Frame(t, false, 129, 9).data[14:]),
		overUDP(mplsEntries(false, [3]uint32{21, 0, 63}), []byte("\x77 data over udp")),
		overUDP(mplsEntries(true, [3]uint32{21, 0, 63}), nil),
	)
	// MPLS in GRE (protocol type 0x8847): a ping, and a stack with data.
	inGRE := func(proto uint16, stack, payload []byte) genFrame {
		g := binary.BigEndian.AppendUint16([]byte{0, 0}, proto)
		return genFrame{ser(t, eth(layers.EthernetTypeIPv4, macA, macB), ip4(ipA, ipB, layers.IPProtocolGRE, 11), gopacket.Payload(append(append(g, stack...), payload...))), layers.LinkTypeEthernet}
	}
	frames = append(frames,
		inGRE(0x8847, mplsEntries(false, [3]uint32{7000, 0, 30}), icmpFrame(t, true, 8, 12, "in gre").data[14:]),
		inGRE(0x8848, mplsEntries(false, [3]uint32{7001, 0, 30}, [3]uint32{7002, 0, 30}), []byte("\x33 data in gre")),
	)
	return frames
}

// TestMPLSMatchesTshark compares MPLS with tshark: the label stack's fields,
// the packet after it decoded as the frame's layers (its ip, icmp, udp, tcp,
// dns, http fields, the Info column, frame.protocols through it), on the
// corpus's Ethernet and UDP captures and on the frames mplsFrames writes.
func TestMPLSMatchesTshark(t *testing.T) {
	needTshark(t)
	fields := append([]string{"frame.protocols", "eth.type", "vlan.id", "vlan.etype", "ip.src", "ip.dst", "ip.proto", "ip.ttl", "ip.len",
		"ipv6.src", "ipv6.dst", "ipv6.nxt", "udp.srcport", "udp.dstport", "udp.stream", "tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.seq", "tcp.ack", "tcp.len",
		"icmp.type", "icmp.seq", "icmp.resp_to", "icmpv6.type", "data.len"}, protoFields("mpls")...)
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	compareLive(t, filepath.Join(corpus, "mpls-label-heapoverflow.pcap"), fields, true, nil)
	// The pings over UDP start their data with a timestamp, which Wireshark's
	// ICMP shows as icmp.data_time, not as data (wirelab: data).
	compareLive(t, filepath.Join(corpus, "mpls-over-udp.pcap"), fields, true, map[string]bool{"1 data.len": true, "2 data.len": true})
	// tok2str-oobr-2: an LSP ping (MPLS echo, UDP 3503), which wirelab
	// shows as UDP data.
	compareLive(t, filepath.Join(corpus, "tok2str-oobr-2.pcap"), fields, false, map[string]bool{"1 frame.protocols": true, "1 data.len": true})

	// mpls-traceroute.pcap is PPP's: its frames with an Ethernet header for
	// PPP's (0x0281 MPLS as 0x8847, 0x0021 IPv4 as 0x0800) are a traceroute
	// through labelled routers, the ICMP errors quoting the probes.
	src, err := OpenFile(filepath.Join(corpus, "mpls-traceroute.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	var trace []genFrame
	for {
		fr, err := src.Next()
		if err != nil {
			break
		}
		typ := map[uint16]uint16{0x0281: 0x8847, 0x0021: 0x0800}[be16(fr.Data[2:])]
		b := binary.BigEndian.AppendUint16(append(append([]byte(nil), macB...), macA...), typ)
		trace = append(trace, genFrame{append(b, fr.Data[4:]...), layers.LinkTypeEthernet})
	}
	src.Close()
	path := filepath.Join(t.TempDir(), "mpls-traceroute-eth.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, trace)
	compareLive(t, path, fields, true, nil)
	compareFilters(t, path, []string{"mpls", "mpls.ttl == 1", "icmp", "udp", "ip.src#2 == 12.4.4.4", "mpls.label == 100704", "icmp.type == 11", "udp.dstport == 33435"})

	path = filepath.Join(t.TempDir(), "mpls.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, mplsFrames(t))
	compareLive(t, path, append(fields, "http.request.method", "http.request.uri", "http.response.code", "dns.qry.name", "tcp.analysis.acks_frame"), true, nil)
	compareFilters(t, path, []string{"mpls", "mpls.label == 16", "mpls.label == 17", "mpls.exp == 5", "mpls.bottom == 0", "mpls.ttl < 10",
		"mpls.label == 0", "mpls.label == 1048575", "mpls && ip", "mpls && ipv6", "ip", "ipv6", "icmp", "icmpv6", "udp", "tcp", "http", "dns",
		"icmp.resp_to", "ip.src == 10.0.0.10", "ip.dst#2 == 10.0.0.20", "udp.port == 6635", "data", "vlan.id == 10", "eth.type == 0x8848",
		"mpls.label#2 == 17", "gre", "gre.proto == 0x8847", "mpls.label == 7002", "icmp.seq == 12", "tcp.stream == 0", "http.request.uri == \"/labelled\"", "mpls.label > 20 && mpls.label < 50"})
	compareFilters(t, filepath.Join(corpus, "mpls-over-udp.pcap"), []string{"mpls", "icmp", "udp.port == 6635", "mpls.label == 21", "ip.src#2 == 10.3.0.10", "icmp.resp_to"})
}

// TestMPLSLinesMatchTshark: the one-line summary of a labelled packet names
// the addresses of the packet after the stack, as tshark -n prints it.
func TestMPLSLinesMatchTshark(t *testing.T) {
	needTshark(t)
	path := filepath.Join(t.TempDir(), "mpls.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, mplsFrames(t))
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, p := range []string{path, filepath.Join(corpus, "mpls-over-udp.pcap"), filepath.Join(corpus, "mpls-label-heapoverflow.pcap")} {
		compareLines(t, p, nil)
	}
}

// TestMPLSProtocolBytesMatchTshark: slices of the layers after a label stack
// (and after Cisco HDLC's header) start at their headers, as tshark's do.
// A tunnel's packet has no protocol bytes here (over UDP, in GRE: left out).
func TestMPLSProtocolBytesMatchTshark(t *testing.T) {
	needTshark(t)
	exprs := []string{"ip[0] == 0x45", "ip[9] == 1", "udp[2:2] == 00:35", "icmp[0] == 8", "icmp contains \"ping\"", "tcp[13] == 0x12",
		"ipv6[6] == 58", "len(ip) == 20", "ip contains \"labelled\"", "udp contains \"labelled\"", "tcp contains \"GET\""}
	path := filepath.Join(t.TempDir(), "mpls.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, mplsFrames(t))
	var link []string
	for _, e := range exprs {
		link = append(link, "("+e+") && !gre && !(udp.port == 6635)")
	}
	compareFilters(t, path, link)
	path = filepath.Join(t.TempDir(), "chdlc.pcap")
	writePcap(t, path, layers.LinkTypeC_HDLC, chdlcFrames(t))
	compareFilters(t, path, append(exprs, "icmp contains \"hdlc\""))
}
