package capture

import (
	"unicode"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// CDP (the Cisco Discovery Protocol, versions 1 and 2: LLC SNAP with Cisco's
// OUI and protocol ID 0x2000), as Wireshark's cdp dissector shows it: the
// version, time to live and checksum (CDP's odd-length quirk included), then
// the TLVs: device ID, addresses, port ID, capabilities, software version
// (one field a line), platform, IP prefixes or the ODR gateway, the cluster
// management hello, VTP domain, native VLAN, duplex, VoIP VLAN, power, MTU,
// trust and CoS, system name and OID, management addresses, location, power
// requested and available, spare pair PoE and HP's TLVs (shown as platform,
// as Wireshark does); other types are data. EnergyWise's TLV has no fields
// here. Info is "Device ID: X  Port ID: Y  " in TLV order.
//
// Wireshark reads each TLV's values at fixed offsets from the TLV, so a TLV
// shorter than its values reads the next TLV's bytes, and a read past the
// end of the PDU ends the dissection ("[Malformed Packet]"). cdpWalk repeats
// that walk, every read bounded by the PDU.
var cdpProto = protocol{
	name: "cdp", title: "CDP", desc: "Cisco Discovery Protocol", example: "cdp",
	info: func(p *Packet) (string, string) { return "CDP", p.cdpInfo() },
	chain: func(p *Packet, b []byte) []byte {
		if p.cdpInGRE() {
			return b // named by GRE's chain, after it
		}
		return appendProto(b, "cdp")
	},
	fields: []field{
		{name: "cdp.version", typ: filter.Uint, bits: 8, desc: "CDP version: 1 or 2", example: "cdp.version == 2",
			get: cdpGet(cdpVersion)},
		{name: "cdp.ttl", typ: filter.Uint, bits: 8, named: true, desc: "Time to live: how long a neighbour keeps this announcement, in seconds", example: "cdp.ttl == 180",
			get: cdpGet(cdpTTL)},
		{name: "cdp.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "Checksum of the PDU", example: "cdp.checksum == 0xb0bd",
			get: cdpGet(cdpChecksum)},
		{name: "cdp.checksum.status", typ: filter.Uint, bits: 8, named: true, desc: "Checksum status: 1 good, 0 bad", example: "cdp.checksum.status == 0",
			get: cdpGet(cdpChecksumStatus)},
		{name: "cdp.tlv.type", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "TLV type: 0x0001 device ID, 0x0002 addresses, 0x0003 port ID, 0x0004 capabilities, 0x0005 software version, 0x0006 platform, 0x000a native VLAN, 0x000b duplex, 0x0016 management address", example: "cdp.tlv.type == 0x000a",
			get: cdpGet(cdpTLVType)},
		{name: "cdp.tlv.len", typ: filter.Uint, bits: 16, desc: "TLV length, its type and length included", example: "cdp.tlv.len > 100",
			get: cdpGet(cdpTLVLen)},
		{name: "cdp.deviceid", typ: filter.String, desc: "Device ID: the sender's host name (or serial number)", example: `cdp.deviceid contains "switch"`,
			get: cdpGet(cdpDeviceID)},
		{name: "cdp.portid", typ: filter.String, desc: "Port ID: the interface the announcement was sent through", example: `cdp.portid == "GigabitEthernet0/1"`,
			get: cdpGet(cdpPortID)},
		{name: "cdp.platform", typ: filter.String, desc: "Platform: the hardware model (also HP's BSSID, serial, SSID, channel and port TLVs)", example: `cdp.platform contains "WS-C3560"`,
			get: cdpGet(cdpPlatform)},
		{name: "cdp.software_version", typ: filter.String, desc: "Software version, one occurrence a line (escaped as Wireshark shows it)", example: `cdp.software_version contains "12.2"`,
			get: cdpGet(cdpSoftware)},
		{name: "cdp.number_of_addresses", typ: filter.Uint, bits: 32, desc: "Number of addresses in an addresses or management address TLV", example: "cdp.number_of_addresses > 1",
			get: cdpGet(cdpAddrCount)},
		{name: "cdp.protocol_type", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "An address's protocol type: 0x01 NLPID, 0x02 802.2", example: "cdp.protocol_type == 0x01",
			get: cdpGet(cdpProtoType)},
		{name: "cdp.protocol_length", typ: filter.Uint, bits: 8, desc: "Length of an address's protocol", example: "cdp.protocol_length == 8",
			get: cdpGet(cdpProtoLen)},
		{name: "cdp.protocol", typ: filter.Bytes, desc: "An address's protocol: cc (NLPID IP), aa:aa:03:00:00:00:86:dd (IPv6)", example: "cdp.protocol == cc",
			get: cdpGet(cdpProtocol)},
		{name: "cdp.address_length", typ: filter.Uint, bits: 16, desc: "Length of an address", example: "cdp.address_length == 16",
			get: cdpGet(cdpAddrLen)},
		{name: "cdp.nrgyz.ip_address", typ: filter.IPv4, desc: "An IPv4 address of an addresses or management address TLV (Wireshark's name)", example: "cdp.nrgyz.ip_address == 192.168.0.1",
			get: cdpGet(cdpIPv4)},
		{name: "cdp.nrgyz.ipv6_address", typ: filter.IPv6, desc: "An IPv6 address of an addresses or management address TLV", example: "cdp.nrgyz.ipv6_address == 2001:db8::1",
			get: cdpGet(cdpIPv6)},
		{name: "cdp.address", typ: filter.Bytes, desc: "An address of another protocol (or cut short), as bytes", example: "cdp.address",
			get: cdpGet(cdpAddress)},
		{name: "cdp.capabilities", typ: filter.Uint, bits: 32, hex: 8, desc: "Capabilities bit map", example: "cdp.capabilities & 0x08",
			get: cdpGet(cdpCaps)},
		{name: "cdp.odr_default_gateway", typ: filter.IPv4, desc: "ODR default gateway (an IP prefix TLV of length 8)", example: "cdp.odr_default_gateway == 10.0.0.1",
			get: cdpGet(cdpGateway)},
		{name: "cdp.ip_prefix", typ: filter.IPv4, desc: "An ODR IP prefix, its bytes reversed as Wireshark 4.0 shows them (10.0.1.0 is 0.1.0.10)", example: "cdp.ip_prefix",
			get: cdpGet(cdpPrefix)},
		{name: "cdp.oui", typ: filter.Uint, bits: 24, desc: "Organization code of a protocol hello (12: Cisco)", example: "cdp.oui == 12",
			get: cdpGet(cdpOUI)},
		{name: "cdp.protocol_id", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "Protocol of a protocol hello: 0x0112 cluster management", example: "cdp.protocol_id == 0x0112",
			get: cdpGet(cdpProtoID)},
		{name: "cdp.cluster.master_ip", typ: filter.IPv4, desc: "Cluster management: the cluster master's IP address", example: "cdp.cluster.master_ip == 0.0.0.0",
			get: cdpGet(cdpClusterMaster)},
		{name: "cdp.cluster.ip", typ: filter.IPv4, desc: "Cluster management: an IP address of unknown meaning", example: "cdp.cluster.ip == 255.255.255.255",
			get: cdpGet(cdpClusterIP)},
		{name: "cdp.cluster.version", typ: filter.Uint, bits: 8, hex: 2, desc: "Cluster management: version", example: "cdp.cluster.version == 0x01",
			get: cdpGet(cdpClusterVersion)},
		{name: "cdp.cluster.sub_version", typ: filter.Uint, bits: 8, hex: 2, desc: "Cluster management: sub-version", example: "cdp.cluster.sub_version == 0x02",
			get: cdpGet(cdpClusterSubVersion)},
		{name: "cdp.cluster.status", typ: filter.Uint, bits: 8, hex: 2, desc: "Cluster management: status", example: "cdp.cluster.status == 0x21",
			get: cdpGet(cdpClusterStatus)},
		{name: "cdp.cluster.unknown", typ: filter.Uint, bits: 8, hex: 2, desc: "Cluster management: the two bytes of unknown meaning", example: "cdp.cluster.unknown == 0xff",
			get: cdpGet(cdpClusterUnknown)},
		{name: "cdp.cluster.commander_mac", typ: filter.Ether, desc: "Cluster management: the cluster commander's MAC address", example: "cdp.cluster.commander_mac == 00:00:00:00:00:00",
			get: cdpGet(cdpClusterCommander)},
		{name: "cdp.cluster.switch_mac", typ: filter.Ether, desc: "Cluster management: the switch's MAC address", example: "cdp.cluster.switch_mac == 00:19:06:ea:b8:80",
			get: cdpGet(cdpClusterSwitch)},
		{name: "cdp.cluster.management_vlan", typ: filter.Uint, bits: 16, desc: "Cluster management: the management VLAN", example: "cdp.cluster.management_vlan == 1",
			get: cdpGet(cdpClusterVLAN)},
		{name: "cdp.hello.unknown", typ: filter.Bytes, desc: "A protocol hello of another protocol, as bytes", example: "cdp.hello.unknown",
			get: cdpGet(cdpHelloUnknown)},
		{name: "cdp.vtp_management_domain", typ: filter.String, desc: "VTP management domain", example: `cdp.vtp_management_domain == "Lab"`,
			get: cdpGet(cdpVTP)},
		{name: "cdp.native_vlan", typ: filter.Uint, bits: 16, desc: "Native (untagged) VLAN of the port", example: "cdp.native_vlan == 1",
			get: cdpGet(cdpNativeVLAN)},
		{name: "cdp.duplex", typ: filter.Bool, named: true, desc: "Duplex: 1 full, 0 half", example: "cdp.duplex == 0",
			get: cdpGet(cdpDuplex)},
		{name: "cdp.data", typ: filter.Bytes, desc: "Data of a TLV of another type (and of a VoIP VLAN TLV)", example: "cdp.data",
			get: cdpGet(cdpData)},
		{name: "cdp.voice_vlan", typ: filter.Uint, bits: 16, desc: "Voice VLAN of a VoIP VLAN reply or query", example: "cdp.voice_vlan == 100",
			get: cdpGet(cdpVoiceVLAN)},
		{name: "cdp.power_consumption", typ: filter.Uint, bits: 16, named: true, desc: "Power consumption, in milliwatts", example: "cdp.power_consumption > 5000",
			get: cdpGet(cdpPower)},
		{name: "cdp.mtu", typ: filter.Uint, bits: 32, desc: "MTU of the port", example: "cdp.mtu == 1500",
			get: cdpGet(cdpMTU)},
		{name: "cdp.trust_bitmap", typ: filter.Uint, bits: 8, hex: 2, desc: "Trust bitmap (extended trust of a phone's port)", example: "cdp.trust_bitmap == 0x00",
			get: cdpGet(cdpTrust)},
		{name: "cdp.untrusted_port_cos", typ: filter.Uint, bits: 8, hex: 2, desc: "CoS of an untrusted port", example: "cdp.untrusted_port_cos == 0x00",
			get: cdpGet(cdpCoS)},
		{name: "cdp.system_name", typ: filter.String, desc: "System name", example: `cdp.system_name == "sw1"`,
			get: cdpGet(cdpSysName)},
		{name: "cdp.system_object_identifier", typ: filter.Bytes, desc: "System object identifier (an encoded OID), as bytes", example: "cdp.system_object_identifier",
			get: cdpGet(cdpSysOID)},
		{name: "cdp.location.unknown", typ: filter.Uint, bits: 8, hex: 2, desc: "The location TLV's first byte", example: "cdp.location.unknown == 0x00",
			get: cdpGet(cdpLocationUnknown)},
		{name: "cdp.location", typ: filter.String, desc: "Location", example: `cdp.location contains "room"`,
			get: cdpGet(cdpLocation)},
		{name: "cdp.request_id", typ: filter.Uint, bits: 16, desc: "Request ID of a power requested or available TLV", example: "cdp.request_id == 0",
			get: cdpGet(cdpRequestID)},
		{name: "cdp.management_id", typ: filter.Uint, bits: 16, desc: "Management ID of a power requested or available TLV", example: "cdp.management_id == 1",
			get: cdpGet(cdpManagementID)},
		{name: "cdp.power_requested", typ: filter.Uint, bits: 32, named: true, desc: "Power requested, in milliwatts (each level)", example: "cdp.power_requested > 0",
			get: cdpGet(cdpPowerRequested)},
		{name: "cdp.power_available", typ: filter.Uint, bits: 32, named: true, desc: "Power available, in milliwatts (each level)", example: "cdp.power_available > 0",
			get: cdpGet(cdpPowerAvailable)},
		{name: "cdp.spare_poe_tlv", typ: filter.Uint, bits: 8, hex: 2, desc: "Spare pair PoE bits", example: "cdp.spare_poe_tlv == 0x01",
			get: cdpGet(cdpSparePoE)},
	},
}

func init() {
	caps := []struct{ name, desc string }{
		{"router", "router"}, {"trans_bridge", "transparent bridge"}, {"src_bridge", "source route bridge"}, {"switch", "switch"},
		{"host", "host"}, {"igmp_capable", "IGMP capable"}, {"repeater", "repeater"}, {"voip_phone", "VoIP phone"},
		{"remote", "remotely managed device"}, {"cvta", "CVTA, STP dispute resolution or Cisco VT camera"}, {"mac_relay", "two port MAC relay"},
	}
	for i, c := range caps {
		cdpProto.fields = append(cdpProto.fields, field{name: "cdp.capabilities." + c.name, typ: filter.Bool, named: true,
			desc: "Capability: " + c.desc, example: "cdp.capabilities." + c.name + " == 1", get: cdpBit(cdpCaps, 1<<i)})
	}
	poe := []struct{ name, desc string }{
		{"poe", "PSE four-wire PoE supported"}, {"spare_pair_arch", "PD spare pair architecture: 1 shared, 0 independent"},
		{"req_spare_pair_poe", "PD requests spare pair PoE"}, {"pse_spare_pair_poe", "PSE spare pair PoE on"},
	}
	for i, c := range poe {
		cdpProto.fields = append(cdpProto.fields, field{name: "cdp.spare_poe_tlv." + c.name, typ: filter.Bool, named: true,
			desc: "Spare pair PoE: " + c.desc, example: "cdp.spare_poe_tlv." + c.name + " == 1", get: cdpBit(cdpSparePoE, 1<<i)})
	}
}

// cdpItem names what a step of the walk shows: each is a field.
type cdpItem uint8

const (
	cdpNone cdpItem = iota
	cdpVersion
	cdpTTL
	cdpChecksum
	cdpChecksumStatus
	cdpTLVType
	cdpTLVLen
	cdpDeviceID
	cdpPortID
	cdpPlatform
	cdpSoftware
	cdpAddrCount
	cdpProtoType
	cdpProtoLen
	cdpProtocol
	cdpAddrLen
	cdpIPv4
	cdpIPv6
	cdpAddress
	cdpCaps
	cdpGateway
	cdpPrefix
	cdpOUI
	cdpProtoID
	cdpClusterMaster
	cdpClusterIP
	cdpClusterVersion
	cdpClusterSubVersion
	cdpClusterStatus
	cdpClusterUnknown
	cdpClusterCommander
	cdpClusterSwitch
	cdpClusterVLAN
	cdpHelloUnknown
	cdpVTP
	cdpNativeVLAN
	cdpDuplex
	cdpData
	cdpVoiceVLAN
	cdpPower
	cdpMTU
	cdpTrust
	cdpCoS
	cdpSysName
	cdpSysOID
	cdpLocationUnknown
	cdpLocation
	cdpRequestID
	cdpManagementID
	cdpPowerRequested
	cdpPowerAvailable
	cdpSparePoE
)

// cdpPDU is the CDP PDU: what LLC's SNAP header carries, up to the 802.3
// length.
func (p *Packet) cdpPDU() []byte {
	switch {
	case p.has&chdlcProto.bit != 0: // in Cisco HDLC: after its header
		return p.Data[4:]
	case p.cdpInGRE(): // in GRE: what it carries
		return p.app.payload
	}
	return p.llcPayload()
}

// cdpInGRE reports a PDU GRE carries (protocol type 0x2000).
func (p *Packet) cdpInGRE() bool {
	h := p.tun.hdr
	return p.has&(pIP|pIPv6) != 0 && len(h) >= 4 && be16(h[2:]) == 0x2000
}

// cdpCut reports a PDU the capture cut short (the snapshot length ended
// the frame before the 802.3 length did).
func (p *Packet) cdpCut() bool {
	if p.has&chdlcProto.bit != 0 || p.cdpInGRE() {
		return p.CapLen < p.Len
	}
	n := int(p.link.typ)
	if p.link.ntags > 0 {
		n = int(p.link.tags[p.link.ntags-1].typ)
	}
	return p.CapLen < p.Len && len(p.llcHeader()) < n
}

func cdpGet(it cdpItem) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		w := cdpWalk{b: p.cdpPDU(), cut: p.cdpCut(), want: it, dst: dst}
		w.run()
		return w.dst
	}
}

// cdpBit is one bit of the capabilities or spare pair PoE field.
func cdpBit(it cdpItem, bit uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		w := cdpWalk{b: p.cdpPDU(), cut: p.cdpCut(), want: it}
		w.run()
		for _, v := range w.dst {
			dst = u(dst, v.N&bit/bit)
		}
		return dst
	}
}

// cdpInfo is the Info column: the device and port IDs as the walk meets
// them, and Wireshark's note when the walk ran past the PDU.
func (p *Packet) cdpInfo() string {
	w := cdpWalk{b: p.cdpPDU(), cut: p.cdpCut(), info: true}
	w.run()
	switch {
	case w.cut:
		return "[Packet size limited during capture]"
	case w.malformed:
		w.text = append(w.text, "[Malformed Packet]"...)
	}
	return string(w.text)
}

// decodeCDP decodes the CDP PDU LLC's SNAP header carries: what a TLV of
// invalid length leaves is data, as Wireshark shows it.
func (d *Decoder) decodeCDP(p *Packet) {
	p.has |= cdpProto.bit
	w := cdpWalk{b: p.cdpPDU(), cut: p.cdpCut()}
	w.run()
	if len(w.rest) > 0 {
		p.has |= pData
		p.data = w.rest
	}
}

// cdpWalk is one pass of Wireshark's dissection over a CDP PDU: it appends
// the values of want to dst (and builds the Info column when info is set).
type cdpWalk struct {
	b    []byte
	cut  bool // the capture cut the PDU short: Wireshark's checksum cannot be computed
	want cdpItem
	dst  []filter.Value
	info bool
	text []byte
	// malformed: a read ran past the PDU (Wireshark's exception); rest is
	// what follows a TLV of invalid length (length < 4), handed to data.
	malformed bool
	rest      []byte
}

// has reports whether n bytes at off are in the PDU; when they are not the
// walk has run past it.
func (w *cdpWalk) has(off, n int) bool {
	if off < 0 || n < 0 || off > len(w.b) || n > len(w.b)-off {
		w.malformed = true
		return false
	}
	return true
}

// num shows the big-endian number of n bytes at off as it; it reports false
// when they are past the PDU.
func (w *cdpWalk) num(it cdpItem, off, n int) bool {
	if !w.has(off, n) {
		return false
	}
	if it == w.want {
		var v uint64
		for _, c := range w.b[off : off+n] {
			v = v<<8 | uint64(c)
		}
		w.dst = u(w.dst, v)
	}
	return true
}

// bytes shows n bytes at off as it.
func (w *cdpWalk) bytes(it cdpItem, off, n int) bool {
	if !w.has(off, n) {
		return false
	}
	if it == w.want {
		w.dst = append(w.dst, filter.Value{B: w.b[off : off+n]})
	}
	return true
}

// str shows n bytes at off as a string field (Wireshark's FT_STRING of
// ASCII): up to the first zero byte, each byte above 0x7f a replacement
// character.
func (w *cdpWalk) str(it cdpItem, off, n int) bool {
	if !w.has(off, n) {
		return false
	}
	if it == w.want {
		w.dst = append(w.dst, filter.Value{B: cdpASCII(w.b[off : off+n])})
	}
	return true
}

// val reads the big-endian number of n bytes at off without showing it.
func (w *cdpWalk) val(off, n int) (uint64, bool) {
	if !w.has(off, n) {
		return 0, false
	}
	var v uint64
	for _, c := range w.b[off : off+n] {
		v = v<<8 | uint64(c)
	}
	return v, true
}

// run walks the PDU: the header, then each TLV until the PDU ends, a TLV of
// invalid length, or a read past the end.
func (w *cdpWalk) run() {
	if !w.num(cdpVersion, 0, 1) || !w.num(cdpTTL, 1, 1) || w.cut {
		return
	}
	if !w.has(2, 2) {
		return
	}
	w.num(cdpChecksum, 2, 2)
	if w.want == cdpChecksumStatus {
		var ok uint64
		if cdpChecksumOK(w.b) {
			ok = 1
		}
		w.dst = u(w.dst, ok)
	}
	off := 4
	for off != len(w.b) {
		// A walk that left the PDU (IP prefixes read past their TLV)
		// fails here, reading the next TLV's header.
		typ, ok1 := w.val(off, 2)
		length, ok2 := w.val(off+2, 2)
		if !ok1 || !ok2 {
			return
		}
		if length < 4 {
			w.num(cdpTLVType, off, 2)
			w.num(cdpTLVLen, off+2, 2)
			w.rest = w.b[off+4:]
			return
		}
		next, ok := w.tlv(int(typ), off, int(length))
		if !ok {
			return
		}
		off = next
	}
}

// tlv shows one TLV of type typ and length n at o; it returns where the next
// one starts, or false when the dissection ends here.
func (w *cdpWalk) tlv(typ, o, n int) (int, bool) {
	// Every TLV is a subtree as long as its length, which must be in the PDU.
	if !w.has(o, n) {
		return 0, false
	}
	head := func() {
		w.num(cdpTLVType, o, 2)
		w.num(cdpTLVLen, o+2, 2)
	}
	v := o + 4 // the value
	switch typ {
	case 0x0001, 0x0003: // device ID, port ID: in the Info column too
		if w.info {
			if typ == 1 {
				w.text = append(w.text, "Device ID: "...)
			} else {
				w.text = append(w.text, "Port ID: "...)
			}
			w.text = append(cdpFormatText(w.text, cutZeroPad(w.b[v:o+n])), "  "...)
		}
		head()
		if typ == 1 {
			w.str(cdpDeviceID, v, n-4)
			break
		}
		// Wireshark's guess for a port ID whose length is 3 short: the byte
		// after it does not start a TLV type (0x00xx, or HP's 0x10xx).
		if len(w.b)-o >= n+3 && w.b[o+n] != 0x00 && w.b[o+n] != 0x10 {
			n += 3
		}
		w.str(cdpPortID, v, n-4)
	case 0x0002, 0x0016: // addresses, management addresses
		head()
		count, ok := w.val(v, 4)
		if !ok {
			return 0, false
		}
		w.num(cdpAddrCount, v, 4)
		// Wireshark counts what is left of the TLV in 16 bits: a TLV too
		// short for the count leaves 65532 bytes or so, past the PDU.
		at, left := v+4, int(uint16(n-8))
		for ; count > 0; count-- {
			used, ok := w.address(at, left)
			if !ok {
				return 0, false
			}
			if used < 0 {
				break
			}
			at, left = at+used, left-used
		}
		if !w.has(at, left) { // Wireshark goes on after what is left
			return 0, false
		}
		return at + left, true
	case 0x0004: // capabilities
		head()
		if n-4 >= 4 {
			w.num(cdpCaps, v, 4)
		}
	case 0x0005: // software version, a field a line
		head()
		w.lines(cdpSoftware, v, n-4)
	case 0x0006, 0x0009, 0x0014, // platform, VTP domain, system name
		0x1000, 0x1001, 0x1003, 0x1006, 0x1007, 0x1008, 0x1009, 0x100a, 0x100b, 0x100c, 0x100d: // HP's, shown as platform
		head()
		it := cdpPlatform
		switch typ {
		case 0x0009:
			it = cdpVTP
		case 0x0014:
			it = cdpSysName
		}
		w.str(it, v, n-4)
	case 0x1002: // HP's SSID: empty has no field
		head()
		if n != 4 {
			w.str(cdpPlatform, v, n-4)
		}
	case 0x0007: // IP prefixes (5 bytes each), or the ODR default gateway
		if n == 8 {
			if !w.has(v, 4) {
				return 0, false
			}
			head()
			w.num(cdpGateway, v, 4)
			return o + 8, true
		}
		head()
		// What is left is counted in 16 bits: a length that is not a
		// multiple of 5 wraps around and the reads go on past the PDU.
		at := v
		for left := uint16(n - 4); left > 0; left -= 5 {
			if !w.has(at, 5) {
				return 0, false
			}
			if w.want == cdpPrefix { // Wireshark 4.0 shows the address byte-swapped
				x := be32(w.b[at:])
				w.dst = u(w.dst, uint64(x>>24|x>>8&0xff00|x<<8&0xff0000|x<<24))
			}
			at += 5
		}
		return at, true // Wireshark goes on from here, not from the TLV's end
	case 0x0008: // protocol hello
		if !w.has(o+7, 2) { // its subtree names the protocol
			return 0, false
		}
		head()
		w.num(cdpOUI, v, 3)
		w.num(cdpProtoID, o+7, 2)
		if be16(w.b[o+7:]) == 0x0112 { // cluster management
			steps := []struct {
				it      cdpItem
				off, sz int
			}{{cdpClusterMaster, 9, 4}, {cdpClusterIP, 13, 4}, {cdpClusterVersion, 17, 1}, {cdpClusterSubVersion, 18, 1},
				{cdpClusterStatus, 19, 1}, {cdpClusterUnknown, 20, 1}, {cdpClusterCommander, 21, 6}, {cdpClusterSwitch, 27, 6},
				{cdpClusterUnknown, 33, 1}, {cdpClusterVLAN, 34, 2}}
			for _, s := range steps {
				if !w.num(s.it, o+s.off, s.sz) {
					return 0, false
				}
			}
			break
		}
		size := n - 9
		if size == -1 { // to the end of the PDU
			size = len(w.b) - (o + 9)
		}
		if !w.bytes(cdpHelloUnknown, o+9, size) {
			return 0, false
		}
	case 0x000a, 0x0010: // native VLAN, power consumption: their subtrees show the value
		if !w.has(v, 2) {
			return 0, false
		}
		head()
		it := cdpNativeVLAN
		if typ == 0x0010 {
			it = cdpPower
		}
		w.num(it, v, 2)
	case 0x000b, 0x0012, 0x0013: // duplex, trust bitmap, untrusted port CoS
		if !w.has(v, 1) {
			return 0, false
		}
		head()
		switch typ {
		case 0x000b: // a boolean: any bit set is full duplex
			if w.want == cdpDuplex {
				w.dst = u(w.dst, uint64(min(w.b[v], 1)))
			}
		case 0x0012:
			w.num(cdpTrust, v, 1)
		default:
			w.num(cdpCoS, v, 1)
		}
	case 0x000e, 0x000f: // VoIP VLAN reply, query
		if n >= 7 && !w.has(v+1, 2) { // the subtree shows the VLAN
			return 0, false
		}
		head()
		if n == 6 { // the short form: two bytes of data
			w.bytes(cdpData, v, 2)
			break
		}
		if !w.bytes(cdpData, v, 1) || !w.num(cdpVoiceVLAN, v+1, 2) {
			return 0, false
		}
	case 0x0011: // MTU
		if !w.has(v, 4) {
			return 0, false
		}
		head()
		w.num(cdpMTU, v, 4)
	case 0x0015: // system OID
		head()
		w.bytes(cdpSysOID, v, n-4)
	case 0x0017: // location: a byte, then the text
		size := n - 5
		if size == -1 { // to the end of the PDU
			size = len(w.b) - (o + 5)
		}
		if !w.has(o+5, size) {
			return 0, false
		}
		head()
		w.num(cdpLocationUnknown, v, 1)
		w.str(cdpLocation, o+5, size)
	case 0x0019, 0x001a: // power requested, available: IDs, then levels
		head()
		if !w.num(cdpRequestID, v, 2) || !w.num(cdpManagementID, v+2, 2) {
			return 0, false
		}
		it := cdpPowerRequested
		if typ == 0x001a {
			it = cdpPowerAvailable
		}
		at := o + 8
		for left := n - 8; left > 0; {
			if left < 4 || left == 4 && typ == 0x0019 {
				if left == 4 {
					w.num(it, at, 4)
				}
				break
			}
			w.num(it, at, 4)
			at, left = at+4, left-4
		}
	case 0x001d: // EnergyWise: no fields here, but Wireshark reads it
		head()
		if !w.energyWise(o) {
			return 0, false
		}
	case 0x001f: // spare pair PoE
		head()
		if n > 4 {
			w.num(cdpSparePoE, v, 1)
		}
	default:
		head()
		if n == 4 { // Wireshark stops the whole dissection here
			return 0, false
		}
		w.bytes(cdpData, v, n-4)
	}
	return o + n, true
}

// address shows one address of an addresses TLV at off, left bytes of the
// TLV remaining; used is its length, -1 when the TLV ends inside it (the
// rest of the TLV is skipped). Its subtree spans what is left, which must be
// in the PDU.
func (w *cdpWalk) address(off, left int) (used int, ok bool) {
	if left < 1 {
		return -1, true
	}
	if !w.has(off, left) {
		return 0, false
	}
	ptype := w.b[off]
	w.num(cdpProtoType, off, 1)
	off, left = off+1, left-1
	if left < 1 {
		return -1, true
	}
	plen := int(w.b[off])
	w.num(cdpProtoLen, off, 1)
	off, left = off+1, left-1
	if left < plen {
		if left != 0 {
			w.bytes(cdpProtocol, off, left)
		}
		return -1, true
	}
	proto := w.b[off : off+plen]
	w.bytes(cdpProtocol, off, plen)
	off, left = off+plen, left-plen
	if left < 2 {
		return -1, true
	}
	alen := int(be16(w.b[off:]))
	w.num(cdpAddrLen, off, 2)
	off, left = off+2, left-2
	if left < alen {
		if left != 0 {
			w.bytes(cdpAddress, off, left)
		}
		return -1, true
	}
	switch {
	case ptype == 1 && plen == 1 && proto[0] == 0xcc && alen == 4: // NLPID IP
		w.num(cdpIPv4, off, 4)
	case ptype == 2 && plen == 8 && string(proto) == "\xaa\xaa\x03\x00\x00\x00\x86\xdd" && alen == 16:
		if w.want == cdpIPv6 {
			w.dst = append(w.dst, filter.Value{B: w.b[off : off+16]})
		}
	default:
		w.bytes(cdpAddress, off, alen)
	}
	return 2 + plen + 2 + alen, true
}

// lines shows the text of n bytes at off a line at a time (a line ends at
// CR, LF or CR LF), each up to its first zero byte and escaped.
func (w *cdpWalk) lines(it cdpItem, off, n int) {
	b := w.b[off : off+n]
	for len(b) > 0 {
		line, next := b, len(b)
		for i, c := range b {
			if c == '\r' || c == '\n' {
				line, next = b[:i], i+1
				if c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
					next++
				}
				break
			}
		}
		if it == w.want {
			w.dst = append(w.dst, filter.Value{B: cdpFormatText(nil, cutZeroPad(line))})
		}
		b = b[next:]
	}
}

// energyWise makes the reads Wireshark makes of an EnergyWise TLV at o: its
// fixed part, then its table of TLVs (type and length 4 bytes each); it
// reports false when one runs past the PDU.
func (w *cdpWalk) energyWise(o int) bool {
	if !w.has(o+4, 72) {
		return false
	}
	length, num := int(be16(w.b[o+72:])), int(be16(w.b[o+74:]))
	off := o + 76
	for ; num > 0 && length >= 8; num-- {
		typ, ok1 := w.val(off, 4)
		tlvLen, ok2 := w.val(off+4, 4)
		if !ok1 || !ok2 {
			return false
		}
		if uint64(length) < tlvLen {
			break
		}
		length -= int(tlvLen)
		n := int(tlvLen)
		if n < 8 { // an expert note over the 8 bytes
			if !w.has(off, 8) {
				return false
			}
			off += 8
			break
		}
		need := n
		if typ == 0x17 && need < 22 { // reply to: its fixed fields
			need = 22
		}
		if !w.has(off, need) {
			return false
		}
		off += n
	}
	if length != 0 { // an expert note over what is left
		return w.has(off, length)
	}
	return true
}

// cutZeroPad is a string padded with zero bytes: up to the first.
func cutZeroPad(b []byte) []byte {
	if s, _, ok := cutZero(b); ok {
		return s
	}
	return b
}

// cdpASCII is a string field's value as Wireshark 4.0 stores an ASCII
// string: up to the first zero byte, each byte above 0x7f a replacement
// character.
func cdpASCII(b []byte) []byte {
	b = cutZeroPad(b)
	for i, c := range b {
		if c >= 0x80 {
			out := append([]byte(nil), b[:i]...)
			for _, c := range b[i:] {
				if c >= 0x80 {
					out = utf8.AppendRune(out, utf8.RuneError)
				} else {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return b
}

// cdpFormatText appends text as Wireshark's format_text shows it: printable
// ASCII and printable UTF-8 as they are; C escapes (\n, \t ...) or three
// octal digits for other ASCII; \uXXXX (\UXXXXXXXX) for a character that is
// not printable; a replacement character for what is not UTF-8: a byte that
// starts no sequence, a sequence cut short (the byte that cut it starts the
// next), or one that decodes to no character (overlong forms decode).
func cdpFormatText(dst, b []byte) []byte {
	const hexDigits = "0123456789ABCDEF"
	for len(b) > 0 {
		c := b[0]
		b = b[1:]
		if c < 0x80 {
			switch {
			case c >= 0x20 && c < 0x7f:
				dst = append(dst, c)
			case c >= '\a' && c <= '\r':
				dst = append(dst, '\\', "abtnvfr"[c-'\a'])
			default:
				dst = append(dst, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
			}
			continue
		}
		var more int
		var r rune
		switch {
		case c&0xe0 == 0xc0:
			more, r = 1, rune(c&0x1f)
		case c&0xf0 == 0xe0:
			more, r = 2, rune(c&0x0f)
		case c&0xf8 == 0xf0:
			more, r = 3, rune(c&0x07)
		case c&0xfc == 0xf8:
			more, r = 4, rune(c&0x03)
		case c&0xfe == 0xfc:
			more, r = 5, rune(c&0x01)
		default:
			dst = utf8.AppendRune(dst, utf8.RuneError)
			continue
		}
		whole := true
		for ; more > 0; more-- {
			if len(b) == 0 || b[0]&0xc0 != 0x80 {
				whole = false
				break
			}
			r = r<<6 | rune(b[0]&0x3f)
			b = b[1:]
		}
		switch {
		case !whole || r > unicode.MaxRune || r >= 0xd800 && r <= 0xdfff:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		case glibPrintable(r):
			dst = utf8.AppendRune(dst, r)
		case r <= 0xffff:
			dst = append(dst, '\\', 'u')
			for sh := 12; sh >= 0; sh -= 4 {
				dst = append(dst, hexDigits[r>>sh&15])
			}
		default:
			dst = append(dst, '\\', 'U')
			for sh := 28; sh >= 0; sh -= 4 {
				dst = append(dst, hexDigits[r>>sh&15])
			}
		}
	}
	return dst
}

// glibPrintable is g_unichar_isprint: a character that is assigned and no
// control, format or surrogate character (spaces and private use are
// printable).
func glibPrintable(r rune) bool {
	if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
		return false
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Co)
}

// cdpChecksumOK checks the PDU's checksum as Wireshark does: the Internet
// checksum, but an odd last byte is the low byte of the last word, less one
// (and the word before it less one too) when its top bit is set, as Cisco
// computes it.
func cdpChecksumOK(b []byte) bool {
	var sum uint32
	n := len(b)
	for i := 0; i+1 < n; i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if n&1 == 1 {
		hi, lo := byte(0), b[n-1]
		if lo&0x80 != 0 {
			lo--
			hi--
		}
		sum += uint32(hi)<<8 | uint32(lo)
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return sum == 0xffff
}
