package capture

import (
	"path/filepath"
	"testing"
)

// TestRecognisedProtocolsMatchTshark compares frame.protocols, data and the
// recognised protocols' presence filters with tshark on captures of protocols
// wirelab does not decode: ESP, OSPF (v2 and v3, on IPv6), BFD, BGP, PTP
// and NHRP (an EtherType, a GRE type).
func TestRecognisedProtocolsMatchTshark(t *testing.T) {
	needTshark(t)
	for _, c := range []struct {
		file  string
		exprs []string
	}{
		{"02-sunrise-sunset-esp.pcap", []string{"esp", "data", "ip", "esp && !data"}},
		{"OSPFv2_Capture_FINAL.pcapng", []string{"ospf", "data", "ospf && ip.dst == 224.0.0.5"}},
		{"OSPFv3_broadcast_adjacency.pcap", []string{"ospf", "ipv6 && ospf", "data"}},
		{"bfd-multihop.pcap", []string{"bfd", "udp", "data"}},
		{"bgp-4byte-asn.pcap", []string{"bgp", "tcp.len > 0 && !bgp", "data"}},
		{"ptp_ethernet.pcap", []string{"ptp", "eth", "data"}},
		{"nhrp.pcapng", []string{"nhrp", "gre", "data"}},
	} {
		path := filepath.Join(corpusDir(t), "tcpdump-tests", c.file)
		a := compareLive(t, path, []string{"frame.protocols", "data.len", "data.data"}, false, nil)
		if a.values != a.sameVals {
			t.Errorf("%s: %d of %d values as tshark", c.file, a.sameVals, a.values)
		}
		if same := compareFilters(t, path, c.exprs); same != len(c.exprs) {
			t.Errorf("%s: %d of %d filters select the frames tshark selects", c.file, same, len(c.exprs))
		}
	}
}
