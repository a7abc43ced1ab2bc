package capture

import (
	"encoding/binary"
	"net"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// cdpTLV is one CDP TLV of type typ: its length is the value's plus 4,
// plus extra (negative: a length short of the value; past the PDU: a
// truncated TLV).
func cdpTLV(typ uint16, val []byte, extra ...int) []byte {
	n := len(val) + 4
	if len(extra) > 0 {
		n += extra[0]
	}
	b := binary.BigEndian.AppendUint16(nil, typ)
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	return append(b, val...)
}

// cdpPDUBytes is a CDP PDU with a correct checksum, computed as Cisco does
// (an odd last byte is the low byte of the last word, both bytes less one
// when its top bit is set), or a wrong one when bad.
func cdpPDUBytes(version, ttl byte, bad bool, tlvs ...[]byte) []byte {
	b := []byte{version, ttl, 0, 0}
	for _, t := range tlvs {
		b = append(b, t...)
	}
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		hi, lo := byte(0), b[len(b)-1]
		if lo&0x80 != 0 {
			hi, lo = hi-1, lo-1
		}
		sum += uint32(hi)<<8 | uint32(lo)
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	ck := ^uint16(sum)
	if bad {
		ck ^= 0x5a5a
	}
	binary.BigEndian.PutUint16(b[2:], ck)
	return b
}

// cdpFrame is an 802.3 frame to CDP's multicast address: LLC (DSAP and SSAP
// 0xaa, UI), SNAP (Cisco's OUI, protocol ID 0x2000), the PDU.
func cdpFrame(t testing.TB, src net.HardwareAddr, pdu []byte) genFrame {
	llc := []byte{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00}
	dst := net.HardwareAddr{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc}
	return genFrame{ser(t, &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: layers.EthernetTypeLLC},
		gopacket.Payload(append(llc, pdu...))), layers.LinkTypeEthernet}
}

// cdpFrames are the CDP announcements of a small lab: a version 1
// router, a version 2 switch (addresses of both families, cluster hello, VTP
// domain, native VLAN, duplex, management address, power), an IP phone
// (VoIP VLAN, power request, half duplex), a router with ODR prefixes and a
// TLV of a type Wireshark does not know; then the broken ones: a bad
// checksum, a TLV running past the PDU, a TLV of invalid length (data
// follows), addresses cut short, a port ID whose length is 3 short, and an
// odd-length PDU whose checksum needs Cisco's rule.
func cdpFrames(t testing.TB) []genFrame {
	u16 := func(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	ipv4 := func(ip net.IP) []byte { return append([]byte{0x01, 0x01, 0xcc, 0x00, 0x04}, ip.To4()...) }
	ipv6 := func(ip net.IP) []byte {
		return append([]byte{0x02, 0x08, 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd, 0x00, 0x10}, ip.To16()...)
	}
	addrs := func(list ...[]byte) []byte {
		b := u32(uint32(len(list)))
		for _, a := range list {
			b = append(b, a...)
		}
		return b
	}
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	s := func(v string) []byte { return []byte(v) }
	router, sw, phone := net.HardwareAddr{0x00, 0x1b, 0x54, 0x11, 0x22, 0x01}, net.HardwareAddr{0x00, 0x19, 0x06, 0xea, 0xb8, 0x85}, net.HardwareAddr{0x00, 0x1e, 0x4a, 0x33, 0x44, 0x55}
	cluster := cat([]byte{0x00, 0x00, 0x0c}, u16(0x0112), []byte{0, 0, 0, 0}, []byte{255, 255, 255, 255}, []byte{1, 2, 0x21, 0xff},
		make([]byte, 6), sw[:5], []byte{0x80, 0xff}, u16(1))
	return []genFrame{
		// 1: a version 1 router.
		cdpFrame(t, router, cdpPDUBytes(1, 180, false,
			cdpTLV(0x0001, s("router1.lab")),
			cdpTLV(0x0002, addrs(ipv4(net.IP{10, 0, 0, 1}))),
			cdpTLV(0x0003, s("Ethernet0")),
			cdpTLV(0x0004, u32(0x01)),
			cdpTLV(0x0005, s("Cisco Internetwork Operating System Software \nIOS (tm) 2500 Software (C2500-IS-L), Version 12.1(5), RELEASE SOFTWARE")),
			cdpTLV(0x0006, s("cisco 2500")))),
		// 2: a version 2 switch.
		cdpFrame(t, sw, cdpPDUBytes(2, 180, false,
			cdpTLV(0x0001, s("switch1.lab")),
			cdpTLV(0x0005, s("Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE4, RELEASE SOFTWARE (fc1)\nTechnical Support: http://www.cisco.com/techsupport\nCopyright (c) 1986-2013 by Cisco Systems, Inc.")),
			cdpTLV(0x0006, s("cisco WS-C2960-24TT-L")),
			cdpTLV(0x0002, addrs(ipv4(net.IP{192, 168, 1, 2}), ipv6(net.ParseIP("2001:db8::2")))),
			cdpTLV(0x0003, s("GigabitEthernet0/1")),
			cdpTLV(0x0004, u32(0x28)),
			cdpTLV(0x0008, cluster),
			cdpTLV(0x0009, s("LAB")),
			cdpTLV(0x000a, u16(1)),
			cdpTLV(0x000b, []byte{1}),
			cdpTLV(0x0012, []byte{0}),
			cdpTLV(0x0013, []byte{0}),
			cdpTLV(0x0016, addrs(ipv4(net.IP{192, 168, 1, 2}))),
			cdpTLV(0x001a, cat(u16(0), u16(1), u32(0), u32(0xffffffff))))),
		// 3: an IP phone behind the switch.
		cdpFrame(t, phone, cdpPDUBytes(2, 180, false,
			cdpTLV(0x0001, s("SEP001E4A334455")),
			cdpTLV(0x0002, addrs(ipv4(net.IP{192, 168, 10, 23}))),
			cdpTLV(0x0003, s("Port 1")),
			cdpTLV(0x0004, u32(0x490)),
			cdpTLV(0x0005, s("SCCP42.9-3-1SR1-1S")),
			cdpTLV(0x0006, s("Cisco IP Phone 7942")),
			cdpTLV(0x000f, cat([]byte{0x20}, u16(10))),
			cdpTLV(0x0010, u16(6300)),
			cdpTLV(0x000b, []byte{0}),
			cdpTLV(0x0019, cat(u16(1), u16(1), u32(6300), u32(15400))),
			cdpTLV(0x001f, []byte{0x05}),
			cdpTLV(0x0011, u32(1500)),
			cdpTLV(0x0014, s("phone-lab-3")),
			cdpTLV(0x0017, cat([]byte{0}, s("room 101"))))),
		// 4: a router with ODR prefixes, a gateway and an unknown TLV.
		cdpFrame(t, router, cdpPDUBytes(2, 120, false,
			cdpTLV(0x0001, s("router2.lab")),
			cdpTLV(0x0003, s("Serial0/0")),
			cdpTLV(0x0004, u32(0x01)),
			cdpTLV(0x0007, cat([]byte{10, 1, 0, 0, 16}, []byte{10, 2, 3, 0, 24})),
			cdpTLV(0x0007, []byte{10, 9, 9, 1}),
			cdpTLV(0x0099, s("vendor data")),
			cdpTLV(0x000a, u16(20)))),
		// 5: a bad checksum.
		cdpFrame(t, sw, cdpPDUBytes(2, 180, true,
			cdpTLV(0x0001, s("switch2.lab")),
			cdpTLV(0x0003, s("GigabitEthernet0/2")),
			cdpTLV(0x0004, u32(0x29)),
			cdpTLV(0x000a, u16(1)))),
		// 6: a platform TLV whose length runs past the PDU.
		cdpFrame(t, sw, cdpPDUBytes(2, 180, false,
			cdpTLV(0x0001, s("switch3.lab")),
			cdpTLV(0x0003, s("FastEthernet0/3")),
			cdpTLV(0x0006, s("cisco WS-C3560"), 40))),
		// 7: a TLV of invalid length (2): what follows is data.
		cdpFrame(t, sw, cdpPDUBytes(2, 180, false,
			cdpTLV(0x0001, s("switch4.lab")),
			cdpTLV(0x0004, nil, -2),
			cdpTLV(0x0003, s("FastEthernet0/4")))),
		// 8: addresses: three announced, one and a half there.
		cdpFrame(t, router, cdpPDUBytes(2, 180, false,
			cdpTLV(0x0001, s("router3.lab")),
			cdpTLV(0x0002, cat(u32(3), ipv4(net.IP{172, 16, 0, 1}), []byte{0x01, 0x01, 0xcc, 0x00, 0x04, 172, 16})),
			cdpTLV(0x0003, s("GigabitEthernet0/0")))),
		// 9: a port ID whose length is 3 short (Wireshark's guess takes 3 more bytes).
		cdpFrame(t, sw, cdpPDUBytes(2, 180, false,
			cdpTLV(0x0001, s("switch5.lab")),
			cdpTLV(0x0003, s("GigabitEthernet0/10"), -3))),
		// 10: an odd-length PDU whose last byte has its top bit set.
		cdpFrame(t, router, cdpPDUBytes(1, 60, false,
			cdpTLV(0x0001, s("r4")),
			cdpTLV(0x0003, s("Ethernet10")),
			cdpTLV(0x0066, []byte{0x9a}))),
		// 11: a version 1 announcement with nothing but its header.
		cdpFrame(t, router, cdpPDUBytes(1, 180, false)),
	}
}

// cdpCapture writes cdpFrames to a capture file.
func cdpCapture(t testing.TB) string {
	path := filepath.Join(t.TempDir(), "cdp.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, cdpFrames(t))
	return path
}

// TestCDPMatchesTshark compares the CDP announcements of tcpdump's suite (a
// Catalyst 3560's, and two switches' beside their LLDPDUs) and a capture of
// the cases above field by field and line by line with tshark: LLC's
// fields, every CDP field, what CDP leaves to data.
func TestCDPMatchesTshark(t *testing.T) {
	needTshark(t)
	dir := filepath.Join(corpusDir(t), "tcpdump-tests")
	fields := append(append(append([]string{"frame.protocols", "eth.len"}, protoFields("llc")...), protoFields("cdp")...), "data.len", "data.data")
	syn := cdpCapture(t)
	for _, path := range []string{filepath.Join(dir, "3560_CDP.pcap"), filepath.Join(dir, "LLDP_and_CDP.pcap"), syn} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			n := 0
			for _, p := range decodeFile(t, path) {
				if p.has&cdpProto.bit != 0 {
					n++
				}
			}
			if n == 0 {
				t.Fatal("no CDP frames")
			}
			compareLive(t, path, fields, true, nil)
		})
	}
	compareFilters(t, syn, []string{"cdp", `cdp.deviceid contains "switch"`, `cdp.portid == "GigabitEthernet0/1"`, "cdp.native_vlan == 1",
		"cdp.capabilities.router == 1", "cdp.capabilities.switch == 1 && cdp.capabilities.igmp_capable == 1", "cdp.version == 1",
		"cdp.checksum.status == 0", "cdp.duplex == 0", "cdp.nrgyz.ip_address == 192.168.1.2", "cdp.nrgyz.ipv6_address == 2001:db8::2",
		`cdp.platform contains "2960"`, `cdp.software_version contains "15.0"`, "cdp.voice_vlan == 10", "cdp.tlv.type == 0x0099",
		"cdp && data", "cdp.ttl < 180", "llc.cisco_pid == 0x2000 && !cdp.portid", "cdp.power_requested > 10000", `cdp.vtp_management_domain == "LAB"`})
	compareFilters(t, filepath.Join(dir, "3560_CDP.pcap"), []string{"cdp", `cdp.deviceid == "Switch"`, "cdp.capabilities.switch == 1",
		"cdp.cluster.switch_mac == 00:19:06:ea:b8:80", "cdp.native_vlan == 1", "cdp.duplex == 1", "cdp.nrgyz.ip_address == 192.168.0.1"})
}
