package capture

import (
	"path/filepath"
	"testing"
)

// TestIGMPMatchesTshark compares every capture of tcpdump's suite that
// carries IGMP (v1, v2 and v3 queries and reports, leaves, multicast
// traceroute, and the DVMRP and PIM v1 messages Wireshark hands to other
// dissectors) field by field with tshark, and line by line where wirelab
// decodes the message itself.
func TestIGMPMatchesTshark(t *testing.T) {
	needTshark(t)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	fields := append([]string{"frame.protocols"}, protoFields("igmp")...)
	for _, name := range []string{"IGMP_V1.pcap", "IGMP_V2.pcap", "igmpv3-queries.pcap", "eapon1.pcap", "mtrace.pcap",
		"PIM-SM_join_prune.pcap", "mrinfo_query.pcap", "hoobr_pimv1.pcap", "relts-0x80000000.pcap"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			skip := map[string]bool{}
			n := 0
			for _, p := range decodeFile(t, path) {
				if p.has&igmpProto.bit != 0 {
					n++
				}
				// DVMRP and PIM v1 are other protocols' Info columns, as are
				// the frames without IGMP (PIM v2 on IP is not decoded).
				if p.has&igmpProto.bit == 0 || igmpKindOf(p) == igmpForeign {
					skip[lineKey(p.Number, "line")] = true
				}
				if p.has&igmpProto.bit == 0 {
					skip[lineKey(p.Number, "frame.protocols")] = true
				}
			}
			if n == 0 {
				t.Fatal("no IGMP frames")
			}
			if a := compareLive(t, path, fields, true, skip); a.frames == 0 {
				t.Fatal("no frames")
			}
		})
	}
	compareFilters(t, filepath.Join(dir, "IGMP_V2.pcap"), []string{"igmp", "igmp.type == 0x17", "igmp.version == 2", "igmp.maddr == 225.1.1.4",
		"igmp.max_resp == 100", "igmp.checksum.status == 1", "igmp.type == 0x11 && igmp.maddr == 0.0.0.0", "igmp.reserved",
		"igmp contains e1:01:01:04", "igmp[0] == 0x17", "igmp[4:4] == e1:01:01:03", "len(igmp) == 8"})
	compareFilters(t, filepath.Join(dir, "IGMP_V1.pcap"), []string{"igmp.version == 1", "igmp.reserved == 00", "igmp.max_resp", "igmp.maddr == 239.255.255.250"})
	compareFilters(t, filepath.Join(dir, "igmpv3-queries.pcap"), []string{"igmp.max_resp > 100", "igmp.max_resp.exp == 7", "igmp.qrv == 2", "igmp.s == 0", "igmp.qqic == 125", "igmp.num_src == 0"})
	compareFilters(t, filepath.Join(dir, "eapon1.pcap"), []string{"igmp.record_type == 4", "igmp.num_grp_recs == 1", "igmp.version == 3", "igmp.maddr == 239.255.255.250", "igmp.aux_data_len == 0"})
	compareFilters(t, filepath.Join(dir, "mrinfo_query.pcap"), []string{"igmp", "igmp.type", "igmp.version", "ip.proto == 2", "igmp contains 13", "igmp[0] == 0x13"})
	compareFilters(t, filepath.Join(dir, "mtrace.pcap"), []string{"igmp.mtrace.max_hops > 0", "igmp.mtrace.q_id", "igmp.version", "igmp.type == 0x1f"})
}
