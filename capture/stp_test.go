package capture

import (
	"path/filepath"
	"testing"
)

// TestSTPMatchesTshark compares the spanning tree captures of tcpdump's
// suite (rapid spanning tree, MSTP inside a region and on a VLAN trunk, the
// malformed BPDUs) and 802.3 frames with LLC headers carrying other
// protocols (CDP and DTP over SNAP, Cisco's PVST+, IS-IS, IPX, unknown SAPs) field by field
// with tshark: eth.len for eth.type, LLC's fields, STP's. Lines and
// frame.protocols are compared where wirelab decodes the topmost protocol
// (STP, CDP, or LLC over nothing it knows); DTP, IS-IS and IPX are data here.
func TestSTPMatchesTshark(t *testing.T) {
	needTshark(t)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	fields := append(append(append([]string{"frame.protocols", "eth.type", "eth.len", "vlan.etype", "vlan.len"}, protoFields("llc")...), protoFields("stp")...), "data.len")
	for _, name := range []string{"802.1w_rapid_STP.pcap", "MSTP_Intra-Region_BPDUs.pcap", "rpvstp-trunk-native-vid5.pcap",
		"stp-heapoverflow-1.pcap", "stp-heapoverflow-2.pcap", "stp-heapoverflow-3.pcap", "stp-heapoverflow-4.pcap", "stp-v4-length-sigsegv.pcap",
		"3560_CDP.pcap", "ISIS_level1_adjacency.pcap", "ipx.pcap", "kday4.pcap", "dccp_options-oobr.pcap"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			skip := map[string]bool{}
			n := 0
			for _, p := range decodeFile(t, path) {
				llc := p.has&llcProto.bit != 0
				if llc {
					n++
				}
				// What LLC carries beyond STP and CDP is data here; and frames
				// without LLC are other tests' business.
				if !llc || p.has&stpProto.bit == 0 && p.has&pData != 0 && !llcUnknownSAP(p) {
					skip[lineKey(p.Number, "line")] = true
					skip[lineKey(p.Number, "frame.protocols")] = true
					skip[lineKey(p.Number, "data.len")] = true
				}
				if p.Len > p.CapLen { // cut short: tshark's Info says so
					skip[lineKey(p.Number, "line")] = true
				}
				// An I or S frame's frame type prints as 0x0000 in tshark
				// (a 16-bit field there), 0x00 here.
				if c, ok := p.llcControl(); ok && c&3 != 3 {
					skip[lineKey(p.Number, "llc.control.ftype")] = true
				}
			}
			if n == 0 {
				t.Fatal("no LLC frames")
			}
			compareLive(t, path, fields, true, skip)
		})
	}
	compareFilters(t, filepath.Join(dir, "802.1w_rapid_STP.pcap"), []string{"stp", "llc", "eth.len == 39", "eth.type", "stp.flags.tc == 1",
		"stp.flags.port_role == 3", "stp.root.prio == 32768 && stp.root.ext == 1", "stp.hello == 2", "stp.max_age > 19.5", "stp.version == 2", "llc.dsap == 0x42"})
	compareFilters(t, filepath.Join(dir, "MSTP_Intra-Region_BPDUs.pcap"), []string{"stp.version == 3", "vlan.len", "vlan.etype", "stp.root.cost == 200000", "stp.bridge.hw == 00:1f:27:b4:7d:80"})
	compareFilters(t, filepath.Join(dir, "3560_CDP.pcap"), []string{"llc.oui == 0x00000c", "llc.pid == 0x2000", "llc.control.u_modifier_cmd == 0x00", "eth.len"})
}

// llcUnknownSAP reports an LLC frame whose SAPs carry nothing Wireshark
// decodes either: its Info and frame.protocols are LLC's and data's.
func llcUnknownSAP(p *Packet) bool {
	b := p.llcHeader()
	if _, snap := p.llcSNAP(); snap || len(b) < 2 {
		return false
	}
	switch b[0] {
	case 0x42, 0xe0, 0xf0, 0xfe, 0x06, 0x98, 0x7e, 0xf4, 0xf8:
		return false
	}
	return true
}
