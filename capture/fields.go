package capture

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Field IDs: the dense index of every field in the registry. Packet.Values
// switches on them, so adding a field means a constant here, a row in fieldDefs
// and a case in Packet.values.
const (
	fFrame = iota
	fFrameNumber
	fFrameTimeRelative
	fFrameTimeEpoch
	fFrameLen
	fFrameCapLen
	fFrameProtocols
	fFrameComment
	fFrameInterfaceID

	fEth
	fEthSrc
	fEthDst
	fEthAddr
	fEthType

	fVLAN
	fVLANID
	fVLANPriority
	fVLANEtype

	fSLL
	fSLLPktType
	fSLLEtype
	fNull

	fARP
	fARPOpcode
	fARPSrcHW
	fARPSrcIP
	fARPDstHW
	fARPDstIP

	fIP
	fIPVersion
	fIPHdrLen
	fIPDSField
	fIPLen
	fIPID
	fIPFlags
	fIPFlagsDF
	fIPFlagsMF
	fIPFragOffset
	fIPTTL
	fIPProto
	fIPChecksum
	fIPSrc
	fIPDst
	fIPAddr

	fIPv6
	fIPv6TClass
	fIPv6Flow
	fIPv6Plen
	fIPv6Nxt
	fIPv6Hlim
	fIPv6Src
	fIPv6Dst
	fIPv6Addr

	fTCP
	fTCPSrcPort
	fTCPDstPort
	fTCPPort
	fTCPStream
	fTCPLen
	fTCPSeq
	fTCPSeqRaw
	fTCPNxtSeq
	fTCPAck
	fTCPAckRaw
	fTCPHdrLen
	fTCPFlags
	fTCPFlagsFin
	fTCPFlagsSyn
	fTCPFlagsReset
	fTCPFlagsPush
	fTCPFlagsAck
	fTCPFlagsUrg
	fTCPFlagsEce
	fTCPFlagsCwr
	fTCPWindowSizeValue
	fTCPWindowSize
	fTCPChecksum
	fTCPUrgentPointer
	fTCPOptionsMSS
	fTCPPayload
	fTCPAnalysisFlags
	fTCPAnalysisRetransmission
	fTCPAnalysisSpurious
	fTCPAnalysisLostSegment
	fTCPAnalysisDupAck
	fTCPAnalysisKeepAlive
	fTCPAnalysisWindowUpdate
	fTCPAnalysisReusedPorts

	fUDP
	fUDPSrcPort
	fUDPDstPort
	fUDPPort
	fUDPLength
	fUDPChecksum
	fUDPStream
	fUDPPayload

	fICMP
	fICMPType
	fICMPCode
	fICMPChecksum
	fICMPIdent
	fICMPSeq

	fICMPv6
	fICMPv6Type
	fICMPv6Code
	fICMPv6Checksum
	fICMPv6EchoID
	fICMPv6EchoSeq

	fDNS
	fDNSID
	fDNSFlags
	fDNSFlagsResponse
	fDNSFlagsOpcode
	fDNSFlagsRcode
	fDNSCountQueries
	fDNSCountAnswers
	fDNSCountAuth
	fDNSCountAdd
	fDNSQryName
	fDNSQryType
	fDNSQryClass
	fDNSRespName
	fDNSRespType
	fDNSRespTTL
	fDNSA
	fDNSAAAA
	fDNSCNAME

	fHTTP
	fHTTPRequest
	fHTTPResponse
	fHTTPRequestMethod
	fHTTPRequestURI
	fHTTPRequestVersion
	fHTTPHost
	fHTTPUserAgent
	fHTTPResponseVersion
	fHTTPResponseCode
	fHTTPResponsePhrase
	fHTTPContentLength
	fHTTPContentType
	fHTTPServer
	fHTTPLocation
	fHTTPConnection

	fData
	fDataData
	fDataLen

	numFields
)

type fieldDef struct {
	name    string
	typ     filter.Type
	hex     uint8 // print as 0x%0*x with this many digits, as tshark does; 0 = decimal
	desc    string
	example string
}

var fieldDefs = [numFields]fieldDef{
	fFrame:             {"frame", filter.None, 0, "Every captured frame", "frame"},
	fFrameNumber:       {"frame.number", filter.Uint, 0, "Frame number, from 1", "frame.number == 4"},
	fFrameTimeRelative: {"frame.time_relative", filter.Float, 0, "Seconds since the first frame", "frame.time_relative <= 1.5"},
	fFrameTimeEpoch:    {"frame.time_epoch", filter.Float, 0, "Capture time, seconds since 1970-01-01 UTC", "frame.time_epoch > 1700000000"},
	fFrameLen:          {"frame.len", filter.Uint, 0, "Frame length on the wire, in bytes", "frame.len > 1000"},
	fFrameCapLen:       {"frame.cap_len", filter.Uint, 0, "Captured length of the frame, in bytes", "frame.cap_len < frame.len"},
	fFrameProtocols:    {"frame.protocols", filter.String, 0, "Protocols in the frame, outermost first, colon-separated", `frame.protocols contains "http"`},
	fFrameComment:      {"frame.comment", filter.String, 0, "A comment attached to the frame (pcapng)", `frame.comment contains "check"`},
	fFrameInterfaceID:  {"frame.interface_id", filter.Uint, 0, "Index of the capture interface (pcapng)", "frame.interface_id == 0"},

	fEth:     {"eth", filter.None, 0, "Ethernet", "eth"},
	fEthSrc:  {"eth.src", filter.Ether, 0, "Ethernet source address", "eth.src == 02:00:00:00:00:01"},
	fEthDst:  {"eth.dst", filter.Ether, 0, "Ethernet destination address", "eth.dst == ff:ff:ff:ff:ff:ff"},
	fEthAddr: {"eth.addr", filter.Ether, 0, "Ethernet source or destination address (destination first)", "eth.addr == 02:00:00:00:00:01"},
	fEthType: {"eth.type", filter.Uint, 4, "EtherType", "eth.type == 0x0806"},

	fVLAN:         {"vlan", filter.None, 0, "IEEE 802.1Q virtual LAN tag", "vlan"},
	fVLANID:       {"vlan.id", filter.Uint, 0, "VLAN identifier", "vlan.id == 10"},
	fVLANPriority: {"vlan.priority", filter.Uint, 0, "VLAN priority (PCP)", "vlan.priority > 0"},
	fVLANEtype:    {"vlan.etype", filter.Uint, 4, "EtherType after the VLAN tag", "vlan.etype == 0x0800"},

	fSLL:        {"sll", filter.None, 0, "Linux cooked capture (v1 or v2)", "sll"},
	fSLLPktType: {"sll.pkttype", filter.Uint, 0, "Packet type: 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us", "sll.pkttype == 4"},
	fSLLEtype:   {"sll.etype", filter.Uint, 4, "Protocol (EtherType) of a Linux cooked capture", "sll.etype == 0x0800"},
	fNull:       {"null", filter.None, 0, "BSD loopback (DLT_NULL, DLT_LOOP) encapsulation", "null"},

	fARP:       {"arp", filter.None, 0, "Address Resolution Protocol", "arp"},
	fARPOpcode: {"arp.opcode", filter.Uint, 0, "ARP operation: 1 request, 2 reply", "arp.opcode == 1"},
	fARPSrcHW:  {"arp.src.hw_mac", filter.Ether, 0, "Sender MAC address", "arp.src.hw_mac == 02:00:00:00:00:01"},
	fARPSrcIP:  {"arp.src.proto_ipv4", filter.IPv4, 0, "Sender IPv4 address", "arp.src.proto_ipv4 == 10.0.0.2"},
	fARPDstHW:  {"arp.dst.hw_mac", filter.Ether, 0, "Target MAC address", "arp.dst.hw_mac == 00:00:00:00:00:00"},
	fARPDstIP:  {"arp.dst.proto_ipv4", filter.IPv4, 0, "Target IPv4 address", "arp.dst.proto_ipv4 == 10.0.0.1"},

	fIP:           {"ip", filter.None, 0, "Internet Protocol version 4", "ip"},
	fIPVersion:    {"ip.version", filter.Uint, 0, "IP version (4)", "ip.version == 4"},
	fIPHdrLen:     {"ip.hdr_len", filter.Uint, 0, "IPv4 header length, in bytes", "ip.hdr_len > 20"},
	fIPDSField:    {"ip.dsfield", filter.Uint, 2, "Differentiated services field (DSCP and ECN)", "ip.dsfield != 0"},
	fIPLen:        {"ip.len", filter.Uint, 0, "IPv4 total length, in bytes", "ip.len > 1400"},
	fIPID:         {"ip.id", filter.Uint, 4, "IPv4 identification", "ip.id == 0x5ef8"},
	fIPFlags:      {"ip.flags", filter.Uint, 2, "IPv4 flags (reserved, DF, MF) as a number", "ip.flags & 0x02"},
	fIPFlagsDF:    {"ip.flags.df", filter.Bool, 0, "IPv4 don't fragment flag", "ip.flags.df == 1"},
	fIPFlagsMF:    {"ip.flags.mf", filter.Bool, 0, "IPv4 more fragments flag", "ip.flags.mf == 1"},
	fIPFragOffset: {"ip.frag_offset", filter.Uint, 0, "IPv4 fragment offset, in bytes", "ip.frag_offset > 0"},
	fIPTTL:        {"ip.ttl", filter.Uint, 0, "IPv4 time to live", "ip.ttl < 64"},
	fIPProto:      {"ip.proto", filter.Uint, 0, "IPv4 protocol: 1 ICMP, 6 TCP, 17 UDP", "ip.proto == 6"},
	fIPChecksum:   {"ip.checksum", filter.Uint, 4, "IPv4 header checksum", "ip.checksum == 0"},
	fIPSrc:        {"ip.src", filter.IPv4, 0, "IPv4 source address", "ip.src == 10.0.0.0/8"},
	fIPDst:        {"ip.dst", filter.IPv4, 0, "IPv4 destination address", "ip.dst == 10.0.0.80"},
	fIPAddr:       {"ip.addr", filter.IPv4, 0, "IPv4 source or destination address", "ip.addr == 127.0.0.1"},

	fIPv6:       {"ipv6", filter.None, 0, "Internet Protocol version 6", "ipv6"},
	fIPv6TClass: {"ipv6.tclass", filter.Uint, 8, "IPv6 traffic class", "ipv6.tclass != 0"},
	fIPv6Flow:   {"ipv6.flow", filter.Uint, 6, "IPv6 flow label", "ipv6.flow == 0"},
	fIPv6Plen:   {"ipv6.plen", filter.Uint, 0, "IPv6 payload length, in bytes", "ipv6.plen > 1000"},
	fIPv6Nxt:    {"ipv6.nxt", filter.Uint, 0, "IPv6 next header (of the fixed header): 0 hop-by-hop, 6 TCP, 17 UDP, 58 ICMPv6", "ipv6.nxt == 58"},
	fIPv6Hlim:   {"ipv6.hlim", filter.Uint, 0, "IPv6 hop limit", "ipv6.hlim == 255"},
	fIPv6Src:    {"ipv6.src", filter.IPv6, 0, "IPv6 source address", "ipv6.src == fe80::/10"},
	fIPv6Dst:    {"ipv6.dst", filter.IPv6, 0, "IPv6 destination address", "ipv6.dst == ::1"},
	fIPv6Addr:   {"ipv6.addr", filter.IPv6, 0, "IPv6 source or destination address", "ipv6.addr == 2001:db8::1"},

	fTCP:                {"tcp", filter.None, 0, "Transmission Control Protocol", "tcp"},
	fTCPSrcPort:         {"tcp.srcport", filter.Uint, 0, "TCP source port", "tcp.srcport == 80"},
	fTCPDstPort:         {"tcp.dstport", filter.Uint, 0, "TCP destination port", "tcp.dstport == 80"},
	fTCPPort:            {"tcp.port", filter.Uint, 0, "TCP source or destination port", "tcp.port in {80, 443, 8000..8080}"},
	fTCPStream:          {"tcp.stream", filter.Uint, 0, "TCP conversation index, from 0 in order of first appearance", "tcp.stream == 0"},
	fTCPLen:             {"tcp.len", filter.Uint, 0, "TCP segment (payload) length, in bytes", "tcp.len > 0"},
	fTCPSeq:             {"tcp.seq", filter.Uint, 0, "Sequence number, relative to the direction's initial sequence number", "tcp.seq == 1"},
	fTCPSeqRaw:          {"tcp.seq_raw", filter.Uint, 0, "Sequence number as sent", "tcp.seq_raw == 1234567"},
	fTCPNxtSeq:          {"tcp.nxtseq", filter.Uint, 0, "Next expected sequence number (seq + len + SYN + FIN), relative", "tcp.nxtseq == 84"},
	fTCPAck:             {"tcp.ack", filter.Uint, 0, "Acknowledgment number, relative to the other direction's initial sequence number (0 without ACK)", "tcp.ack == 1"},
	fTCPAckRaw:          {"tcp.ack_raw", filter.Uint, 0, "Acknowledgment number as sent", "tcp.ack_raw == 7654321"},
	fTCPHdrLen:          {"tcp.hdr_len", filter.Uint, 0, "TCP header length, in bytes", "tcp.hdr_len == 32"},
	fTCPFlags:           {"tcp.flags", filter.Uint, 4, "TCP flags as a number (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80)", "tcp.flags & 0x12 == 0x12"},
	fTCPFlagsFin:        {"tcp.flags.fin", filter.Bool, 0, "TCP FIN flag", "tcp.flags.fin == 1"},
	fTCPFlagsSyn:        {"tcp.flags.syn", filter.Bool, 0, "TCP SYN flag", "tcp.flags.syn == 1 && tcp.flags.ack == 0"},
	fTCPFlagsReset:      {"tcp.flags.reset", filter.Bool, 0, "TCP RST flag", "tcp.flags.reset == 1"},
	fTCPFlagsPush:       {"tcp.flags.push", filter.Bool, 0, "TCP PSH flag", "tcp.flags.push == 1"},
	fTCPFlagsAck:        {"tcp.flags.ack", filter.Bool, 0, "TCP ACK flag", "tcp.flags.ack == 1"},
	fTCPFlagsUrg:        {"tcp.flags.urg", filter.Bool, 0, "TCP URG flag", "tcp.flags.urg == 1"},
	fTCPFlagsEce:        {"tcp.flags.ece", filter.Bool, 0, "TCP ECN-Echo flag", "tcp.flags.ece == 1"},
	fTCPFlagsCwr:        {"tcp.flags.cwr", filter.Bool, 0, "TCP congestion window reduced flag", "tcp.flags.cwr == 1"},
	fTCPWindowSizeValue: {"tcp.window_size_value", filter.Uint, 0, "Window field as sent (before scaling)", "tcp.window_size_value == 0"},
	fTCPWindowSize:      {"tcp.window_size", filter.Uint, 0, "Window size after window scaling, when the handshake was seen", "tcp.window_size < 1000"},
	fTCPChecksum:        {"tcp.checksum", filter.Uint, 4, "TCP checksum", "tcp.checksum == 0xfe30"},
	fTCPUrgentPointer:   {"tcp.urgent_pointer", filter.Uint, 0, "TCP urgent pointer", "tcp.urgent_pointer != 0"},
	fTCPOptionsMSS:      {"tcp.options.mss_val", filter.Uint, 0, "Maximum segment size option value", "tcp.options.mss_val == 1460"},
	fTCPPayload:         {"tcp.payload", filter.Bytes, 0, "TCP payload bytes of this segment", `tcp.payload contains "GET"`},

	fTCPAnalysisFlags:          {"tcp.analysis.flags", filter.None, 0, "Sequence analysis found something worth a look (any of the tcp.analysis fields)", "tcp.analysis.flags"},
	fTCPAnalysisRetransmission: {"tcp.analysis.retransmission", filter.None, 0, "The segment repeats data already seen in this direction", "tcp.analysis.retransmission"},
	fTCPAnalysisSpurious:       {"tcp.analysis.spurious_retransmission", filter.None, 0, "A retransmission of data the other side had already acknowledged", "tcp.analysis.spurious_retransmission"},
	fTCPAnalysisLostSegment:    {"tcp.analysis.lost_segment", filter.None, 0, "A gap: the previous segment of this direction was not captured", "tcp.analysis.lost_segment"},
	fTCPAnalysisDupAck:         {"tcp.analysis.duplicate_ack", filter.None, 0, "A duplicate acknowledgment (same ack, window and sequence, no data)", "tcp.analysis.duplicate_ack"},
	fTCPAnalysisKeepAlive:      {"tcp.analysis.keep_alive", filter.None, 0, "A keep-alive segment (one byte or none, one before the next sequence number)", "tcp.analysis.keep_alive"},
	fTCPAnalysisWindowUpdate:   {"tcp.analysis.window_update", filter.None, 0, "A pure window update: only the window changed", "tcp.analysis.window_update"},
	fTCPAnalysisReusedPorts:    {"tcp.analysis.reused_ports", filter.None, 0, "A SYN reusing the ports of an earlier, closed connection (a new tcp.stream)", "tcp.analysis.reused_ports"},

	fUDP:         {"udp", filter.None, 0, "User Datagram Protocol", "udp"},
	fUDPSrcPort:  {"udp.srcport", filter.Uint, 0, "UDP source port", "udp.srcport == 53"},
	fUDPDstPort:  {"udp.dstport", filter.Uint, 0, "UDP destination port", "udp.dstport == 53"},
	fUDPPort:     {"udp.port", filter.Uint, 0, "UDP source or destination port", "udp.port == 53"},
	fUDPLength:   {"udp.length", filter.Uint, 0, "UDP length (header and payload), in bytes", "udp.length > 512"},
	fUDPChecksum: {"udp.checksum", filter.Uint, 4, "UDP checksum", "udp.checksum == 0"},
	fUDPStream:   {"udp.stream", filter.Uint, 0, "UDP conversation index, from 0 in order of first appearance", "udp.stream == 0"},
	fUDPPayload:  {"udp.payload", filter.Bytes, 0, "UDP payload bytes", "udp.payload[0:2] == 12:34"},

	fICMP:         {"icmp", filter.None, 0, "Internet Control Message Protocol", "icmp"},
	fICMPType:     {"icmp.type", filter.Uint, 0, "ICMP type: 8 echo request, 0 echo reply, 3 unreachable, 11 time exceeded", "icmp.type == 8"},
	fICMPCode:     {"icmp.code", filter.Uint, 0, "ICMP code", "icmp.code == 3"},
	fICMPChecksum: {"icmp.checksum", filter.Uint, 4, "ICMP checksum", "icmp.checksum != 0"},
	fICMPIdent:    {"icmp.ident", filter.Uint, 0, "ICMP echo identifier", "icmp.ident == 1"},
	fICMPSeq:      {"icmp.seq", filter.Uint, 0, "ICMP echo sequence number", "icmp.seq == 1"},

	fICMPv6:         {"icmpv6", filter.None, 0, "Internet Control Message Protocol for IPv6", "icmpv6"},
	fICMPv6Type:     {"icmpv6.type", filter.Uint, 0, "ICMPv6 type: 128 echo request, 129 echo reply, 135 neighbor solicitation, 136 advertisement", "icmpv6.type == 128"},
	fICMPv6Code:     {"icmpv6.code", filter.Uint, 0, "ICMPv6 code", "icmpv6.code == 0"},
	fICMPv6Checksum: {"icmpv6.checksum", filter.Uint, 4, "ICMPv6 checksum", "icmpv6.checksum != 0"},
	fICMPv6EchoID:   {"icmpv6.echo.identifier", filter.Uint, 4, "ICMPv6 echo identifier", "icmpv6.echo.identifier == 1"},
	fICMPv6EchoSeq:  {"icmpv6.echo.sequence_number", filter.Uint, 0, "ICMPv6 echo sequence number", "icmpv6.echo.sequence_number == 1"},

	fDNS:              {"dns", filter.None, 0, "Domain Name System (UDP or TCP port 53)", "dns"},
	fDNSID:            {"dns.id", filter.Uint, 4, "DNS transaction ID", "dns.id == 0x1234"},
	fDNSFlags:         {"dns.flags", filter.Uint, 4, "DNS flags as a number", "dns.flags & 0x8000"},
	fDNSFlagsResponse: {"dns.flags.response", filter.Bool, 0, "DNS message is a response", "dns.flags.response == 1"},
	fDNSFlagsOpcode:   {"dns.flags.opcode", filter.Uint, 0, "DNS opcode: 0 standard query", "dns.flags.opcode == 0"},
	fDNSFlagsRcode:    {"dns.flags.rcode", filter.Uint, 0, "DNS reply code: 0 no error, 3 no such name", "dns.flags.rcode == 3"},
	fDNSCountQueries:  {"dns.count.queries", filter.Uint, 0, "Number of questions", "dns.count.queries == 1"},
	fDNSCountAnswers:  {"dns.count.answers", filter.Uint, 0, "Number of answer records", "dns.count.answers > 0"},
	fDNSCountAuth:     {"dns.count.auth_rr", filter.Uint, 0, "Number of authority records", "dns.count.auth_rr > 0"},
	fDNSCountAdd:      {"dns.count.add_rr", filter.Uint, 0, "Number of additional records", "dns.count.add_rr > 0"},
	fDNSQryName:       {"dns.qry.name", filter.String, 0, "Queried name", `dns.qry.name == "www.example.com"`},
	fDNSQryType:       {"dns.qry.type", filter.Uint, 0, "Query type: 1 A, 28 AAAA, 5 CNAME, 15 MX, 16 TXT", "dns.qry.type == 28"},
	fDNSQryClass:      {"dns.qry.class", filter.Uint, 4, "Query class: 0x0001 IN", "dns.qry.class == 1"},
	fDNSRespName:      {"dns.resp.name", filter.String, 0, "Name of an answer record", `dns.resp.name == "www.example.com"`},
	fDNSRespType:      {"dns.resp.type", filter.Uint, 0, "Type of an answer record", "dns.resp.type == 1"},
	fDNSRespTTL:       {"dns.resp.ttl", filter.Uint, 0, "Time to live of an answer record, in seconds", "dns.resp.ttl < 60"},
	fDNSA:             {"dns.a", filter.IPv4, 0, "IPv4 address in an A record", "dns.a == 10.0.0.80"},
	fDNSAAAA:          {"dns.aaaa", filter.IPv6, 0, "IPv6 address in an AAAA record", "dns.aaaa == 2001:db8::80"},
	fDNSCNAME:         {"dns.cname", filter.String, 0, "Canonical name in a CNAME record", `dns.cname contains "cdn"`},

	fHTTP:                {"http", filter.None, 0, "Hypertext Transfer Protocol/1.x (reported on the segment that completes the message)", "http"},
	fHTTPRequest:         {"http.request", filter.None, 0, "The frame carries an HTTP request", "http.request"},
	fHTTPResponse:        {"http.response", filter.None, 0, "The frame carries an HTTP response", "http.response"},
	fHTTPRequestMethod:   {"http.request.method", filter.String, 0, "Request method", `http.request.method == "GET"`},
	fHTTPRequestURI:      {"http.request.uri", filter.String, 0, "Request target as sent", `http.request.uri == "/"`},
	fHTTPRequestVersion:  {"http.request.version", filter.String, 0, "Request HTTP version", `http.request.version == "HTTP/1.1"`},
	fHTTPHost:            {"http.host", filter.String, 0, "Host header", `http.host == "www.example.com"`},
	fHTTPUserAgent:       {"http.user_agent", filter.String, 0, "User-Agent header", `http.user_agent contains "curl"`},
	fHTTPResponseVersion: {"http.response.version", filter.String, 0, "Response HTTP version", `http.response.version == "HTTP/1.0"`},
	fHTTPResponseCode:    {"http.response.code", filter.Uint, 0, "Response status code", "http.response.code == 200"},
	fHTTPResponsePhrase:  {"http.response.phrase", filter.String, 0, "Response reason phrase", `http.response.phrase == "OK"`},
	fHTTPContentLength:   {"http.content_length", filter.Uint, 0, "Content-Length header", "http.content_length > 0"},
	fHTTPContentType:     {"http.content_type", filter.String, 0, "Content-Type header", `http.content_type contains "html"`},
	fHTTPServer:          {"http.server", filter.String, 0, "Server header", `http.server contains "Python"`},
	fHTTPLocation:        {"http.location", filter.String, 0, "Location header", `http.location == "/login"`},
	fHTTPConnection:      {"http.connection", filter.String, 0, "Connection header", `http.connection == "close"`},

	fData:     {"data", filter.None, 0, "Payload no dissector decoded", "data"},
	fDataData: {"data.data", filter.Bytes, 0, "Bytes of the undecoded payload", `data.data contains "hello"`},
	fDataLen:  {"data.len", filter.Uint, 0, "Length of the undecoded payload, in bytes", "data.len > 0"},
}

type registry struct {
	fields []*filter.Field
	byName map[string]*filter.Field
}

func (r *registry) Lookup(name string) (*filter.Field, bool) {
	f, ok := r.byName[name]
	return f, ok
}

func (r *registry) Fields() []*filter.Field { return r.fields }

var theRegistry = sync.OnceValue(func() *registry {
	r := &registry{fields: make([]*filter.Field, numFields), byName: make(map[string]*filter.Field, numFields)}
	for id, d := range fieldDefs {
		f := &filter.Field{Name: d.name, Type: d.typ, Desc: d.desc, Example: d.example, ID: id}
		r.fields[id] = f
		r.byName[d.name] = f
	}
	return r
})

// Fields returns the field registry: every field a filter, the fields output, the
// Lua packet API or the reference may name, with Wireshark's names and types.
func Fields() filter.Registry { return theRegistry() }

// lookupField is Fields().Lookup without the interface.
func lookupField(name string) (*filter.Field, bool) { return theRegistry().Lookup(name) }

// Compile compiles a display filter against Fields.
func Compile(expr string) (*filter.Filter, error) { return filter.Compile(expr, Fields()) }

// CompileCapture compiles a capture filter (the pcap-filter subset) against Fields.
func CompileCapture(expr string) (*filter.Filter, error) {
	return filter.CompileCapture(expr, Fields())
}

// Format prints one value of f as `tshark -T fields` prints it: decimal or 0x-hex
// numbers as Wireshark displays the field, 1/0 for booleans, nine decimals for
// times, lowercase colon-separated MAC addresses, hex for byte strings.
func Format(f *filter.Field, v filter.Value) string {
	return string(appendFormat(nil, f, v))
}

func appendFormat(b []byte, f *filter.Field, v filter.Value) []byte {
	hexDigits := uint8(0)
	if f.ID >= 0 && f.ID < numFields && fieldDefs[f.ID].name == f.Name {
		hexDigits = fieldDefs[f.ID].hex
	}
	switch f.Type {
	case filter.None:
		// tshark prints a protocol's summary line; wirelab prints the
		// protocol's name, and 1 for a marker such as http.request.
		if strings.IndexByte(f.Name, '.') >= 0 {
			return append(b, '1')
		}
		return append(b, f.Name...)
	case filter.Bool:
		if v.N != 0 {
			return append(b, '1')
		}
		return append(b, '0')
	case filter.Uint:
		if hexDigits > 0 {
			b = append(b, "0x"...)
			s := strconv.FormatUint(v.N, 16)
			for i := len(s); i < int(hexDigits); i++ {
				b = append(b, '0')
			}
			return append(b, s...)
		}
		return strconv.AppendUint(b, v.N, 10)
	case filter.Int:
		return strconv.AppendInt(b, int64(v.N), 10)
	case filter.Float:
		return strconv.AppendFloat(b, v.F, 'f', 9, 64)
	case filter.IPv4:
		return netip.AddrFrom4([4]byte{byte(v.N >> 24), byte(v.N >> 16), byte(v.N >> 8), byte(v.N)}).AppendTo(b)
	case filter.IPv6:
		if len(v.B) == 16 {
			return netip.AddrFrom16([16]byte(v.B)).AppendTo(b)
		}
		return b
	case filter.Ether:
		return appendMAC(b, v.N)
	case filter.Bytes:
		return hex.AppendEncode(b, v.B)
	case filter.String:
		return append(b, v.B...)
	}
	return b
}

func appendMAC(b []byte, n uint64) []byte {
	const digits = "0123456789abcdef"
	for i := 5; i >= 0; i-- {
		o := byte(n >> (8 * i))
		b = append(b, digits[o>>4], digits[o&15])
		if i > 0 {
			b = append(b, ':')
		}
	}
	return b
}
