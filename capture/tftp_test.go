package capture

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// tftpMsg is a TFTP message: the opcode, then its parts, each a string
// followed by a zero byte, or raw bytes.
func tftpMsg(op uint16, parts ...any) gopacket.Payload {
	b := []byte{byte(op >> 8), byte(op)}
	for _, x := range parts {
		switch v := x.(type) {
		case string:
			b = append(append(b, v...), 0)
		case uint16:
			b = append(b, byte(v>>8), byte(v))
		case []byte:
			b = append(b, v...)
		}
	}
	return gopacket.Payload(b)
}

// tftpCapture writes a capture of TFTP transfers between 10.0.0.10 (the
// client) and 10.0.0.80: a read with options granted by an OACK and a
// bigger block size, a write, a read of a missing file, a DATA packet sent
// to port 69, an unknown opcode in a transfer, a request cut short, and a
// stranger's packet from the server's transfer port to another client port,
// and a transfer whose block numbers wrap past 65535.
func tftpCapture(t *testing.T) string {
	t.Helper()
	block := func(n int) []byte { return bytes.Repeat([]byte{'x'}, n) }
	frames := []genFrame{
		udpFrame(t, true, 40000, 69, tftpMsg(tftpRRQ, "boot.img", "octet", "blksize", "1024", "tsize", "0")),
		udpFrame(t, false, 50000, 40000, tftpMsg(tftpOACK, "blksize", "1024", "tsize", "3000")),
		udpFrame(t, true, 40000, 50000, tftpMsg(tftpAck, uint16(0))),
		udpFrame(t, false, 50000, 40000, tftpMsg(tftpData, uint16(1), block(1024))),
		udpFrame(t, true, 40000, 50000, tftpMsg(tftpAck, uint16(1))),
		udpFrame(t, false, 50000, 40000, tftpMsg(tftpData, uint16(2), block(1024))),
		udpFrame(t, false, 50000, 40000, tftpMsg(tftpData, uint16(2), block(1024))), // a retransmission
		udpFrame(t, true, 40000, 50000, tftpMsg(tftpAck, uint16(2))),
		udpFrame(t, false, 50000, 40000, tftpMsg(tftpData, uint16(3), block(952))),
		udpFrame(t, true, 40000, 50000, tftpMsg(tftpAck, uint16(3))),
		udpFrame(t, true, 40001, 69, tftpMsg(tftpWRQ, "upload.txt", "netascii")),
		udpFrame(t, false, 50001, 40001, tftpMsg(tftpAck, uint16(0))),
		udpFrame(t, true, 40001, 50001, tftpMsg(tftpData, uint16(1), []byte("hello\r\n"))),
		udpFrame(t, false, 50001, 40001, tftpMsg(tftpAck, uint16(1))),
		udpFrame(t, true, 40002, 69, tftpMsg(tftpRRQ, "missing", "octet")),
		udpFrame(t, false, 50002, 40002, tftpMsg(tftpError, uint16(1), "File not found")),
		udpFrame(t, false, 50002, 40002, tftpMsg(tftpError, uint16(12), "odd")),
		udpFrame(t, true, 40003, 69, tftpMsg(tftpData, uint16(1), []byte("stray"))),
		udpFrame(t, false, 50000, 40000, tftpMsg(9, []byte{1, 2, 3})),
		udpFrame(t, true, 40004, 69, tftpMsg(tftpRRQ, []byte("cut"))),
		udpFrame(t, false, 50000, 40009, tftpMsg(tftpAck, uint16(7))),
		// Block numbers that wrap: 65535, then 0 (65536), then 1 (65537).
		udpFrame(t, true, 40005, 69, tftpMsg(tftpRRQ, "big.iso", "octet")),
		udpFrame(t, false, 50005, 40005, tftpMsg(tftpData, uint16(65535), block(512))),
		udpFrame(t, false, 50005, 40005, tftpMsg(tftpData, uint16(0), block(512))),
		udpFrame(t, true, 40005, 50005, tftpMsg(tftpAck, uint16(0))),
		udpFrame(t, false, 50005, 40005, tftpMsg(tftpData, uint16(1), block(10))),
	}
	path := filepath.Join(t.TempDir(), "tftp-transfers.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, frames)
	return path
}

// TestTFTPMatchesTshark compares TFTP transfers field by field and line by
// line with tshark: tcpdump's tftp captures (a read of three blocks, a
// malformed request) and a capture of the cases above.
func TestTFTPMatchesTshark(t *testing.T) {
	needTshark(t)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	fields := append([]string{"frame.protocols", "data.len"}, protoFields("tftp")...)
	syn := tftpCapture(t)
	// Frame 20, a request whose file name has no zero byte, is malformed:
	// tshark's Info ends "[Malformed Packet]", which wirelab does not write.
	// (tcpdump's tftp-heapoverflow.pcap is left out: its Linux cooked header
	// names a 12,336-byte address, which the link layer refuses.)
	for path, skip := range map[string]map[string]bool{filepath.Join(dir, "tftp.pcap"): nil, syn: {lineKey(20, "line"): true}} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if a := compareLive(t, path, fields, true, skip); a.frames == 0 {
				t.Fatal("no frames")
			}
		})
	}
	compareFilters(t, syn, []string{"tftp", "tftp.opcode == 3", `tftp.source_file == "boot.img"`, `tftp.destination_file == "boot.img"`,
		"tftp.request_frame == 11", "tftp.block == 2", "tftp.block.full == 3", `tftp.option.name == "blksize"`, `tftp.option.value == "3000"`,
		"tftp.error.code == 1", `tftp.error.message contains "found"`, `tftp.type == "netascii"`, "tftp.data", "tftp && data", "data.len == 952", "udp && !tftp",
		"tftp.block.full > 65535", "tftp.block.full == 65535"})
}
