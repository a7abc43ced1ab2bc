package capture

import (
	"path/filepath"
	"testing"
)

// TestIPFragmentFieldsMatchTshark compares the fragment fields of IPv4
// fragments with tshark: ip.frag_offset is in the header's 8-byte units for
// -T fields and filters alike (tshark's detail view alone shows bytes).
// afs.pcap holds UDP datagrams of 5700 bytes sent in four fragments.
func TestIPFragmentFieldsMatchTshark(t *testing.T) {
	needTshark(t)
	path := filepath.Join(corpusDir(t), "tcpdump-tests", "afs.pcap")
	a := compareLive(t, path, []string{"ip.frag_offset", "ip.flags", "ip.flags.mf", "ip.flags.df", "ip.id", "ip.len"}, false, nil)
	if a.values != a.sameVals {
		t.Errorf("%d of %d values identical", a.sameVals, a.values)
	}
	exprs := []string{"ip.frag_offset > 0", "ip.frag_offset == 185", "ip.frag_offset > 200 && ip.frag_offset < 1000",
		"ip.flags.mf == 1", "ip.frag_offset == 1480"}
	if same := compareFilters(t, path, exprs); same != len(exprs) {
		t.Errorf("%d of %d filters select the frames tshark selects", same, len(exprs))
	}
}
