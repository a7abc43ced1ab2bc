package capture

import (
	"path/filepath"
	"testing"
)

// TestNTPMatchesTshark compares the NTP captures of tcpdump's suite (client
// and server messages, authenticated ones with a key ID and MAC, a
// crypto-NAK, control messages with read-status responses, private mode 7)
// line by line and field by field with tshark.
func TestNTPMatchesTshark(t *testing.T) {
	needTshark(t)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	fields := append([]string{"frame.protocols"}, protoFields("ntp")...)
	for _, name := range []string{"ntp.pcap", "ntp-time.pcap", "ntp-time-ef.pcap", "ntp-control.pcap", "ntp-mode7.pcap"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			skip := map[string]bool{}
			for _, p := range decodeFile(t, path) {
				// tshark's Info names a private message's request code
				// ("Request, AUTHINFO"), which wirelab does not decode.
				if ms := p.Strings("ntp.flags.mode"); len(ms) == 1 && ms[0] == "7" {
					skip[lineKey(p.Number, "line")] = true
				}
			}
			a := compareLive(t, path, fields, true, skip)
			if a.frames == 0 {
				t.Fatal("no frames")
			}
		})
	}
	compareFilters(t, filepath.Join(dir, "ntp.pcap"), []string{"ntp", "ntp.flags.mode == 3", "ntp.stratum == 2", "ntp.keyid", "ntp.mac", `ntp.refid == "STEP"`, "ntp.flags.li == 3", "ntp.rootdelay > 1000", "!ntp.keyid && ntp"})
	compareFilters(t, filepath.Join(dir, "ntp-control.pcap"), []string{"ntp.ctrl.flags2.r == 1", "ntp.ctrl.associd == 48829", "ntp.ctrl.status == 0x8011", "ntp.ctrl.flags2.more == 1", "ntp.ctrl.count > 100", "ntp.flags.li == 0"})
	compareFilters(t, filepath.Join(dir, "ntp-mode7.pcap"), []string{"ntp.flags.mode == 7", "ntp.flags.li", "ntp.stratum", "ntp.flags.vn == 2"})
}
