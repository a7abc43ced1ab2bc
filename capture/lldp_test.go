package capture

import (
	"path/filepath"
	"testing"
)

// TestLLDPMatchesTshark compares the LLDP captures of tcpdump's suite (a
// Linux host's and switches' LLDPDUs with management addresses, 802.1 and
// 802.3 organization TLVs, MUD URLs, and the malformed ones the suite keeps
// for its own bugs) field by field and line by line with tshark.
func TestLLDPMatchesTshark(t *testing.T) {
	needTshark(t)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	fields := append([]string{"frame.protocols"}, protoFields("lldp")...)
	for _, name := range []string{"lldp_mudurl.pcap", "LLDP_and_CDP.pcap", "lldp-app-priority.pcap", "lldp_8021_linkagg.pcap",
		"lldp_8023_mtu-oobr.pcap", "lldp_asan.pcap", "lldp_mgmt_addr_tlv_asan.pcap", "lldp-infinite-loop-1.pcap", "lldp-infinite-loop-2.pcap"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			skip := map[string]bool{}
			n := 0
			for _, p := range decodeFile(t, path) {
				if p.has&lldpProto.bit != 0 {
					n++
				} else {
					skip[lineKey(p.Number, "line")] = true // CDP and others: other tests
					skip[lineKey(p.Number, "frame.protocols")] = true
				}
				if p.Len > p.CapLen {
					skip[lineKey(p.Number, "line")] = true // tshark's Info says the frame is cut short
				}
			}
			if n == 0 {
				t.Fatal("no LLDP frames")
			}
			compareLive(t, path, fields, true, skip)
		})
	}
	compareFilters(t, filepath.Join(dir, "lldp_mudurl.pcap"), []string{"lldp", "lldp.tlv.type == 8", "lldp.time_to_live == 120",
		`lldp.tlv.system.name contains "ofcourse"`, "lldp.chassis.subtype == 4", "lldp.tlv.system_cap.bridge == 1", "lldp.mgn.addr.ip4", "lldp.orgtlv.oui"})
	compareFilters(t, filepath.Join(dir, "LLDP_and_CDP.pcap"), []string{"lldp", "lldp.port.subtype == 5", `lldp.port.id == "Fa0/13"`, "lldp.tlv.enable_system_cap.router == 1", "lldp.mgn.interface.number > 0"})
}
