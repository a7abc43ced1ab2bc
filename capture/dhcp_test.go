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
	compareFilters(t, filepath.Join(dir, "dhcp-rfc3004.pcap"), []string{"dhcp.option.dhcp == 1", "dhcp", "dhcp.option.type == 55", "dhcp.ip.your == 192.168.1.4",
		"bootp", "bootp.option.type == 53", "bootp.ip.your == 192.168.1.4 && !bootp.option.dhcp == 1"})
}

// TestRenamedProtocols: bootp and ssl are display filter names only; tshark
// -e refuses them, and so does the field registry (the fields output, Lua).
func TestRenamedProtocols(t *testing.T) {
	for _, name := range []string{"bootp.option.type", "ssl.handshake.type", "bootp", "ssl"} {
		if _, ok := Fields().Lookup(name); ok {
			t.Errorf("Fields().Lookup(%q) succeeded", name)
		}
		if _, err := Compile(name); err != nil {
			t.Errorf("Compile(%q): %v", name, err)
		}
	}
	for _, expr := range []string{"bootpx", "sslv3", "bootp.nonsense", "ssl.bogus == 1"} {
		if _, err := Compile(expr); err == nil {
			t.Errorf("Compile(%q) succeeded", expr)
		}
	}
}
