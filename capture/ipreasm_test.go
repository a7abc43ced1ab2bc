package capture

import (
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// fragment splits an Ethernet+IPv4 frame's IP payload into fragments of the
// given sizes (multiples of 8 but the last; the rest goes in a last
// fragment), each a frame with its header's length, MF flag, offset and
// checksum set, and its identification id (0: the frame's); order lists which
// fragments to emit, in emission order (nil: all, in order).
func fragment(t *testing.T, fr genFrame, id uint16, sizes []int, order []int) []genFrame {
	t.Helper()
	const ethLen = 14
	b := fr.data
	hl := int(b[ethLen]&0x0f) * 4
	hdr, payload := b[:ethLen+hl], b[ethLen+hl:]
	var pieces [][2]int // offset, length
	off := 0
	for _, n := range sizes {
		if off+n >= len(payload) {
			break
		}
		pieces = append(pieces, [2]int{off, n})
		off += n
	}
	pieces = append(pieces, [2]int{off, len(payload) - off})
	if order == nil {
		for i := range pieces {
			order = append(order, i)
		}
	}
	var out []genFrame
	for _, i := range order {
		pc := pieces[i]
		f := append(append([]byte(nil), hdr...), payload[pc[0]:pc[0]+pc[1]]...)
		ip := f[ethLen:]
		binary.BigEndian.PutUint16(ip[2:], uint16(hl+pc[1]))
		if id != 0 {
			binary.BigEndian.PutUint16(ip[4:], id)
		}
		fo := uint16(pc[0] / 8)
		if i < len(pieces)-1 {
			fo |= 0x2000 // MF
		}
		binary.BigEndian.PutUint16(ip[6:], fo)
		binary.BigEndian.PutUint16(ip[10:], 0)
		var sum uint32
		for j := 0; j < hl; j += 2 {
			sum += uint32(binary.BigEndian.Uint16(ip[j:]))
		}
		for sum > 0xffff {
			sum = sum&0xffff + sum>>16
		}
		binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
		out = append(out, genFrame{f, fr.lt})
	}
	return out
}

// TestIPReassemblyMatchesTshark writes fragmented datagrams — a 3000-byte
// ping and its reply, a DNS answer in two fragments, fragments out of order,
// a datagram whose middle fragment never comes, overlapping fragments, an
// HTTP request in fragments, a tiny first fragment that cuts the UDP header —
// and compares every line, the reassembly and transport fields and filters
// with tshark's one-pass read.
func TestIPReassemblyMatchesTshark(t *testing.T) {
	needTshark(t)
	big := strings.Repeat("0123456789abcdef", 3000/16)
	ping := func(fromA bool, typ uint8, id uint16) genFrame {
		sm, dm, si, di := macA, macB, ipA, ipB
		if !fromA {
			sm, dm, si, di = macB, macA, ipB, ipA
		}
		return genFrame{ser(t, eth(layers.EthernetTypeIPv4, sm, dm), ip4(si, di, layers.IPProtocolICMPv4, id),
			&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: 0x4242, Seq: 1}, gopacket.Payload(big)), layers.LinkTypeEthernet}
	}
	var answers []layers.DNSResourceRecord
	for i := 0; i < 20; i++ {
		answers = append(answers, layers.DNSResourceRecord{Name: []byte("example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: []byte{192, 0, 2, byte(i)}})
	}
	dnsAns := dnsMsg(t, 0x1234, true, layers.DNSResponseCodeNoErr, "example.com", layers.DNSTypeA, answers...)
	var frames []genFrame
	frames = append(frames, fragment(t, ping(true, 8, 100), 0, []int{1480, 1480}, nil)...)
	frames = append(frames, fragment(t, ping(false, 0, 200), 0, []int{1480, 1480}, []int{2, 0, 1})...)
	frames = append(frames, fragment(t, udpFrame(t, false, 53, 40000, dnsAns), 300, []int{16}, nil)...)
	frames = append(frames, fragment(t, udpFrame(t, true, 40001, 9999, gopacket.Payload(big[:2000])), 301, []int{800, 800}, []int{0, 2})...)
	// overlapping: the second fragment starts inside the first
	ov := fragment(t, udpFrame(t, true, 40002, 9999, gopacket.Payload(big[:100])), 302, []int{64}, nil)
	ov2 := fragment(t, udpFrame(t, true, 40002, 9999, gopacket.Payload(big[:100])), 302, []int{48}, nil)
	frames = append(frames, ov[0], ov2[1])
	req := "POST /upload HTTP/1.1\r\nHost: b\r\nContent-Length: 1800\r\n\r\n" + big[:1800]
	hs := dialogueFrames(t, 40100, 80, dialogue{{true, req}, {false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}})
	for i, fr := range hs {
		if len(fr.data) > 1000 {
			frames = append(frames, fragment(t, fr, uint16(400+i), []int{1000}, nil)...)
			continue
		}
		frames = append(frames, hs[i])
	}
	frames = append(frames, fragment(t, udpFrame(t, true, 40003, 9999, gopacket.Payload(big[:64])), 303, []int{8}, nil)...)
	path := filepath.Join(t.TempDir(), "frags.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, frames)

	fields := []string{"frame.protocols", "ip.flags.mf", "ip.frag_offset", "ip.fragment", "ip.fragments", "ip.fragment.count",
		"ip.fragment.overlap", "ip.reassembled.length", "ip.reassembled.data", "ip.reassembled_in", "data.len", "data.data",
		"icmp.type", "icmp.seq", "icmp.resp_to", "udp.length", "udp.payload", "udp.stream", "dns.a", "dns.qry.name",
		"tcp.len", "tcp.seq", "tcp.stream", "http.request.method", "http.content_length", "http.file_data", "http.request_in"}
	a := compareLive(t, path, fields, true, nil)
	if a.sameLines != a.frames || a.values != a.sameVals {
		t.Errorf("%d/%d lines, %d/%d values as tshark", a.sameLines, a.frames, a.sameVals, a.values)
	}
	compareLines(t, path, nil)
	exprs := []string{"ip.fragment", "ip.fragment == 2", "ip.fragment.count == 3", "ip.reassembled.length > 2000",
		`ip.reassembled.data contains "POST"`, "ip.fragment.overlap", "icmp", "icmp.type == 0", "udp", "dns", "data",
		"ip.flags.mf == 1 && !udp", "http.request", "tcp.len > 1000", "ip.reassembled_in", "ip.frag_offset > 100"}
	if same := compareFilters(t, path, exprs); same != len(exprs) {
		t.Errorf("%d of %d filters select the frames tshark selects", same, len(exprs))
	}
}

// fragment6 splits an Ethernet+IPv6 frame's payload (no extension headers)
// into fragments of the given sizes (multiples of 8 but the last), each with
// a fragment header carrying id and the original next header; order lists
// the fragments to emit (nil: all, in order).
func fragment6(t *testing.T, fr genFrame, id uint32, sizes []int, order []int) []genFrame {
	t.Helper()
	const ethLen, hdrLen = 14, 40
	b := fr.data
	hdr, payload := b[:ethLen+hdrLen], b[ethLen+hdrLen:]
	nxt := hdr[ethLen+6]
	var pieces [][2]int
	off := 0
	for _, n := range sizes {
		if off+n >= len(payload) {
			break
		}
		pieces = append(pieces, [2]int{off, n})
		off += n
	}
	pieces = append(pieces, [2]int{off, len(payload) - off})
	if order == nil {
		for i := range pieces {
			order = append(order, i)
		}
	}
	var out []genFrame
	for _, i := range order {
		pc := pieces[i]
		f := append([]byte(nil), hdr...)
		f[ethLen+6] = 44
		binary.BigEndian.PutUint16(f[ethLen+4:], uint16(8+pc[1]))
		fh := make([]byte, 8)
		fh[0] = nxt
		fo := uint16(pc[0]/8) << 3
		if i < len(pieces)-1 {
			fo |= 1
		}
		binary.BigEndian.PutUint16(fh[2:], fo)
		binary.BigEndian.PutUint32(fh[4:], id)
		f = append(append(f, fh...), payload[pc[0]:pc[0]+pc[1]]...)
		out = append(out, genFrame{f, fr.lt})
	}
	return out
}

// TestIPv6ReassemblyMatchesTshark: IPv6 fragments — a UDP datagram in three,
// a 3000-byte ICMPv6 ping and its reply out of order, one whose last fragment
// never comes — compared with tshark's one-pass read (lines, the fragment
// header's and the reassembly fields, filters). Before, a fragment past the
// first read its data as a UDP header.
func TestIPv6ReassemblyMatchesTshark(t *testing.T) {
	needTshark(t)
	big := strings.Repeat("0123456789abcdef", 3000/16)
	udp6 := func(sp, dp uint16, payload string) genFrame {
		return genFrame{ser(t, eth(layers.EthernetTypeIPv6, macA, macB), ip6(ip6A, ip6B, layers.IPProtocolUDP),
			&layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}, gopacket.Payload(payload)), layers.LinkTypeEthernet}
	}
	ping6 := func(fromA bool, typ uint8) genFrame {
		sm, dm, si, di := macA, macB, ip6A, ip6B
		if !fromA {
			sm, dm, si, di = macB, macA, ip6B, ip6A
		}
		return genFrame{ser(t, eth(layers.EthernetTypeIPv6, sm, dm), ip6(si, di, layers.IPProtocolICMPv6),
			&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}, &layers.ICMPv6Echo{Identifier: 0x77, SeqNumber: 1}, gopacket.Payload(big)), layers.LinkTypeEthernet}
	}
	var frames []genFrame
	frames = append(frames, fragment6(t, udp6(40000, 9999, big[:300]), 0x1001, []int{104, 104}, nil)...)
	frames = append(frames, fragment6(t, ping6(true, 128), 0x1002, []int{1232, 1232}, nil)...)
	frames = append(frames, fragment6(t, ping6(false, 129), 0x1003, []int{1232, 1232}, []int{1, 2, 0})...)
	frames = append(frames, fragment6(t, udp6(40001, 9999, big[:200]), 0x1004, []int{96}, []int{0})...)
	path := filepath.Join(t.TempDir(), "frags6.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, frames)
	fields := []string{"frame.protocols", "ipv6.plen", "ipv6.nxt", "ipv6.fraghdr", "ipv6.fraghdr.nxt", "ipv6.fraghdr.offset", "ipv6.fraghdr.more",
		"ipv6.fraghdr.ident", "ipv6.fragment", "ipv6.fragments", "ipv6.fragment.count", "ipv6.reassembled.length", "ipv6.reassembled.data",
		"data.len", "udp.length", "udp.srcport", "udp.payload", "icmpv6.type", "icmpv6.echo.sequence_number", "icmpv6.resp_to"}
	a := compareLive(t, path, fields, true, nil)
	if a.sameLines != a.frames || a.values != a.sameVals {
		t.Errorf("%d/%d lines, %d/%d values as tshark", a.sameLines, a.frames, a.sameVals, a.values)
	}
	compareLines(t, path, nil)
	exprs := []string{"ipv6.fraghdr", "ipv6.fraghdr.more == 1", "ipv6.fraghdr.offset > 100", "ipv6.fragment == 3", "ipv6.fragment.count == 3",
		"ipv6.reassembled.length > 2000", "udp", "icmpv6", "icmpv6.type == 129", "data", "ipv6.reassembled.in"}
	if same := compareFilters(t, path, exprs); same != len(exprs) {
		t.Errorf("%d of %d filters select the frames tshark selects", same, len(exprs))
	}
}
