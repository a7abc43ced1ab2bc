package capture

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// chdlcFrames are Cisco HDLC frames of every shape: SLARP requests, replies
// and keepalives (whole, and cut at each length), a SLARP type Wireshark
// does not know, IPv4 (a ping and its reply), IPv6, MPLS, a protocol nobody
// decodes, OSI, and headers cut short.
func chdlcFrames(t testing.TB) []genFrame {
	hdr := func(addr uint8, proto uint16) []byte { return binary.BigEndian.AppendUint16([]byte{addr, 0}, proto) }
	slarp := func(words ...uint32) []byte {
		b := hdr(0x8f, 0x8035)
		for _, w := range words {
			b = binary.BigEndian.AppendUint32(b, w)
		}
		return b
	}
	fr := func(b []byte) genFrame { return genFrame{b, layers.LinkTypeC_HDLC} }
	keep := append(slarp(2, 854577, 1463836198), 0xff, 0xff)
	frames := []genFrame{
		fr(slarp(0, 0, 0)),
		fr(append(slarp(1, 0x0f000001, 0xfffffffc), 0, 0)),
		fr(keep),
		fr(append(append([]byte(nil), keep...), 0, 0, 0, 0)),
		fr(append(slarp(2, 1, 2), 0x12, 0x34)),
		fr(slarp(7, 1, 2, 3)),
		fr(append(hdr(0x0f, 0x0800), icmpFrame(t, true, 8, 1, "hdlc").data[14:]...)),
		fr(append(hdr(0x0f, 0x0800), icmpFrame(t, false, 0, 1, "hdlc").data[14:]...)),
		fr(append(hdr(0x0f, 0x86dd), icmp6Frame(t, true, 128, 2).data[14:]...)),
		fr(append(append(hdr(0x0f, 0x8847), mplsEntries(false, [3]uint32{16, 0, 64})...), icmpFrame(t, true, 8, 3, "hdlc mpls").data[14:]...)),
		fr(append(hdr(0x0f, 0x1234), "unknown protocol"...)),
		fr(hdr(0x0f, 0x0800)),
		fr(hdr(0x8f, 0x8035)[:3]),
		fr([]byte{0x0f}),
	}
	for n := 4; n < len(keep); n++ { // a keepalive cut at each length
		frames = append(frames, fr(keep[:n]))
	}
	req := slarp(0, 0x0a000001, 0xffffff00)
	for n := 5; n < len(req); n += 3 {
		frames = append(frames, fr(req[:n]))
	}
	return frames
}

// TestCHDLCMatchesTshark compares Cisco HDLC and SLARP with tshark: every
// field, the Protocol and Info columns and the one-line summary (N/A → N/A
// without IP), on tcpdump's Cisco HDLC captures and on chdlcFrames.
func TestCHDLCMatchesTshark(t *testing.T) {
	needTshark(t)
	fields := append(append([]string{"frame.protocols", "ip.src", "ip.dst", "ip.proto", "ipv6.src", "icmp.type", "icmp.seq", "icmp.resp_to", "mpls.label",
		"cdp.version", "cdp.deviceid", "data.len"}, protoFields("chdlc")...), protoFields("slarp")...)
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	path := filepath.Join(t.TempDir(), "chdlc.pcap")
	writePcap(t, path, layers.LinkTypeC_HDLC, chdlcFrames(t))
	for _, p := range []string{path, filepath.Join(corpus, "chdlc-slarp.pcap"), filepath.Join(corpus, "chdlc-slarp-short.pcap"), filepath.Join(corpus, "hdlc_slarp.pcapng"),
		filepath.Join(corpus, "HDLC.pcap"), filepath.Join(corpus, "hoobr_chdlc_print.pcap")} {
		compareLive(t, p, fields, true, nil)
		compareLines(t, p, nil)
	}
	compareFilters(t, path, []string{"chdlc", "slarp", "slarp.ptype == 2", "slarp.ptype == 1", "slarp.address == 15.0.0.1", "slarp.netmask == 255.255.255.252",
		"slarp.mysequence == 854577", "slarp.yoursequence == 1463836198", "slarp.reliability == 0xffff", "slarp.reliability != 0xffff", "chdlc.address == 0x8f",
		"chdlc.protocol == 0x0800", "chdlc.control == 0", "ip", "icmp", "icmp.resp_to", "ipv6", "mpls", "data", "chdlc && !ip"})
	compareFilters(t, filepath.Join(corpus, "HDLC.pcap"), []string{"chdlc", "slarp", "cdp", "icmp", "ip.src == 10.0.0.1", "slarp.mysequence > 5"})
}
