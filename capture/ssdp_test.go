package capture

import (
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestSSDPMatchesTshark compares UPnP discovery with tshark: the M-SEARCH
// requests of tcpdump's eapon1.pcap, and a capture the test writes (a
// search, a device's 200 answer from port 1900, NOTIFY alive and byebye, a
// datagram on 1900 that is not HTTP).
func TestSSDPMatchesTshark(t *testing.T) {
	needTshark(t)
	frames := []genFrame{
		udpFrame(t, true, 50000, 1900, gopacket.Payload("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\nUser-Agent: wirelab/1 UPnP/1.1\r\n\r\n")),
		udpFrame(t, false, 1900, 50000, gopacket.Payload("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: http://10.0.0.80:49152/desc.xml\r\nSERVER: Linux/5 UPnP/1.1 lab/1\r\nST: upnp:rootdevice\r\nContent-Length: 0\r\n\r\n")),
		udpFrame(t, false, 1900, 1900, gopacket.Payload("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nLOCATION: http://10.0.0.80:49152/desc.xml\r\n\r\n")),
		udpFrame(t, false, 1900, 1900, gopacket.Payload("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNTS: ssdp:byebye\r\n\r\n")),
		udpFrame(t, true, 50001, 1900, gopacket.Payload("\x00\x01 not http")),
	}
	syn := filepath.Join(t.TempDir(), "ssdp.pcap")
	writePcap(t, syn, layers.LinkTypeEthernet, frames)
	fields := append([]string{"frame.protocols", "ssdp"}, protoFields("http")...)
	for _, path := range []string{filepath.Join(corpusDir(t), "tcpdump-tests", "eapon1.pcap"), syn} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			// Frame 5 (not HTTP, on port 1900): tshark 4.0 leaves its bytes
			// undissected, with no data layer.
			skip := map[string]bool{}
			if filepath.Base(path) == "ssdp.pcap" {
				skip[lineKey(5, "frame.protocols")] = true
			}
			for _, p := range decodeFile(t, path) {
				if p.has&ssdpProto.bit == 0 && filepath.Base(path) == "eapon1.pcap" {
					skip[lineKey(p.Number, "line")] = true // other protocols: other tests
					skip[lineKey(p.Number, "frame.protocols")] = true
				}
			}
			compareLive(t, path, fields, true, skip)
		})
	}
	compareFilters(t, syn, []string{"ssdp", "http", `http.request.method == "NOTIFY"`, `http.request.method == "M-SEARCH"`,
		"http.response.code == 200", `http.location contains "desc.xml"`, `http.server contains "UPnP"`, "http.request", "udp.port == 1900 && !ssdp"})
}
