package capture

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestDamagedSIPAndTunnelsNeverPanic: every prefix of SIP messages and of
// tunnelled frames (GRE, ERSPAN, VXLAN from tcpdump's corpus), and each with
// single bytes changed, decode without a decoder failure.
func TestDamagedSIPAndTunnelsNeverPanic(t *testing.T) {
	var frames [][]byte
	for _, msg := range []string{sipRegister, sipInvite, sipRinging, sipInvite2, sipRegister2} {
		frames = append(frames, udpFrame(t, true, 5060, 5060, gopacket.Payload(msg)).data)
	}
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, name := range []string{"vxlan.pcap", "erspan-type-i-1.pcap", "various_gre.pcap", "gso-ipv4-vxlan-ipv6.pcap"} {
		for i, p := range decodeFile(t, filepath.Join(dir, name)) {
			if i < 40 && p.has&(greProto.bit|vxlanProto.bit) != 0 {
				frames = append(frames, p.Data)
			}
		}
	}
	if len(frames) < 10 {
		t.Fatalf("only %d frames to damage", len(frames))
	}
	check := func(b []byte, wire int) {
		t.Helper()
		p := NewDecoder().Decode(Frame{Data: b, LinkType: layers.LinkTypeEthernet, Info: gopacket.CaptureInfo{CaptureLength: len(b), Length: wire}})
		if strings.HasPrefix(p.Malformed, "decoder failure") {
			t.Fatalf("frame %x: %s", b, p.Malformed)
		}
		exercise(t, p)
	}
	for _, fr := range frames {
		for n := 15; n <= len(fr); n++ {
			check(fr[:n], len(fr))
		}
		for i := 14; i < len(fr) && i < 200; i++ {
			for _, c := range []byte{0x00, 0x20, 0x3a, 0x80, 0xff} {
				b := append([]byte(nil), fr...)
				b[i] = c
				check(b, len(b))
			}
		}
	}
}
