package capture

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// BER built by hand for the SNMP tests.

// berTLV is one BER element: a tag byte, a definite length (short or long
// form) and the contents.
func berTLV(tag byte, contents ...[]byte) []byte {
	var body []byte
	for _, c := range contents {
		body = append(body, c...)
	}
	b := []byte{tag}
	switch n := len(body); {
	case n < 0x80:
		b = append(b, byte(n))
	case n < 0x100:
		b = append(b, 0x81, byte(n))
	default:
		b = append(b, 0x82, byte(n>>8), byte(n))
	}
	return append(b, body...)
}

// berInt is an INTEGER (or an application type of that tag) in the fewest
// two's-complement bytes.
func berInt(tag byte, n int64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(n))
	for len(b) > 1 && (b[0] == 0 && b[1]&0x80 == 0 || b[0] == 0xff && b[1]&0x80 != 0) {
		b = b[1:]
	}
	return berTLV(tag, b)
}

// berUint is an unsigned application integer (Counter32, Gauge32,
// TimeTicks, Counter64): a leading zero byte when the top bit is set.
func berUint(tag byte, n uint64) []byte {
	b := make([]byte, 9)
	binary.BigEndian.PutUint64(b[1:], n)
	for len(b) > 1 && b[0] == 0 && b[1]&0x80 == 0 {
		b = b[1:]
	}
	return berTLV(tag, b)
}

// berOIDContents encodes a dotted OID.
func berOIDContents(s string) []byte {
	var ids []uint64
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			panic(err)
		}
		ids = append(ids, n)
	}
	ids = append([]uint64{ids[0]*40 + ids[1]}, ids[2:]...)
	var out []byte
	for _, id := range ids {
		tmp := []byte{byte(id & 0x7f)}
		for id >>= 7; id > 0; id >>= 7 {
			tmp = append([]byte{byte(id&0x7f) | 0x80}, tmp...)
		}
		out = append(out, tmp...)
	}
	return out
}

func berOID(s string) []byte { return berTLV(0x06, berOIDContents(s)) }
func berStr(s string) []byte { return berTLV(0x04, []byte(s)) }
func berNull() []byte        { return []byte{0x05, 0x00} }

// SNMP's application tags.
const (
	snmpTagIP        = 0x40
	snmpTagCounter   = 0x41
	snmpTagGauge     = 0x42
	snmpTagTicks     = 0x43
	snmpTagOpaque    = 0x44
	snmpTagNSAP      = 0x45
	snmpTagCounter64 = 0x46
	snmpTagU32       = 0x47
)

// snmpVB is a variable binding: an OID and an encoded value.
func snmpVB(oid string, value []byte) []byte { return berTLV(0x30, berOID(oid), value) }

// snmpMsg is a v1 (0), v2c (1) or v2u (2) message.
func snmpMsg(version int64, community string, pdu []byte) gopacket.Payload {
	return gopacket.Payload(berTLV(0x30, berInt(0x02, version), berStr(community), pdu))
}

// snmpPDU is a request or response PDU (tag 0xa0 + its type).
func snmpPDU(typ byte, reqID, errStatus, errIndex int64, vbs ...[]byte) []byte {
	return berTLV(0xa0+typ, berInt(0x02, reqID), berInt(0x02, errStatus), berInt(0x02, errIndex), berTLV(0x30, vbs...))
}

// snmpV3 is an SNMPv3 message with USM parameters; data is a scoped PDU
// or an encrypted one.
func snmpV3(msgID int64, flags byte, engine []byte, boots, engineTime int64, user string, auth, priv, data []byte) gopacket.Payload {
	usm := berTLV(0x30, berTLV(0x04, engine), berInt(0x02, boots), berInt(0x02, engineTime), berStr(user), berTLV(0x04, auth), berTLV(0x04, priv))
	return gopacket.Payload(berTLV(0x30, berInt(0x02, 3),
		berTLV(0x30, berInt(0x02, msgID), berInt(0x02, 65507), berTLV(0x04, []byte{flags}), berInt(0x02, 3)),
		berTLV(0x04, usm), data))
}

func snmpScoped(engine []byte, context string, pdu []byte) []byte {
	return berTLV(0x30, berTLV(0x04, engine), berStr(context), pdu)
}

func hexBytes(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		n, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			panic(err)
		}
		b[i] = byte(n)
	}
	return b
}

// snmpFrames is the capture the SNMP tests read: the manager 10.0.0.10 and
// the agent 10.0.0.80. cut gives frames cut short by the snapshot length:
// frame index -> bytes captured.
func snmpFrames(t testing.TB) (frames []genFrame, cut map[int]int) {
	const sysDescr, sysUpTime, sysName = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0"
	netSNMP := hexBytes("80001f88805ec2a1b2c3d4e5f6") // enterprise 8072, format 128, 8 bytes
	m := func(fromA bool, sp, dp uint16, pl gopacket.Payload) genFrame { return udpFrame(t, fromA, sp, dp, pl) }
	frames = []genFrame{
		// 1-2: a v2c get and its response, with a value of each type.
		m(true, 40000, 161, snmpMsg(1, "public", snmpPDU(0, 1, 0, 0, snmpVB(sysDescr, berNull())))),
		m(false, 161, 40000, snmpMsg(1, "public", snmpPDU(2, 1, 0, 0,
			snmpVB(sysDescr, berStr("Linux router 5.10")),
			snmpVB("1.3.6.1.2.1.1.7.0", berInt(0x02, 72)),
			snmpVB("1.3.6.1.2.1.1.2.0", berOID("1.3.6.1.4.1.8072.3.2.10")),
			snmpVB(sysUpTime, berUint(snmpTagTicks, 123456)),
			snmpVB("1.3.6.1.2.1.2.2.1.10.1", berUint(snmpTagCounter, 3000000000)),
			snmpVB("1.3.6.1.2.1.2.2.1.5.1", berUint(snmpTagGauge, 1000000000)),
			snmpVB("1.3.6.1.2.1.4.20.1.1.10.0.0.80", berTLV(snmpTagIP, []byte{10, 0, 0, 80})),
			snmpVB("1.3.6.1.2.1.1.9.1.2.1", berNull()),
			snmpVB("1.3.6.1.2.1.2.2.1.8.1", berInt(0x02, -5)),
			snmpVB("1.3.6.1.2.1.31.1.1.1.6.1", berUint(snmpTagCounter64, 1<<40+7)),
			snmpVB("1.3.6.1.4.1.2021.10.1.6.1", berTLV(snmpTagOpaque, hexBytes("9f78043e800000"))),
			snmpVB("1.3.6.1.2.1.4.34.1.3.2.16", berTLV(snmpTagIP, hexBytes("20010db8000000000000000000000080"))),
			snmpVB("1.3.6.1.2.1.1.4.0", berStr("")),
			snmpVB("1.3.6.1.4.1.9.9.1.0", berUint(snmpTagU32, 17)),
			snmpVB("1.3.6.1.4.1.9.9.2.0", berTLV(snmpTagNSAP, []byte{1, 2})),
			snmpVB("1.3.6.1.4.1.9.9.3.0", berTLV(0x02, []byte{1, 2, 3, 4, 5})), // too long for an Integer32
			snmpVB("1.3.6.1.4.1.9.9.4.0", berTLV(0x02, nil)),                   // an empty INTEGER
		))),
		// 3-4: a v1 get-next answered with an error (noSuchName at 1).
		m(true, 40001, 161, snmpMsg(0, "public", snmpPDU(1, 2, 0, 0, snmpVB("1.3.6.1.2.1.1", berNull())))),
		m(false, 161, 40001, snmpMsg(0, "public", snmpPDU(2, 2, 2, 1, snmpVB("1.3.6.1.2.1.1", berNull())))),
		// 5-6: a set, with the other community, and its answer.
		m(true, 40002, 161, snmpMsg(1, "private", snmpPDU(3, 3, 0, 0, snmpVB(sysName, berStr("core-sw1"))))),
		m(false, 161, 40002, snmpMsg(1, "private", snmpPDU(2, 3, 0, 0, snmpVB(sysName, berStr("core-sw1"))))),
		// 7: a getBulk (non-repeaters 1, max-repetitions 10).
		m(true, 40003, 161, snmpMsg(1, "public", snmpPDU(5, 4, 1, 10, snmpVB(sysUpTime, berNull()), snmpVB("1.3.6.1.2.1.2.2.1.2", berNull())))),
		// 8: a v1 trap (linkDown) to port 162.
		m(false, 40100, 162, snmpMsg(0, "public", berTLV(0xa4,
			berOID("1.3.6.1.4.1.9.1.1"), berTLV(snmpTagIP, []byte{10, 0, 0, 80}), berInt(0x02, 2), berInt(0x02, 0), berUint(snmpTagTicks, 5000),
			berTLV(0x30, snmpVB("1.3.6.1.2.1.2.2.1.1.2", berInt(0x02, 2)))))),
		// 9: a v2c trap (linkUp) to port 162.
		m(false, 40101, 162, snmpMsg(1, "public", snmpPDU(7, 77, 0, 0,
			snmpVB(sysUpTime, berUint(snmpTagTicks, 6000)),
			snmpVB("1.3.6.1.6.3.1.1.4.1.0", berOID("1.3.6.1.6.3.1.1.5.4"))))),
		// 10: garbage on port 161, not SNMP: a SEQUENCE longer than the datagram.
		m(true, 40004, 161, gopacket.Payload{0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u'}),
		// 11: a get whose PDU says it is longer than the message: malformed.
		m(true, 40005, 161, gopacket.Payload(berTLV(0x30, berInt(0x02, 1), berStr("public"), []byte{0xa0, 0x20, 0x02, 0x01, 0x07}))),
		// 12: the bulk's answer: noSuchObject, noSuchInstance, endOfMibView.
		m(false, 161, 40003, snmpMsg(1, "public", snmpPDU(2, 4, 0, 0,
			snmpVB(sysUpTime, berUint(snmpTagTicks, 0x80000000)),
			snmpVB("1.3.6.1.2.1.99.1.0", []byte{0x80, 0x00}),
			snmpVB("1.3.6.1.2.1.99.2.0", []byte{0x81, 0x00}),
			snmpVB("1.3.6.1.2.1.99.3.0", []byte{0x82, 0x00})))),
		// 13-14: an inform and its acknowledgement.
		m(false, 40102, 162, snmpMsg(1, "public", snmpPDU(6, 78, 0, 0, snmpVB(sysUpTime, berUint(snmpTagTicks, 7000))))),
		m(true, 162, 40102, snmpMsg(1, "public", snmpPDU(2, 78, 0, 0, snmpVB(sysUpTime, berUint(snmpTagTicks, 7000))))),
		// 15-17: a get sent twice, then answered: the answer names the second.
		m(true, 40006, 161, snmpMsg(1, "public", snmpPDU(0, 9, 0, 0, snmpVB(sysName, berNull())))),
		m(true, 40006, 161, snmpMsg(1, "public", snmpPDU(0, 9, 0, 0, snmpVB(sysName, berNull())))),
		m(false, 161, 40006, snmpMsg(1, "public", snmpPDU(2, 9, 0, 0, snmpVB(sysName, berStr("core\x01sw\xc3\xa9\tx"))))),
		// 18: a response no request asked for.
		m(false, 161, 40007, snmpMsg(1, "public", snmpPDU(2, 99, 5, 0, snmpVB(sysName, berNull())))),
		// 19: an unknown PDU type: Info is empty.
		m(true, 40008, 161, snmpMsg(1, "public", berTLV(0xa9, berInt(0x02, 1), berInt(0x02, 0), berInt(0x02, 0), berTLV(0x30)))),
		// 20: bytes after the message are data.
		m(true, 40009, 161, append(snmpMsg(1, "public", snmpPDU(0, 10, 0, 0, snmpVB(sysDescr, berNull()))), 1, 2, 3)),
		// 21: OIDs Wireshark names, an empty community, an OID too big.
		m(true, 40010, 161, snmpMsg(1, "", snmpPDU(0, 11, 0, 0,
			snmpVB("1.3.6.1.4.1.311.2.2.10.1", berNull()),
			snmpVB("1.3.6.1.5.5.7.3.1.5", berNull()),
			berTLV(0x30, berTLV(0x06, []byte{0x2b, 0x90, 0x80, 0x80, 0x80, 0x00}), berNull()),
			snmpVB("1.3.6.1.2.1.1.6.0", berNull())))),
		// 22-25: SNMPv3: discovery and its report, an encrypted get, an
		// authenticated one with a context.
		m(true, 40011, 161, snmpV3(100, 4, nil, 0, 0, "", nil, nil, snmpScoped(nil, "", snmpPDU(0, 200, 0, 0)))),
		m(false, 161, 40011, snmpV3(100, 0, netSNMP, 5, 1234, "", nil, nil,
			snmpScoped(netSNMP, "", snmpPDU(8, 200, 0, 0, snmpVB("1.3.6.1.6.3.15.1.1.4.0", berUint(snmpTagCounter, 7)))))),
		m(true, 40011, 161, snmpV3(101, 7, netSNMP, 5, 1235, "bob", []byte(strings.Repeat("\x11", 12)), []byte(strings.Repeat("\x22", 8)),
			berTLV(0x04, []byte(strings.Repeat("\x99", 40))))),
		m(true, 40012, 161, snmpV3(102, 5, hexBytes("800000090300aabbccddeeff"), 5, 1235, "alice", []byte(strings.Repeat("\x11", 12)), nil,
			snmpScoped(hexBytes("800000090300aabbccddeeff"), "vrf-a", snmpPDU(0, 300, 0, 0, snmpVB(sysDescr, berNull()))))),
		// 26-29: engine IDs of other formats: IPv4, text, octets, RFC 1910's.
		m(true, 40013, 161, snmpV3(103, 4, hexBytes("8000000901c0a80001"), 1, 2, "u", nil, nil, snmpScoped(hexBytes("800007e5046c61622d7231"), "", snmpPDU(1, 301, 0, 0)))),
		m(true, 40013, 161, snmpV3(104, 4, hexBytes("800007e5050102030405"), 1, 2, "u", nil, nil, snmpScoped(hexBytes("0000000900000000c0a80001"), "", snmpPDU(1, 302, 0, 0)))),
		m(true, 40013, 161, snmpV3(105, 4, hexBytes("80001f880800"), 1, 2, "u", nil, nil, snmpScoped(hexBytes("80001f888001020304"), "", snmpPDU(1, 303, 0, 0)))),
		m(true, 40013, 161, snmpV3(106, 4, hexBytes("8000000902fe800000000000000000000000000001"), 1, 2, "u", nil, nil, snmpScoped(nil, "", snmpPDU(1, 304, 0, 0)))),
		// 30: SNMPv2u.
		m(true, 40014, 161, snmpMsg(2, "params", snmpPDU(1, 12, 0, 0, snmpVB(sysName, berNull())))),
		// 31: port 8161 (Patrol's SNMP).
		m(true, 40015, 8161, snmpMsg(1, "public", snmpPDU(0, 13, 0, 0, snmpVB(sysDescr, berNull())))),
		// 32: a response cut short by the snapshot length.
		m(false, 161, 40000, snmpMsg(1, "public", snmpPDU(2, 1, 0, 0, snmpVB(sysDescr, berStr("Linux router 5.10")), snmpVB(sysUpTime, berUint(snmpTagTicks, 9))))),
	}
	return frames, map[int]int{len(frames) - 1: 14 + 20 + 8 + 40}
}

// snmpCapture writes snmpFrames.
func snmpCapture(t *testing.T) string {
	t.Helper()
	frames, cut := snmpFrames(t)
	b := make([]byte, 24, 8192)
	binary.LittleEndian.PutUint32(b[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(b[4:], 2)
	binary.LittleEndian.PutUint16(b[6:], 4)
	binary.LittleEndian.PutUint32(b[16:], 65535)
	binary.LittleEndian.PutUint32(b[20:], uint32(layers.LinkTypeEthernet))
	for i, fr := range frames {
		ts := t0.Add(time.Duration(i) * 1500 * time.Microsecond)
		n := len(fr.data)
		if c, ok := cut[i]; ok {
			n = c
		}
		var rec [16]byte
		binary.LittleEndian.PutUint32(rec[0:], uint32(ts.Unix()))
		binary.LittleEndian.PutUint32(rec[4:], uint32(ts.Nanosecond()/1000))
		binary.LittleEndian.PutUint32(rec[8:], uint32(n))
		binary.LittleEndian.PutUint32(rec[12:], uint32(len(fr.data)))
		b = append(append(b, rec[:]...), fr.data[:n]...)
	}
	path := filepath.Join(t.TempDir(), "snmp.pcap")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSNMPMatchesTshark compares SNMP field by field and line by line with
// tshark: the capture above (v1, v2c, v2u and v3 messages, every PDU type,
// each value type, requests paired with responses, traps on port 162,
// damaged messages) and tcpdump's snmp captures (two with lengths that
// overflow, one whose SNMP port carries no SNMP).
func TestSNMPMatchesTshark(t *testing.T) {
	needTshark(t)
	fields := append([]string{"frame.protocols", "data.data"}, protoFields("snmp")...)
	syn := snmpCapture(t)
	paths := []string{syn}
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, name := range []string{"snmp-heapoverflow-1.pcap", "snmp-heapoverflow-2.pcap", "ip-snmp-leftshift-unsigned.pcap"} {
		paths = append(paths, filepath.Join(dir, name))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if a := compareLive(t, path, fields, true, nil); a.frames == 0 {
				t.Fatal("no frames")
			}
		})
	}
	compareFilters(t, syn, []string{"snmp", `snmp.community == "public"`, `snmp.community == ""`, "snmp.data == 2",
		"snmp.name == 1.3.6.1.2.1.1.1.0", "snmp.name contains 1.3.6.1.2.1.2", "snmp.name > 1.3.6.1.4", "snmp.name[0:2] == 2b:06",
		"snmp.error_status != 0", "snmp.error_status == 2 && snmp.error_index == 1", "snmp.version == 0",
		"snmp.data == 4 && snmp.generic_trap == 2", "udp.port == 162 && snmp", "snmp.enterprise == 1.3.6.1.4.1.9.1.1",
		"snmp.agent_addr == 10.0.0.80", "snmp.non_repeaters == 1 && snmp.max_repetitions == 10",
		"snmp.value.timeticks > 100000", `snmp.value.octets contains "Linux"`, "snmp.value.oid == 1.3.6.1.6.3.1.1.5.4",
		"snmp.value.int < 0", "snmp.value.ipv4 == 10.0.0.0/8", "snmp.value.counter > 1000000", "snmp.noSuchObject || snmp.endOfMibView",
		"snmp.response_to", "snmp.response_to == 16", "snmp.time > 0.002", "snmp.response_in", `snmp.var-bind_str contains "core"`,
		"snmp.msgVersion == 3", `snmp.msgUserName == "bob"`, "snmp.v3.flags.crypt == 1", "snmp.engineid.enterprise == 8072",
		"snmp.msgSecurityModel == 3 && !snmp.name", "snmp && !snmp.data", "len(snmp.community) == 7", "snmp && data"})
}

// TestSNMPOIDNamesMatchTshark checks the OID names wirelab knows: each is a
// v1 trap's enterprise and, one arc deeper, a variable binding, whose names
// Info shows.
func TestSNMPOIDNamesMatchTshark(t *testing.T) {
	needTshark(t)
	var frames []genFrame
	for oid := range oidNames {
		frames = append(frames, udpFrame(t, false, 40100, 162, snmpMsg(0, "public", berTLV(0xa4,
			berOID(oid), berTLV(snmpTagIP, []byte{10, 0, 0, 80}), berInt(0x02, 6), berInt(0x02, 1), berUint(snmpTagTicks, 1),
			berTLV(0x30, snmpVB(oid, berNull()), snmpVB(oid+".7", berNull()))))))
	}
	path := filepath.Join(t.TempDir(), "snmp-oids.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, frames)
	if a := compareLive(t, path, []string{"snmp.enterprise"}, true, nil); a.sameLines != len(frames) {
		t.Errorf("%d of %d names as tshark", a.sameLines, len(frames))
	}
}

// TestSNMPDamagedNeverPanics decodes every prefix and every one-byte change
// of the capture's messages: the BER reading ends on its own bounds.
func TestSNMPDamagedNeverPanics(t *testing.T) {
	check := func(p *Packet) {
		t.Helper()
		if strings.HasPrefix(p.Malformed, "decoder failure") {
			t.Fatalf("frame %x: %s", p.Data, p.Malformed)
		}
		exercise(t, p)
	}
	frames, _ := snmpFrames(t)
	for _, fr := range frames {
		const hdr = 14 + 20 + 8
		for n := hdr + 1; n <= len(fr.data); n++ {
			d := NewDecoder()
			check(d.Decode(Frame{Data: fr.data[:n], LinkType: layers.LinkTypeEthernet, Info: gopacket.CaptureInfo{CaptureLength: n, Length: len(fr.data)}}))
		}
		for i := hdr; i < len(fr.data); i++ {
			for _, c := range []byte{0x00, 0x7f, 0x80, 0x84, 0xff} {
				b := append([]byte(nil), fr.data...)
				b[i] = c
				check(NewDecoder().Decode(Frame{Data: b, LinkType: layers.LinkTypeEthernet, Info: gopacket.CaptureInfo{CaptureLength: len(b), Length: len(b)}}))
			}
		}
	}
}
