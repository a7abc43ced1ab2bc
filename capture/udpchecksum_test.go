package capture

import (
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestUDPChecksumStatusMatchesTshark: udp.checksum.status and the Info
// column as tshark gives them without verifying: 2 for a checksum, 3 for
// none over IPv4, 4 ("[ILLEGAL CHECKSUM (0)]") for none over IPv6.
func TestUDPChecksumStatusMatchesTshark(t *testing.T) {
	needTshark(t)
	zero := func(fr genFrame, ipLen int) genFrame {
		fr.data[14+ipLen+6], fr.data[14+ipLen+7] = 0, 0
		return fr
	}
	v6 := func() genFrame {
		return genFrame{ser(t, eth(layers.EthernetTypeIPv6, macA, macB), ip6(ip6A, ip6B, layers.IPProtocolUDP),
			&layers.UDP{SrcPort: 40000, DstPort: 9999}, gopacket.Payload("hello")), layers.LinkTypeEthernet}
	}
	frames := []genFrame{
		udpFrame(t, true, 40000, 9999, gopacket.Payload("hello")),
		zero(udpFrame(t, true, 40000, 9999, gopacket.Payload("hello")), 20),
		v6(),
		zero(v6(), 40),
	}
	path := filepath.Join(t.TempDir(), "udpsum.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, frames)
	a := compareLive(t, path, []string{"udp.checksum", "udp.checksum.status"}, true, nil)
	if a.sameLines != a.frames || a.values != a.sameVals {
		t.Errorf("%d/%d lines, %d/%d values as tshark", a.sameLines, a.frames, a.sameVals, a.values)
	}
	compareLines(t, path, nil)
	exprs := []string{"udp.checksum.status == 2", "udp.checksum.status == 3", "udp.checksum.status == 4", "udp.checksum == 0"}
	if same := compareFilters(t, path, exprs); same != len(exprs) {
		t.Errorf("%d of %d filters select the frames tshark selects", same, len(exprs))
	}
}
