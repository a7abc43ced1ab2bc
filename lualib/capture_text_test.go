package lualib

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// TestCaptureTextValues checks what a script reads of a string field whose
// bytes are not ASCII: tshark's value (ENC_ASCII: each byte 0x80-0xff
// U+FFFD, cut at a NUL), while p.payload keeps the raw bytes
// (docs/lua-api.md).
func TestCaptureTextValues(t *testing.T) {
	lab := t.TempDir()
	req := "GET /x HTTP/1.1\r\nHost: lab.example\r\nUser-Agent: a\x80b\x00c\r\n\r\n"
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{10, 0, 0, 10}, DstIP: net.IP{10, 0, 0, 80}}
	tcp := &layers.TCP{SrcPort: 51000, DstPort: 80, Seq: 1, Ack: 1, PSH: true, ACK: true, Window: 512}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(req)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(lab, "ua.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(data), Length: len(data)}, data); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s, err := NewState(&Env{LabDir: lab})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.DoString(`
		for p in assert(capture.open("ua.pcap")):packets("http") do
			assert(p["http.user_agent"] == "a\239\191\189b", p["http.user_agent"])
			assert(p:matches('http.user_agent == "a\\xef\\xbf\\xbdb"'))
			assert(p.payload:find("a\128b\0c", 1, true))
			n = (n or 0) + 1
		end
		assert(n == 1, n)
	`, "text.lua")
	if err != nil {
		t.Fatal(err)
	}
}
