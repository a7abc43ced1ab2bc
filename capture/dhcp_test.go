package capture

import (
	"path/filepath"
	"testing"
)

// TestDHCPMatchesTshark compares DHCP captures of tcpdump's suite (Discover,
// Offer, Request, ACK with their options) line by line and field by field
// with tshark.
func TestDHCPMatchesTshark(t *testing.T) {
	needTshark(t)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	fields := append([]string{"frame.protocols"}, protoFields("dhcp")...)
	for _, name := range []string{"dhcp-rfc3004.pcap", "dhcp-rfc5859.pcap", "dhcp-option-33.pcap", "dhcp-mud.pcap", "dhcp-option-108.pcapng", "dhcp-rfc4388.pcap"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			// tshark names the vendor of a MAC address in its ARP lines.
			skip := map[string]bool{}
			// tshark names the vendor of a MAC address (ARP, BOOTP's Info) and
			// decodes the header an ICMP error quotes (frame.protocols).
			for _, p := range decodeFile(t, path) {
				if p.Strings("arp") != nil || p.Strings("dhcp.option.dhcp") == nil {
					skip[lineKey(p.Number, "line")] = true
				}
				if p.Strings("icmp") != nil {
					skip[lineKey(p.Number, "frame.protocols")] = true
				}
			}
			compareLive(t, path, fields, true, skip)
		})
	}
	compareFilters(t, filepath.Join(dir, "dhcp-rfc3004.pcap"), []string{"dhcp.option.dhcp == 1", "dhcp", "dhcp.option.type == 55", "dhcp.ip.your == 192.168.1.4"})
}
