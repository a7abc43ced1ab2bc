package capture

import (
	"time"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// SNMP (UDP ports 161, 162 and 8161), as Wireshark's snmp dissector shows
// it without MIBs: v1 and v2c messages (version, community, the PDU and its
// variable bindings), v2u and the v3 header with its USM security
// parameters and engine IDs (an encrypted PDU stays encrypted). A payload is
// SNMP when it starts with a SEQUENCE no longer than the datagram and an
// INTEGER, as Wireshark's test says; the dissection then follows Wireshark's
// BER routines (snmp_ber.go), so that a damaged message shows the fields and
// Info tshark shows. Info names the PDU and each binding's OID (tshark
// names an OID other dissectors registered, snmp_oid.go). A response
// names its request (snmp.response_to, snmp.time) as tshark's single pass
// pairs them: by request ID in the conversation, the last request with that
// ID, every response after it. sysDescr.0 and sysName.0 values are also
// shown as text (snmp.var-bind_str), each one more snmp layer in
// frame.protocols, as Wireshark's variable dissector makes them.
var snmpProto = protocol{
	name: "snmp", title: "SNMP", desc: "Simple Network Management Protocol", example: "snmp",
	udpPorts: []uint16{161, 162, 8161},
	// A payload that fails Wireshark's first look by an exception is in
	// frame.protocols, without the protocol's own field.
	shown: func(p *Packet) bool { return p.snmp != nil && p.snmp.proto },
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if s.tcp || !s.byPort {
			return rejected
		}
		x := d.decodeSNMP(p, s.payload)
		if x == nil {
			return rejected
		}
		s.takeApp(p)
		p.snmp = x
		return taken
	},
	info: func(p *Packet) (string, string) { return p.snmpColumns() },
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "snmp")
		if x := p.snmp; x != nil {
			for i := 0; i < int(x.strings); i++ {
				b = appendProto(b, "snmp")
			}
		}
		return b
	},
	fields: snmpTableFields(),
}

// snmpField names one of the fields below; 0 is none.
type snmpField uint8

const (
	sfVersion snmpField = 1 + iota
	sfCommunity
	sfData
	sfGetRequest
	sfGetNextRequest
	sfGetResponse
	sfSetRequest
	sfTrap
	sfGetBulkRequest
	sfInformRequest
	sfV2Trap
	sfReport
	sfRequestID
	sfErrorStatus
	sfErrorIndex
	sfNonRepeaters
	sfMaxRepetitions
	sfVariableBindings
	sfEnterprise
	sfAgentAddr
	sfGenericTrap
	sfSpecificTrap
	sfTimeStamp
	sfName
	sfValueInt
	sfValueOctets
	sfValueOID
	sfValueNull
	sfValueIPv4
	sfValueIPv6
	sfValueAddr
	sfValueU32
	sfValueG32
	sfValueUnk
	sfValueCounter
	sfValueNSAP
	sfValueTimeticks
	sfValueOpaque
	sfNoSuchObject
	sfNoSuchInstance
	sfEndOfMibView
	sfVarBindStr
	sfResponseTo
	sfTime
	sfResponseIn
	sfParameters
	sfDatav2u
	sfPlaintext
	sfEncrypted
	sfMsgVersion
	sfMsgGlobalData
	sfMsgID
	sfMsgMaxSize
	sfMsgFlags
	sfFlagReport
	sfFlagCrypt
	sfFlagAuth
	sfMsgSecurityModel
	sfMsgSecurityParameters
	sfEngineID
	sfEngineBoots
	sfEngineTime
	sfUserName
	sfAuthParameters
	sfPrivParameters
	sfMsgData
	sfPlaintextElement
	sfEncryptedPDU
	sfContextEngineID
	sfContextName
	sfEngineConform
	sfEngineEnterprise
	sfEngineFormat
	sfEngineIPv4
	sfEngineIPv6
	sfEngineCiscoType
	sfEngineMAC
	sfEngineText
	sfEngineData
	sfAgentIDTrailer
	snmpNumFields
)

// snmpSpec describes a field as the table wants it.
type snmpSpec struct {
	name    string
	typ     filter.Type
	bits    uint8
	hex     uint8
	named   bool
	never   bool // tshark -r never shows it
	desc    string
	example string
}

var snmpFields = [snmpNumFields]snmpSpec{
	sfVersion:               {name: "snmp.version", typ: filter.Int, bits: 32, named: true, desc: "Version of an SNMPv1, v2c or v2u message: 0 v1, 1 v2c, 2 v2u (v3 has snmp.msgVersion)", example: "snmp.version == 1"},
	sfCommunity:             {name: "snmp.community", typ: filter.String, desc: "Community of a v1 or v2c message, the password sent in clear", example: `snmp.community == "public"`},
	sfData:                  {name: "snmp.data", typ: filter.Uint, bits: 32, named: true, desc: "PDU type: 0 get-request, 1 get-next-request, 2 get-response, 3 set-request, 4 trap (v1), 5 getBulkRequest, 6 informRequest, 7 snmpV2-trap, 8 report", example: "snmp.data == 2"},
	sfGetRequest:            {name: "snmp.get_request_element", typ: filter.None, desc: "A get-request PDU", example: "snmp.get_request_element"},
	sfGetNextRequest:        {name: "snmp.get_next_request_element", typ: filter.None, desc: "A get-next-request PDU", example: "snmp.get_next_request_element"},
	sfGetResponse:           {name: "snmp.get_response_element", typ: filter.None, desc: "A get-response PDU", example: "snmp.get_response_element"},
	sfSetRequest:            {name: "snmp.set_request_element", typ: filter.None, desc: "A set-request PDU", example: "snmp.set_request_element"},
	sfTrap:                  {name: "snmp.trap_element", typ: filter.None, desc: "A v1 trap PDU", example: "snmp.trap_element"},
	sfGetBulkRequest:        {name: "snmp.getBulkRequest_element", typ: filter.None, desc: "A getBulkRequest PDU", example: "snmp.getBulkRequest_element"},
	sfInformRequest:         {name: "snmp.informRequest_element", typ: filter.None, desc: "An informRequest PDU", example: "snmp.informRequest_element"},
	sfV2Trap:                {name: "snmp.snmpV2_trap_element", typ: filter.None, desc: "An snmpV2-trap PDU", example: "snmp.snmpV2_trap_element"},
	sfReport:                {name: "snmp.report_element", typ: filter.None, desc: "A report PDU", example: "snmp.report_element"},
	sfRequestID:             {name: "snmp.request_id", typ: filter.Int, bits: 32, desc: "Request ID, which a response repeats", example: "snmp.request_id == 1"},
	sfErrorStatus:           {name: "snmp.error_status", typ: filter.Int, bits: 32, named: true, desc: "Error status: 0 noError, 1 tooBig, 2 noSuchName, 3 badValue, 4 readOnly, 5 genErr, 6 noAccess, 7 wrongType ... 18 inconsistentName", example: "snmp.error_status != 0"},
	sfErrorIndex:            {name: "snmp.error_index", typ: filter.Int, bits: 32, desc: "Error index: the variable binding the error is about, from 1", example: "snmp.error_index == 1"},
	sfNonRepeaters:          {name: "snmp.non_repeaters", typ: filter.Uint, bits: 32, desc: "getBulkRequest: how many bindings are fetched once", example: "snmp.non_repeaters == 1"},
	sfMaxRepetitions:        {name: "snmp.max_repetitions", typ: filter.Uint, bits: 32, desc: "getBulkRequest: how many times the others are repeated", example: "snmp.max_repetitions >= 10"},
	sfVariableBindings:      {name: "snmp.variable_bindings", typ: filter.Uint, bits: 32, desc: "Number of variable bindings", example: "snmp.variable_bindings > 5"},
	sfEnterprise:            {name: "snmp.enterprise", typ: filter.OID, desc: "v1 trap: the sender's enterprise OID", example: "snmp.enterprise == 1.3.6.1.4.1.9.1.1"},
	sfAgentAddr:             {name: "snmp.agent_addr", typ: filter.IPv4, desc: "v1 trap: the agent's address", example: "snmp.agent_addr == 10.0.0.80"},
	sfGenericTrap:           {name: "snmp.generic_trap", typ: filter.Int, bits: 32, named: true, desc: "v1 trap: 0 coldStart, 1 warmStart, 2 linkDown, 3 linkUp, 4 authenticationFailure, 5 egpNeighborLoss, 6 enterpriseSpecific", example: "snmp.generic_trap == 2"},
	sfSpecificTrap:          {name: "snmp.specific_trap", typ: filter.Int, bits: 32, desc: "v1 trap: the enterprise's code for an enterpriseSpecific trap", example: "snmp.specific_trap == 1"},
	sfTimeStamp:             {name: "snmp.time_stamp", typ: filter.Uint, bits: 32, desc: "v1 trap: the agent's uptime, hundredths of a second", example: "snmp.time_stamp < 6000"},
	sfName:                  {name: "snmp.name", typ: filter.OID, desc: "Object name (OID) of each variable binding", example: "snmp.name == 1.3.6.1.2.1.1.1.0"},
	sfValueInt:              {name: "snmp.value.int", typ: filter.Int, bits: 64, desc: "INTEGER value", example: "snmp.value.int < 0"},
	sfValueOctets:           {name: "snmp.value.octets", typ: filter.Bytes, desc: "OCTET STRING value", example: `snmp.value.octets contains "Linux"`},
	sfValueOID:              {name: "snmp.value.oid", typ: filter.OID, desc: "OBJECT IDENTIFIER value", example: "snmp.value.oid == 1.3.6.1.6.3.1.1.5.3"},
	sfValueNull:             {name: "snmp.value.null", typ: filter.None, desc: "NULL value (what a request asks with)", example: "snmp.value.null"},
	sfValueIPv4:             {name: "snmp.value.ipv4", typ: filter.IPv4, desc: "IpAddress value", example: "snmp.value.ipv4 == 10.0.0.0/8"},
	sfValueIPv6:             {name: "snmp.value.ipv6", typ: filter.IPv6, desc: "IpAddress value of 16 bytes", example: "snmp.value.ipv6"},
	sfValueAddr:             {name: "snmp.value.addr", typ: filter.Bytes, desc: "IpAddress value of neither 4 nor 16 bytes", example: "snmp.value.addr"},
	sfValueU32:              {name: "snmp.value.u32", typ: filter.Int, bits: 64, desc: "Unsigned32 value", example: "snmp.value.u32 > 0"},
	sfValueG32:              {name: "snmp.value.g32", typ: filter.Int, bits: 64, desc: "Gauge32 value", example: "snmp.value.g32 >= 1000000000"},
	sfValueUnk:              {name: "snmp.value.unk", typ: filter.Bytes, desc: "Value of a type SNMP does not define", example: "snmp.value.unk"},
	sfValueCounter:          {name: "snmp.value.counter", typ: filter.Uint, bits: 64, desc: "Counter32 or Counter64 value", example: "snmp.value.counter > 1000000"},
	sfValueNSAP:             {name: "snmp.value.nsap", typ: filter.Uint, bits: 64, desc: "NsapAddress value, as a number", example: "snmp.value.nsap"},
	sfValueTimeticks:        {name: "snmp.value.timeticks", typ: filter.Uint, bits: 64, desc: "TimeTicks value, hundredths of a second", example: "snmp.value.timeticks > 360000"},
	sfValueOpaque:           {name: "snmp.value.opaque", typ: filter.Bytes, desc: "Opaque value", example: "snmp.value.opaque"},
	sfNoSuchObject:          {name: "snmp.noSuchObject", typ: filter.None, desc: "A response's noSuchObject: the agent has no such object", example: "snmp.noSuchObject"},
	sfNoSuchInstance:        {name: "snmp.noSuchInstance", typ: filter.None, desc: "A response's noSuchInstance", example: "snmp.noSuchInstance"},
	sfEndOfMibView:          {name: "snmp.endOfMibView", typ: filter.None, desc: "A response's endOfMibView: a walk went past the last object", example: "snmp.endOfMibView"},
	sfVarBindStr:            {name: "snmp.var-bind_str", typ: filter.String, desc: "The value of sysDescr.0 or sysName.0 as text", example: `snmp.var-bind_str contains "Linux"`},
	sfResponseTo:            {name: "snmp.response_to", typ: filter.Uint, bits: 32, desc: "On a get-response, the frame of its request", example: "snmp.response_to"},
	sfTime:                  {name: "snmp.time", typ: filter.Float, desc: "On a get-response, the seconds since its request", example: "snmp.time > 0.5"},
	sfResponseIn:            {name: "snmp.response_in", typ: filter.Uint, bits: 32, never: true, desc: "On a request, the frame of its response: never set, as in tshark -r (one pass: a request cannot know its response); filter responses with snmp.response_to", example: "snmp.response_in"},
	sfParameters:            {name: "snmp.parameters", typ: filter.Bytes, desc: "v2u: the parameters", example: "snmp.parameters"},
	sfDatav2u:               {name: "snmp.datav2u", typ: filter.Uint, bits: 32, named: true, desc: "v2u: 0 plaintext, 1 encrypted", example: "snmp.datav2u == 0"},
	sfPlaintext:             {name: "snmp.plaintext", typ: filter.Uint, bits: 32, named: true, desc: "v2u: the PDU type of a plaintext message (as snmp.data)", example: "snmp.plaintext == 0"},
	sfEncrypted:             {name: "snmp.encrypted", typ: filter.Bytes, desc: "v2u: an encrypted message", example: "snmp.encrypted"},
	sfMsgVersion:            {name: "snmp.msgVersion", typ: filter.Int, bits: 32, named: true, desc: "Version of an SNMPv3 message (3)", example: "snmp.msgVersion == 3"},
	sfMsgGlobalData:         {name: "snmp.msgGlobalData_element", typ: filter.None, desc: "v3: the message header", example: "snmp.msgGlobalData_element"},
	sfMsgID:                 {name: "snmp.msgID", typ: filter.Uint, bits: 32, desc: "v3: message ID", example: "snmp.msgID == 1"},
	sfMsgMaxSize:            {name: "snmp.msgMaxSize", typ: filter.Uint, bits: 32, desc: "v3: the largest message the sender accepts", example: "snmp.msgMaxSize < 1500"},
	sfMsgFlags:              {name: "snmp.msgFlags", typ: filter.Bytes, desc: "v3: the flags byte (report, privacy, authentication)", example: "snmp.msgFlags == 07"},
	sfFlagReport:            {name: "snmp.v3.flags.report", typ: filter.Bool, named: true, desc: "v3: reportable flag", example: "snmp.v3.flags.report == 1"},
	sfFlagCrypt:             {name: "snmp.v3.flags.crypt", typ: filter.Bool, named: true, desc: "v3: encrypted (privacy) flag", example: "snmp.v3.flags.crypt == 1"},
	sfFlagAuth:              {name: "snmp.v3.flags.auth", typ: filter.Bool, named: true, desc: "v3: authenticated flag", example: "snmp.v3.flags.auth == 1"},
	sfMsgSecurityModel:      {name: "snmp.msgSecurityModel", typ: filter.Uint, bits: 32, named: true, desc: "v3: security model: 0 any, 1 v1, 2 v2c, 3 USM", example: "snmp.msgSecurityModel == 3"},
	sfMsgSecurityParameters: {name: "snmp.msgSecurityParameters", typ: filter.Bytes, desc: "v3: security parameters of a model other than USM", example: "snmp.msgSecurityParameters"},
	sfEngineID:              {name: "snmp.msgAuthoritativeEngineID", typ: filter.Bytes, desc: "v3 USM: the authoritative engine's ID (empty in a discovery request)", example: "snmp.msgAuthoritativeEngineID"},
	sfEngineBoots:           {name: "snmp.msgAuthoritativeEngineBoots", typ: filter.Uint, bits: 32, desc: "v3 USM: the engine's boot count", example: "snmp.msgAuthoritativeEngineBoots > 0"},
	sfEngineTime:            {name: "snmp.msgAuthoritativeEngineTime", typ: filter.Uint, bits: 32, desc: "v3 USM: seconds since the engine's last boot", example: "snmp.msgAuthoritativeEngineTime > 0"},
	sfUserName:              {name: "snmp.msgUserName", typ: filter.String, desc: "v3 USM: user name", example: `snmp.msgUserName == "bob"`},
	sfAuthParameters:        {name: "snmp.msgAuthenticationParameters", typ: filter.Bytes, desc: "v3 USM: the message's authentication code", example: "snmp.msgAuthenticationParameters"},
	sfPrivParameters:        {name: "snmp.msgPrivacyParameters", typ: filter.Bytes, desc: "v3 USM: the encryption's salt", example: "snmp.msgPrivacyParameters"},
	sfMsgData:               {name: "snmp.msgData", typ: filter.Uint, bits: 32, named: true, desc: "v3: 0 plaintext, 1 encryptedPDU", example: "snmp.msgData == 1"},
	sfPlaintextElement:      {name: "snmp.plaintext_element", typ: filter.None, desc: "v3: a plaintext scoped PDU", example: "snmp.plaintext_element"},
	sfEncryptedPDU:          {name: "snmp.encryptedPDU", typ: filter.Bytes, desc: "v3: the encrypted scoped PDU", example: "snmp.encryptedPDU"},
	sfContextEngineID:       {name: "snmp.contextEngineID", typ: filter.Bytes, desc: "v3: the context engine ID of a scoped PDU", example: "snmp.contextEngineID"},
	sfContextName:           {name: "snmp.contextName", typ: filter.String, desc: "v3: the context name of a scoped PDU", example: `snmp.contextName == ""`},
	sfEngineConform:         {name: "snmp.engineid.conform", typ: filter.Bool, named: true, desc: "Engine ID: 1 RFC 3411 format, 0 RFC 1910", example: "snmp.engineid.conform == 1"},
	sfEngineEnterprise:      {name: "snmp.engineid.enterprise", typ: filter.Uint, bits: 32, desc: "Engine ID: the enterprise number (8072 net-snmp, 9 Cisco)", example: "snmp.engineid.enterprise == 8072"},
	sfEngineFormat:          {name: "snmp.engineid.format", typ: filter.Uint, bits: 8, named: true, desc: "Engine ID format: 1 IPv4, 2 IPv6, 3 MAC address, 4 text, 5 octets, 128 and up enterprise-specific", example: "snmp.engineid.format == 3"},
	sfEngineIPv4:            {name: "snmp.engineid.ipv4", typ: filter.IPv4, desc: "Engine ID: an IPv4 address", example: "snmp.engineid.ipv4 == 10.0.0.80"},
	sfEngineIPv6:            {name: "snmp.engineid.ipv6", typ: filter.IPv6, desc: "Engine ID: an IPv6 address", example: "snmp.engineid.ipv6"},
	sfEngineCiscoType:       {name: "snmp.engineid.cisco.type", typ: filter.Uint, bits: 8, hex: 2, named: true, desc: "Engine ID: Cisco's type byte, 0 agent, 1 manager", example: "snmp.engineid.cisco.type == 0"},
	sfEngineMAC:             {name: "snmp.engineid.mac", typ: filter.Ether, desc: "Engine ID: a MAC address", example: "snmp.engineid.mac"},
	sfEngineText:            {name: "snmp.engineid.text", typ: filter.String, desc: "Engine ID: administratively assigned text", example: "snmp.engineid.text"},
	sfEngineData:            {name: "snmp.engineid.data", typ: filter.Bytes, desc: "Engine ID: the bytes after the format", example: "snmp.engineid.data"},
	sfAgentIDTrailer:        {name: "snmp.agentid_trailer", typ: filter.Bytes, desc: "Engine ID in RFC 1910's format: the 8 bytes after the enterprise", example: "snmp.agentid_trailer"},
}

func snmpTableFields() []field {
	out := make([]field, 0, snmpNumFields)
	for i := snmpField(1); i < snmpNumFields; i++ {
		sp := &snmpFields[i]
		f := field{name: sp.name, typ: sp.typ, bits: sp.bits, hex: sp.hex, named: sp.named, desc: sp.desc, example: sp.example, get: snmpGet(i)}
		if sp.never {
			f.get = never
		}
		out = append(out, f)
	}
	return out
}

func snmpGet(f snmpField) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if x := p.snmp; x != nil {
			for i := range x.vals {
				if x.vals[i].f == f {
					dst = append(dst, x.vals[i].v)
				}
			}
		}
		return dst
	}
}

// snmpInfo is an SNMP packet as Wireshark dissected it: its fields in the
// order they were shown, and its columns.
type snmpInfo struct {
	vals    []snmpVal
	info    []byte  // the Info text SNMP wrote
	cleared bool    // SNMP replaced UDP's Info text
	proto   bool    // SNMP set the Protocol column
	exc     snmpExc // the exception that ended the dissection
	strings uint8   // variable bindings dissected as text (snmp layers)
}

type snmpVal struct {
	f snmpField
	v filter.Value
}

// snmpState is what Wireshark's SNMP dissector keeps from packet to packet:
// its request/response pairs, per conversation, and three globals a packet
// leaves behind for the next (a PDU without a request ID of its own pairs
// by the last one read).
type snmpState struct {
	reqID, secModel, version uint32
	init                     bool
	convs                    map[connKey]map[uint32]*snmpReq
}

type snmpReq struct {
	reqFrame, respFrame int
	reqTime             time.Time
}

// snmpMaxRequests bounds one conversation's request IDs; past it they are
// forgotten.
const snmpMaxRequests = 1 << 16

// snmpDec dissects one message.
type snmpDec struct {
	d    *Decoder
	p    *Packet
	out  *snmpInfo
	b    []byte    // the payload as captured, no longer than reported
	strs []snmpTVB // values to show as text at the end
	ids  [32]uint32
	// fragmented is Wireshark's pinfo->fragmented, set while a constructed
	// string is joined (and left set by an exception then).
	fragmented bool
}

// decodeSNMP dissects a UDP payload sent to or from an SNMP port; nil
// when it is not SNMP.
func (d *Decoder) decodeSNMP(p *Packet, payload []byte) (info *snmpInfo) {
	st := &d.streams.snmp
	if !st.init {
		st.init, st.reqID = true, ^uint32(0)
	}
	rep := p.udpReported()
	b := payload
	if len(b) > rep {
		b = b[:rep]
	}
	x := &snmpDec{d: d, p: p, out: &snmpInfo{}, b: b}
	t := snmpTVB{start: 0, rep: rep}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(snmpExc)
			if !ok {
				panic(r)
			}
			if e == snmpMalformed && x.fragmented {
				e = snmpUnreassembled
			}
			x.out.exc = e
			info = x.out
		}
	}()
	if !x.looksLike(t) {
		return nil
	}
	x.message(t)
	return x.out
}

// looksLike is Wireshark's test: a SEQUENCE that the datagram holds, then
// an INTEGER.
func (x *snmpDec) looksLike(t snmpTVB) bool {
	class, _, tag, off := x.ident(t, 0)
	if class != berUni || tag != berTagSeq {
		return false
	}
	n, _, off := x.length(t, off, 1)
	if uint64(n) > uint64(uint32(int32(x.remaining(t, off)))) {
		return false
	}
	class, _, tag, _ = x.ident(t, off)
	return class == berUni && tag == berTagInteger
}

// message is dissect_snmp_pdu.
func (x *snmpDec) message(t snmpTVB) {
	captured := x.capLen(t)
	_, _, _, off := x.ident(t, 0)
	_, _, off = x.length(t, off, 1)
	v, _ := x.integer(false, t, off, 0)
	x.out.proto = true
	var end int
	switch uint32(v) {
	case 0, 1:
		end = x.sequence(false, t, 0, snmpMessageSeq, 0)
	case 2:
		end = x.sequence(false, t, 0, snmpV2uSeq, 0)
	case 3:
		end = x.sequence(false, t, 0, snmpV3Seq, 0)
	default:
		return // an unknown version: Wireshark's note only
	}
	if uint(captured) > uint(end) {
		// Bytes after the message are data.
		x.p.has |= pData
		x.p.data = x.b[end:]
		return
	}
	for _, s := range x.strs {
		if n := x.capLen(s); n > 0 {
			x.addBytes(sfVarBindStr, snmpString(x.b[s.start:s.start+n], false))
			x.out.strings++
		}
	}
}

// Field values, converted as Wireshark's fields hold them.

func (x *snmpDec) add(f snmpField, v uint64) {
	sp := &snmpFields[f]
	switch {
	case sp.typ == filter.Int && sp.bits == 32:
		v = uint64(int64(int32(v)))
	case sp.typ == filter.Uint && sp.bits == 32:
		v = uint64(uint32(v))
	case sp.typ == filter.Uint && sp.bits == 8:
		v = uint64(uint8(v))
	case sp.typ == filter.Bool && v != 0:
		v = 1
	}
	x.out.vals = append(x.out.vals, snmpVal{f, filter.Value{N: v}})
}

func (x *snmpDec) addBytes(f snmpField, b []byte) {
	x.out.vals = append(x.out.vals, snmpVal{f, filter.Value{B: b}})
}

// snmpString is a string field's value: the bytes up to the first zero
// byte, each byte of 0x80 and above a replacement character (ASCII), or
// UTF-8 with invalid bytes replaced (a UTF8String).
func snmpString(b []byte, isUTF8 bool) []byte {
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	if isUTF8 {
		if utf8.Valid(b) {
			return b
		}
		var out []byte
		for len(b) > 0 {
			r, n := utf8.DecodeRune(b)
			out = utf8.AppendRune(out, r)
			b = b[n:]
		}
		return out
	}
	clean := true
	for _, c := range b {
		if c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	for _, c := range b {
		if c >= 0x80 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, c)
		}
	}
	return out
}

// The Info column, as Wireshark's column calls write it.

func (x *snmpDec) clearInfo() { x.out.cleared, x.out.info = true, x.out.info[:0] }

func (x *snmpDec) setInfo(s string) { x.out.cleared, x.out.info = true, append(x.out.info[:0], s...) }

func (x *snmpDec) prependInfo(s string) {
	x.out.info = append([]byte(s), x.out.info...)
}

// snmpColumns returns the Protocol and Info columns.
func (p *Packet) snmpColumns() (string, string) {
	x := p.snmp
	proto := "SNMP"
	if x == nil || !x.proto {
		proto = "UDP"
	}
	var b []byte
	if x == nil || !x.cleared {
		_, u := udpProto.info(p)
		b = append(b, u...)
	}
	if x != nil {
		b = append(b, x.info...)
		switch x.exc {
		case snmpCut:
			b = append(b, "[Packet size limited during capture]"...)
		case snmpMalformed:
			b = append(b, "[Malformed Packet]"...)
		case snmpUnreassembled:
			b = append(b, "[BoundErrorUnreassembled Packet]"...)
		}
	}
	return proto, string(b)
}

// The message types (asn2wrs's tables for SNMP's ASN.1).

type snmpFn = func(x *snmpDec, impl bool, t snmpTVB, off int) int

func snmpInt(f snmpField) snmpFn {
	return func(x *snmpDec, impl bool, t snmpTVB, off int) int {
		_, end := x.integer(impl, t, off, f)
		return end
	}
}

func snmpOctets(f snmpField) snmpFn {
	return func(x *snmpDec, impl bool, t snmpTVB, off int) int {
		end, _, _ := x.octets(t, off, f)
		return end
	}
}

// snmpEngineOctets is an engine ID: its bytes, then what they say.
func snmpEngineOctets(f snmpField) snmpFn {
	return func(x *snmpDec, impl bool, t snmpTVB, off int) int {
		end, in, ok := x.octets(t, off, f)
		if ok {
			x.engineID(in)
		}
		return end
	}
}

func snmpTagged(fn snmpFn) snmpFn {
	return func(x *snmpDec, impl bool, t snmpTVB, off int) int { return x.tagged(t, off, fn) }
}

func snmpSeq(seq *[]berEntry, marker snmpField) snmpFn {
	return func(x *snmpDec, impl bool, t snmpTVB, off int) int {
		return x.sequence(impl, t, off, *seq, marker)
	}
}

// snmpPDUs is the PDUs choice: Info starts again with the PDU's name, and
// a request or response is paired.
func snmpPDUs(f snmpField) snmpFn {
	return func(x *snmpDec, impl bool, t snmpTVB, off int) int {
		x.clearInfo()
		end, i := x.choice(t, off, snmpPDUChoice, f)
		if i >= 0 {
			x.prependInfo(snmpPDUNames[i])
			x.pair(uint32(i))
		}
		return end
	}
}

var snmpPDUNames = [...]string{"get-request", "get-next-request", "get-response", "set-request", "trap", "getBulkRequest", "informRequest", "snmpV2-trap", "report"}

var (
	snmpMessageSeq = []berEntry{
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpVersion(sfVersion)},
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpOctets(sfCommunity)},
		{class: berAny, tag: -1, flags: berNoOwnTag | berNoChkTag, fn: snmpPDUs(sfData)},
	}
	snmpV2uSeq = []berEntry{
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpVersion(sfVersion)},
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpOctets(sfParameters)},
		{class: berAny, tag: -1, flags: berNoOwnTag | berNoChkTag, fn: func(x *snmpDec, impl bool, t snmpTVB, off int) int {
			end, _ := x.choice(t, off, snmpV2uChoice, sfDatav2u)
			return end
		}},
	}
	snmpV2uChoice = []berEntry{
		{value: 0, class: berAny, tag: -1, flags: berNoOwnTag, fn: snmpPDUs(sfPlaintext)},
		{value: 1, class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpOctets(sfEncrypted)},
	}
	snmpPDUChoice = []berEntry{
		{value: 0, class: berCon, tag: 0, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpPDUSeq, sfGetRequest))},
		{value: 1, class: berCon, tag: 1, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpPDUSeq, sfGetNextRequest))},
		{value: 2, class: berCon, tag: 2, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpPDUSeq, sfGetResponse))},
		{value: 3, class: berCon, tag: 3, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpPDUSeq, sfSetRequest))},
		{value: 4, class: berCon, tag: 4, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpTrapSeq, sfTrap))},
		{value: 5, class: berCon, tag: 5, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpBulkSeq, sfGetBulkRequest))},
		{value: 6, class: berCon, tag: 6, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpPDUSeq, sfInformRequest))},
		{value: 7, class: berCon, tag: 7, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpPDUSeq, sfV2Trap))},
		{value: 8, class: berCon, tag: 8, flags: berNoOwnTag, fn: snmpTagged(snmpSeq(&snmpPDUSeq, sfReport))},
	}
	snmpPDUSeq = []berEntry{
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpRequestID},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfErrorStatus)},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfErrorIndex)},
		{class: berUni, tag: berTagSeq, flags: berNoOwnTag, fn: snmpVarBinds},
	}
	snmpBulkSeq = []berEntry{
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpRequestID},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfNonRepeaters)},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfMaxRepetitions)},
		{class: berUni, tag: berTagSeq, flags: berNoOwnTag, fn: snmpVarBinds},
	}
	snmpTrapSeq = []berEntry{
		{class: berUni, tag: berTagOID, flags: berNoOwnTag, fn: snmpEnterprise},
		{class: berApp, tag: 0, flags: berNoOwnTag, fn: snmpAgentAddr},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfGenericTrap)},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfSpecificTrap)},
		{class: berApp, tag: 3, flags: berNoOwnTag, fn: snmpTagged(snmpInt(sfTimeStamp))},
		{class: berUni, tag: berTagSeq, flags: berNoOwnTag, fn: snmpVarBinds},
	}
	snmpV3Seq = []berEntry{
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpVersion(sfMsgVersion)},
		{class: berUni, tag: berTagSeq, flags: berNoOwnTag, fn: snmpSeq(&snmpHeaderSeq, sfMsgGlobalData)},
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpSecurityParameters},
		{class: berAny, tag: -1, flags: berNoOwnTag | berNoChkTag, fn: func(x *snmpDec, impl bool, t snmpTVB, off int) int {
			end, _ := x.choice(t, off, snmpScopedChoice, sfMsgData)
			return end
		}},
	}
	snmpHeaderSeq = []berEntry{
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfMsgID)},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfMsgMaxSize)},
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpMsgFlags},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: func(x *snmpDec, impl bool, t snmpTVB, off int) int {
			v, end := x.integer(impl, t, off, sfMsgSecurityModel)
			x.d.streams.snmp.secModel = uint32(v)
			return end
		}},
	}
	snmpUSMSeq = []berEntry{
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpEngineOctets(sfEngineID)},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfEngineBoots)},
		{class: berUni, tag: berTagInteger, flags: berNoOwnTag, fn: snmpInt(sfEngineTime)},
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpOctets(sfUserName)},
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpOctets(sfAuthParameters)},
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpOctets(sfPrivParameters)},
	}
	snmpScopedChoice = []berEntry{
		{value: 0, class: berUni, tag: berTagSeq, flags: berNoOwnTag, fn: snmpSeq(&snmpScopedSeq, sfPlaintextElement)},
		{value: 1, class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: func(x *snmpDec, impl bool, t snmpTVB, off int) int {
			end, _, _ := x.octets(t, off, sfEncryptedPDU)
			x.setInfo("encryptedPDU: privKey Unknown") // wirelab has no keys
			return end
		}},
	}
	snmpScopedSeq = []berEntry{
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpEngineOctets(sfContextEngineID)},
		{class: berUni, tag: berTagOctets, flags: berNoOwnTag, fn: snmpOctets(sfContextName)},
		{class: berAny, tag: -1, flags: berNoOwnTag | berNoChkTag, fn: snmpPDUs(sfData)},
	}
)

func snmpVersion(f snmpField) snmpFn {
	return func(x *snmpDec, impl bool, t snmpTVB, off int) int {
		v, end := x.integer(impl, t, off, f)
		x.d.streams.snmp.version = uint32(v)
		return end
	}
}

func snmpRequestID(x *snmpDec, impl bool, t snmpTVB, off int) int {
	v, end := x.integer(impl, t, off, sfRequestID)
	x.d.streams.snmp.reqID = uint32(v)
	return end
}

// snmpEnterprise is a v1 trap's enterprise, which Info names.
func snmpEnterprise(x *snmpDec, impl bool, t snmpTVB, off int) int {
	end, contents, ok := x.oid(t, off, sfEnterprise)
	if ok {
		x.out.info = append(x.out.info, ' ')
		ids, valid := oidSubids(contents, x.ids[:0])
		if len(contents) == 0 || !valid {
			x.out.info = append(x.out.info, "*** Malformed OID ***"...)
		} else {
			x.out.info = oidResolved(x.out.info, ids)
		}
	}
	return end
}

// snmpAgentAddr is [APPLICATION 0] IMPLICIT OCTET STRING (SIZE (4)).
func snmpAgentAddr(x *snmpDec, impl bool, t snmpTVB, off int) int {
	_, pc, _, o := x.ident(t, off)
	n, ind, o := x.length(t, o, 1)
	in := x.sub(t, o, int(int32(n)))
	rem := uint32(int32(x.remaining(in, 0)))
	if !(ind && rem == n-2) && rem < n {
		return berWrap(o, n) // Wireshark's "illegal length"
	}
	if pc {
		x.reassemble(in, 0, n, ind, sfAgentAddr, true, 0)
		return berWrap(o, n)
	}
	ln := x.remaining(in, 0)
	if uint64(n) <= uint64(uint32(int32(ln))) {
		ln = int(int32(n))
	}
	x.octetsItem(in, 0, ln, sfAgentAddr, berTagOctets, true)
	return berWrap(o, n)
}

// snmpMsgFlags is v3's flags byte, shown bit by bit too.
func snmpMsgFlags(x *snmpDec, impl bool, t snmpTVB, off int) int {
	end, in, ok := x.octets(t, off, sfMsgFlags)
	if ok {
		f := x.u8(in, 0)
		x.add(sfFlagReport, uint64(f&4))
		x.add(sfFlagCrypt, uint64(f&2))
		x.add(sfFlagAuth, uint64(f&1))
	}
	return end
}

// snmpSecurityParameters are USM's parameters (a SEQUENCE inside the OCTET
// STRING) when the header's security model, or the last packet's, is 3.
func snmpSecurityParameters(x *snmpDec, impl bool, t snmpTVB, off int) int {
	if x.d.streams.snmp.secModel != 3 {
		end, _, _ := x.octets(t, off, sfMsgSecurityParameters)
		return end
	}
	_, _, _, off = x.ident(t, off)
	_, _, off = x.length(t, off, 1)
	return x.sequence(false, t, off, snmpUSMSeq, 0)
}

// engineID is dissect_snmp_engineid: RFC 3411's formats, or RFC 1910's.
func (x *snmpDec) engineID(t snmpTVB) {
	rem := x.remaining(t, 0)
	if rem < 1 {
		return
	}
	conform := x.u8(t, 0) >> 7
	x.add(sfEngineConform, uint64(conform))
	if rem < 4 {
		return
	}
	x.get(t, 0, 4)
	ent := be32(x.b[t.start:])
	if conform != 0 {
		ent -= 0x80000000
	}
	x.add(sfEngineEnterprise, uint64(ent))
	off := 4
	rem -= 4
	if conform == 0 {
		if rem == 8 {
			x.addBytes(sfAgentIDTrailer, x.bytes(t, off, 8))
		} else {
			x.check(t, off, rem) // the expert note on what is left
		}
		return
	}
	if rem < 1 {
		return
	}
	format := x.u8(t, off)
	x.add(sfEngineFormat, uint64(format))
	off++
	rem--
	switch format {
	case 1:
		if rem == 4 {
			x.add(sfEngineIPv4, uint64(be32(x.bytes(t, off, 4))))
			off, rem = off+4, 0
		}
	case 2:
		if rem == 16 {
			x.addBytes(sfEngineIPv6, x.bytes(t, off, 16))
			off, rem = off+16, 0
		}
	case 3:
		if ent == 9 && rem == 7 {
			x.add(sfEngineCiscoType, uint64(x.u8(t, off)))
			off++
			rem--
		}
		if rem == 6 {
			x.add(sfEngineMAC, mac48(x.bytes(t, off, 6)))
			off, rem = off+6, 0
		}
	case 4:
		if rem <= 27 {
			x.addBytes(sfEngineText, snmpString(x.bytes(t, off, rem), false))
			off, rem = off+rem, 0
		}
	case 128:
		if ent == 2021 || ent == 8072 {
			// net-snmp's: 4 random bytes, then the creation time.
			if rem == 8 || rem == 12 {
				x.addBytes(sfEngineData, x.bytes(t, off, 4))
				x.check(t, off+4, rem-4)
				off, rem = off+rem, 0
			}
			break
		}
		fallthrough
	default:
		if rem <= 27 {
			x.addBytes(sfEngineData, x.bytes(t, off, rem))
			off, rem = off+rem, 0
		}
	}
	if rem > 0 {
		x.check(t, off, rem) // the expert note on what is left
	}
}

// snmpVarBinds is the VarBindList, a SEQUENCE OF VarBind: Wireshark first
// counts the items (when nothing is cut short), then dissects each.
func snmpVarBinds(x *snmpDec, impl bool, t snmpTVB, off int) int {
	hoff := off
	class, pc, tag, o := x.ident(t, off)
	n, _, o := x.length(t, o, 1)
	end := berWrap(o, n)
	if class != berApp && class != berPri && (!pc || class != berUni || tag != berTagSeq) {
		x.check(t, hoff, 2)
		return end
	}
	off = o
	cnt := 0
	if x.capLen(t)-min(off, x.capLen(t)) == x.remaining(t, off) {
		for o := off; o < end; {
			s := o
			if x.u8(t, o) == 0 && x.u8(t, o+1) == 0 {
				break
			}
			_, _, _, o = x.ident(t, o)
			var l uint32
			l, _, o = x.length(t, o, 1)
			cnt++
			// tshark gives up counting on a length that takes the
			// offset past 2^31, and on one that goes backwards.
			if uint64(o)+uint64(l) > 1<<31-1 || berWrap(o, l) <= s {
				cnt = 0
				break
			}
			o = berWrap(o, l)
		}
	}
	x.add(sfVariableBindings, uint64(cnt))
	for off < end {
		h := off
		if x.u8(t, off) == 0 && x.u8(t, off+1) == 0 {
			return off + 2
		}
		class, _, tag, o := x.ident(t, off)
		l, _, o := x.length(t, o, 1)
		eoff := berWrap(o, l)
		if eoff <= h {
			panic(snmpMalformed)
		}
		if class == berUni && tag == 0 {
			_, _, _, o = x.ident(t, h)
			x.length(t, o, 1)
			return eoff
		}
		if class == berUni && tag == berTagSeq {
			x.varbind(x.sub(t, h, eoff-h), 0)
		}
		off = eoff
	}
	if off != end && off-2 >= 0 {
		x.check(t, off-2, 2)
	}
	return end
}

// varbind is Wireshark's hand-written dissect_snmp_VarBind, without MIBs:
// the name, the value by its tag, and the name in Info.
func (x *snmpDec) varbind(t snmpTVB, off int) {
	// Wireshark's text items (the VarBind subtree, its error notes) need
	// their bytes, unlike its FT_NONE fields.
	seqOff := off
	class, pc, tag, o := x.ident(t, off)
	seqLen, ind, o := x.length(t, o, 1)
	if !pc && class == berUni && tag == berTagSeq || ind {
		x.check(t, seqOff, int(int32(seqLen+uint32(o-seqOff))))
		x.unknown(t, seqOff, 1)
		return
	}
	x.check(t, o, int(int32(seqLen)))
	seqLen += uint32(o - seqOff)
	class, pc, tag, o = x.ident(t, o)
	nameLen, ind, o := x.length(t, o, 1)
	if pc || class != berUni || tag != berTagOID || ind {
		x.check(t, seqOff, int(int32(seqLen)))
		x.unknown(t, seqOff, 1)
		return
	}
	nameOff := o
	name := x.bytes(t, nameOff, int(int32(nameLen)))
	x.addBytes(sfName, name)
	valueStart := berWrap(nameOff, nameLen)
	class, pc, tag, o = x.ident(t, valueStart)
	n, _, voff := x.length(t, o, 1)
	if pc {
		x.check(t, valueStart, int(int32(n)))
		x.unknown(t, valueStart, 1)
		return
	}
	ids, ok := oidSubids(name, x.ids[:0])
	if !ok {
		x.unknown(t, nameOff, 1)
		return
	}
	vlen := int(int32(n))
	wrongLen := false
	if class == berCon {
		var f snmpField
		switch tag {
		case 0:
			f = sfNoSuchObject
		case 1:
			f = sfNoSuchInstance
		case 2:
			f = sfEndOfMibView
		default:
			x.unknown(t, valueStart, 1)
			return
		}
		wrongLen = n != 0
		x.none(t, voff, vlen, f)
	} else {
		wrongLen = x.value(t, class, tag, voff, n, ids)
	}
	x.out.info = append(x.out.info, ' ')
	x.out.info = oidInfoName(x.out.info, ids)
	if wrongLen {
		x.unknown(t, valueStart, 1)
	}
}

// value shows a binding's value by its class and tag; it reports a length
// the type does not allow (Wireshark then shows the value's BER).
func (x *snmpDec) value(t snmpTVB, class uint8, tag int32, voff int, n uint32, ids []uint32) (wrongLen bool) {
	vlen := int(int32(n))
	var f snmpField
	switch int32(class) | tag<<4 {
	case berUni | berTagInteger<<4:
		if n > 4 || n < 1 {
			f, wrongLen = sfValueInt, true
			break
		}
		var v int64
		if x.u8(t, voff)&0x80 != 0 {
			v = -1
		}
		for i := 0; i < vlen; i++ {
			v = v<<8 | int64(x.u8(t, voff+i))
		}
		x.add(sfValueInt, uint64(v))
		x.valueText(t, voff, vlen, ids)
		return false
	case berUni | berTagOctets<<4:
		f = sfValueOctets
	case berUni | berTagOID<<4:
		f, wrongLen = sfValueOID, n < 1
	case berUni | berTagNull<<4:
		f, wrongLen = sfValueNull, n != 0
	case berApp:
		switch n {
		case 4:
			f = sfValueIPv4
		case 16:
			f = sfValueIPv6
		default:
			f = sfValueAddr
		}
	case berApp | 7<<4:
		f = sfValueU32
	case berApp | 2<<4:
		f = sfValueG32
	case berApp | 1<<4, berApp | 6<<4:
		f = sfValueCounter
	case berApp | 3<<4:
		f = sfValueTimeticks
	case berApp | 4<<4:
		f = sfValueOpaque
	case berApp | 5<<4:
		f = sfValueNSAP
	default:
		f = sfValueUnk
	}
	typ := snmpFields[f].typ
	integral := typ == filter.Uint || typ == filter.Int
	// A value too long or empty for its number is an expert note, which
	// needs its bytes once shown (Wireshark's expert items check them).
	switch {
	case n > 8 && typ == filter.Uint:
		if n > 9 || x.u8(t, voff) != 0 {
			x.check(t, voff, vlen) // "Integral value too large"
			x.valueText(t, voff, vlen, ids)
			return wrongLen
		}
		voff++
		vlen--
	case n > 8 && typ == filter.Int, n == 0 && integral:
		x.check(t, voff, vlen)
		x.valueText(t, voff, vlen, ids)
		return wrongLen
	}
	switch typ {
	case filter.None:
		x.none(t, voff, vlen, f)
	case filter.Uint, filter.Int:
		b := x.bytes(t, voff, vlen)
		var v uint64
		if typ == filter.Int && b[0]&0x80 != 0 {
			v = ^uint64(0)
		}
		for _, c := range b {
			v = v<<8 | uint64(c)
		}
		x.add(f, v)
	case filter.IPv4:
		x.add(f, uint64(be32(x.bytes(t, voff, 4))))
	default:
		x.addBytes(f, x.bytes(t, voff, vlen))
	}
	x.valueText(t, voff, vlen, ids)
	return wrongLen
}

// valueText queues a value for Wireshark's variable dissectors, which show
// sysDescr.0 and sysName.0 as text once the message is dissected.
func (x *snmpDec) valueText(t snmpTVB, voff, vlen int, ids []uint32) {
	if vlen <= 0 {
		return
	}
	if voff > x.capLen(t) {
		panic(snmpCut) // tvb_new_subset_length past the captured bytes
	}
	if len(ids) == 9 && ids[8] == 0 && (ids[7] == 1 || ids[7] == 5) &&
		ids[0] == 1 && ids[1] == 3 && ids[2] == 6 && ids[3] == 1 && ids[4] == 2 && ids[5] == 1 && ids[6] == 1 {
		x.strs = append(x.strs, snmpTVB{start: t.start + voff, rep: vlen})
	}
}

// pair is snmp_match_request_response: a request (get, get-next, set,
// getBulk, inform) is remembered by the last request ID read, in its
// conversation; a get-response with that ID names it.
func (x *snmpDec) pair(pdu uint32) {
	st := &x.d.streams.snmp
	switch pdu {
	case 0, 1, 2, 3, 5, 6:
	default:
		return
	}
	if st.convs == nil || len(st.convs) >= maxSmallConns {
		st.convs = make(map[connKey]map[uint32]*snmpReq)
	}
	src, dst := x.p.endpoints()
	k := makeKey(src, dst, x.p.udp.sport, x.p.udp.dport)
	reqs := st.convs[k]
	if reqs == nil || len(reqs) >= snmpMaxRequests {
		reqs = make(map[uint32]*snmpReq)
		st.convs[k] = reqs
	}
	r := reqs[st.reqID]
	if r == nil {
		r = &snmpReq{}
		reqs[st.reqID] = r
	}
	if pdu == 2 {
		r.respFrame = x.p.Number
	} else {
		r.reqFrame, r.respFrame, r.reqTime = x.p.Number, 0, x.p.Time
	}
	if r.reqFrame != 0 && r.respFrame != 0 && r.reqFrame != x.p.Number {
		x.add(sfResponseTo, uint64(r.reqFrame))
		ns := x.p.Time.Sub(r.reqTime).Nanoseconds()
		x.out.vals = append(x.out.vals, snmpVal{sfTime, seconds(nil, ns)[0]})
	}
}
