package capture

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

// fuzzLinkTypes are the link types FuzzDecode tries every input as.
var fuzzLinkTypes = []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2,
	layers.LinkTypeNull, layers.LinkTypeLoop, layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12,
	layers.LinkTypePPP, layers.LinkTypePPP_HDLC, layers.LinkTypePPPEthernet, layers.LinkTypeC_HDLC}

// exercise reads everything a packet offers: every field, the summary, the line.
func exercise(t testing.TB, p *Packet) {
	var vals []filter.Value
	for _, f := range Fields().Fields() {
		vals = p.Values(vals[:0], f)
		for _, v := range vals {
			_ = Format(f, v)
		}
		_ = p.Strings(f.Name)
	}
	_ = p.Summary()
	if l := p.Line(); l == "" {
		t.Fatal("empty line")
	}
}

// syntheticFrames returns the frames of the synthetic captures (fuzz seeds).
func syntheticFrames(t testing.TB) []Frame {
	var out []Frame
	pcaps, _ := filepath.Glob(filepath.Join("testdata", "synthetic", "*.pcap"))
	for _, pc := range pcaps {
		src, err := OpenFile(pc)
		if err != nil {
			t.Fatal(err)
		}
		for {
			fr, err := src.Next()
			if err != nil {
				break
			}
			fr.Data = append([]byte(nil), fr.Data...)
			out = append(out, fr)
		}
		src.Close()
	}
	return out
}

func FuzzDecode(f *testing.F) {
	fuzzing.Steady(f)
	for _, fr := range syntheticFrames(f) {
		f.Add(fr.Data)
	}
	for _, fr := range ndFrames(f) { // ICMPv6 neighbor discovery and MLD (icmpv6_test.go), and each cut short
		f.Add(fr.data)
		for n := len(fr.data) - 1; n > 54; n -= 7 {
			f.Add(fr.data[:n])
		}
	}
	for _, fr := range cdpFrames(f) { // CDP's cases, malformed ones too (cdp_test.go)
		f.Add(fr.data)
	}
	// PPP's frames (LCP, IPCP, IPv6CP, PAP, CHAP, IP; broken ones too) and
	// PPPoE's (ppp_test.go).
	for _, b := range pppFrames(f) {
		f.Add(b)
	}
	for _, fr := range pppoeFrames(f) {
		f.Add(fr.data)
	}
	for _, fr := range mplsFrames(f) { // MPLS label stacks, cut ones too (mpls_test.go)
		f.Add(fr.data)
	}
	for _, fr := range geneveFrames(f) { // Geneve's headers and options, cut ones too (geneve_test.go)
		f.Add(fr.data)
	}
	for _, fr := range chdlcFrames(f) { // Cisco HDLC and SLARP, cut ones too (chdlc_test.go)
		f.Add(fr.data)
	}
	for _, fr := range greMoreFrames(f) { // GRE over IPv6, Cisco MetaData (gre_test.go)
		f.Add(fr.data)
	}
	// SNMP's messages of every version and PDU type (snmp_test.go).
	snmp, _ := snmpFrames(f)
	for _, fr := range snmp {
		f.Add(fr.data)
	}
	// NTP's three message shapes (a header, a control message, a private
	// peer list), IGMP's (v1, v2, a v3 query and report, mtrace), TFTP's and
	// 802.3 frames' (STP, MSTP, PVST+, LLC, CDP) and LLDP's, and SNMP's
	// damaged ones, from the corpus when it is there.
	if dir, err := ioCorpusDirQuiet(); err == nil {
		for _, name := range []string{"ntp.pcap", "ntp-control.pcap", "ntp-mode7.pcap",
			"IGMP_V1.pcap", "IGMP_V2.pcap", "igmpv3-queries.pcap", "mtrace.pcap", "tftp.pcap",
			"802.1w_rapid_STP.pcap", "MSTP_Intra-Region_BPDUs.pcap", "rpvstp-trunk-native-vid5.pcap", "kday4.pcap",
			"lldp_mudurl.pcap", "LLDP_and_CDP.pcap", "3560_CDP.pcap", "vxlan.pcap", "erspan-type-i-1.pcap", "gre-heapoverflow-2.pcap", "various_gre.pcap", "gso-ipv4-vxlan-ipv6.pcap",
			"snmp-heapoverflow-1.pcap", "snmp-heapoverflow-2.pcap",
			"ppp_ip_udp_dns.pcap", "pppoe.pcap", "pppoes.pcap", "ppp-invalid-lengths.pcap", "ppp_error_hexdump.pcap",
			"ppp_ccp_config_deflate_option_asan.pcap", "heapoverflow-ppp_hdlc_if_print.pcap", "mlppp-oobr.pcap",
			"truncated-aack.pcap", "mpls-label-heapoverflow.pcap", "mpls-over-udp.pcap", "tok2str-oobr-2.pcap", "geneve.pcap",
			"geneve-gcp.pcap", "bigtcp-ipv6-geneve-ipv4.pcap", "HDLC.pcap", "hdlc_slarp.pcapng", "chdlc-slarp-short.pcap",
			"hoobr_chdlc_print.pcap", "isis-extd-isreach-oobr.pcap", "ISIS_p2p_adjacency.pcap", "esis_opt_prot-oobr.pcap"} {
			src, err := OpenFile(filepath.Join(dir, "tcpdump-tests", name))
			if err != nil {
				continue
			}
			for n := 0; n < 8; n++ {
				fr, err := src.Next()
				if err != nil {
					break
				}
				f.Add(append([]byte(nil), fr.Data...))
			}
			src.Close()
		}
	}
	// SIP (with SDP, compact headers, an IPv6 URI) on its port.
	for _, msg := range []string{sipInvite, sipRegister2, sipInvite2, sipRinging} {
		f.Add(udpFrame(f, true, 5060, 5060, gopacket.Payload(msg)).data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lt := range fuzzLinkTypes {
			d := NewDecoder()
			fr := Frame{Data: data, LinkType: lt, Info: gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}}
			p := d.Decode(fr)
			if strings.HasPrefix(p.Malformed, "decoder failure") {
				t.Fatalf("link type %d: %s", lt, p.Malformed)
			}
			exercise(t, p)
			// The same bytes twice on one decoder: stream state must hold up.
			exercise(t, d.Decode(fr))
		}
	})
}

// FuzzHTTP feeds a payload split in two segments of one TCP connection to port
// 80, then a third segment, through reassembly and parsing.
func FuzzHTTP(f *testing.F) {
	fuzzing.Steady(f)
	seeds := []string{
		"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwire\r\n0\r\n\r\n",
		"POST /f HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
		"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint16(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, payload []byte, split uint16) {
		if len(payload) > 1<<16 {
			return
		}
		k := int(split) % (len(payload) + 1)
		segs := []tcpSeg{{fromA: true, flags: "S"}, {flags: "SA", ack: 1}, {fromA: true, flags: "A", seq: 1, ack: 1}}
		seq := uint32(1)
		for _, part := range []string{string(payload[:k]), string(payload[k:]), string(payload)} {
			if part == "" {
				continue
			}
			segs = append(segs, tcpSeg{fromA: true, flags: "PA", seq: seq, ack: 1, payload: part})
			seq += uint32(len(part))
		}
		d := NewDecoder()
		d.MaxReassembly = 4096
		for _, g := range tcpConv(t, 40000, 80, 1, 1, false, segs) {
			p := d.Decode(Frame{Data: g.data, LinkType: g.lt})
			exercise(t, p)
			if len(p.http.msgs) > maxHTTPMsgsPerSegment {
				t.Fatalf("%d messages in one segment", len(p.http.msgs))
			}
		}
		if d.streams.tcp[makeKeyForTest()] != nil && len(d.streams.tcp[makeKeyForTest()].dir[0].http.buf) > 4096 {
			t.Fatal("reassembly exceeded its bound")
		}
		var m httpMsg
		messageLength(&m, payload, false)
		messageLength(&m, payload, true)
	})
}

func makeKeyForTest() connKey {
	a, b := [16]byte{10: 0xff, 11: 0xff, 12: 10, 15: 10}, [16]byte{10: 0xff, 11: 0xff, 12: 10, 15: 80}
	return makeKey(a, b, 40000, 80)
}

// TestCorpusFields decodes every capture of tcpdump's regression suite and reads
// every field of every packet: no panic, and no "decoder failure" (a recovered
// panic inside Decode).
func TestCorpusFields(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	frames := 0
	for _, de := range files {
		src, err := OpenFile(filepath.Join(dir, de.Name()))
		if err != nil {
			continue
		}
		d := NewDecoder()
		for {
			fr, err := src.Next()
			if errors.Is(err, io.EOF) || err != nil {
				break
			}
			p := d.Decode(fr)
			if strings.HasPrefix(p.Malformed, "decoder failure") {
				t.Errorf("%s frame %d: %s", de.Name(), p.Number, p.Malformed)
			}
			exercise(t, p)
			frames++
		}
		src.Close()
	}
	t.Logf("%d frames", frames)
}
