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
