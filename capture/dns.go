package capture

import (
	"strconv"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// DNS over UDP and TCP port 53 (and mDNS on 5353: mdnsProto). Over TCP each message is
// preceded by its two-byte length; a message split over several segments is not
// reassembled.

type dnsQuestion struct {
	name       []byte
	typ, class uint16
}

type dnsRR struct {
	name       []byte
	typ, class uint16
	ttl        uint32
	a          uint32
	aaaa       [16]byte
	target     []byte // CNAME, NS, PTR, MX exchange, SOA mname
	pref       uint16 // MX preference
	txt        [][]byte
}

type dnsInfo struct {
	id, flags      uint16
	qd, an, ns, ar uint16
	questions      []dnsQuestion
	rrs            []dnsRR // answers, authority, additional, in order
	trans          dnsTrans
	damaged        uint8 // dnsCut, dnsMalformed: the message ends before its records do
}

// How a message is damaged: cut short by the capture's snapshot length, or
// shorter than its own header says (Wireshark's two notes in Info).
const (
	dnsCut = 1 + iota
	dnsMalformed
)

// dnsTrans is what a message knows of its transaction, as Wireshark's
// single pass does (tshark -r): a response names its query and the time
// since; a query repeated before its answer, within 5 seconds, and a second
// answer are retransmissions naming the first. A query cannot know its
// answer (dns.response_in): that takes a second pass.
type dnsTrans struct {
	responseTo    int           // a response: its query's frame
	time          time.Duration // a response: the time since its query
	retransReq    int           // a repeated query: the first one's frame
	retransResp   int           // a repeated response: the first one's frame
	unsolicited   bool          // a response to no query seen
	retransmitted bool
}

// dnsKey finds a transaction: the conversation and the message ID.
type dnsKey struct {
	conn connKey
	id   uint16
	tcp  bool
}

// dnsConv is a conversation's latest transaction with an ID.
type dnsConv struct {
	req, resp int // frames; 0 none yet
	at        time.Duration
	multi     bool // a zone transfer: many responses, none a retransmission
}

// dnsRetransmission is how soon a repeated query counts as a retransmission
// (Wireshark's dns.retransmission_timer, 5 seconds).
const dnsRetransmission = 5 * time.Second

// dnsTransaction pairs the message with its transaction (Wireshark's
// dissect_dns_common), recording what p shows of it.
// A message with questions says whether the transaction is a zone transfer.
func (s *streams) dnsTransaction(p *Packet, x *dnsInfo, k dnsKey, asks, multi bool) {
	if s.dns == nil || len(s.dns) >= maxSmallConns {
		s.dns = make(map[dnsKey]*dnsConv)
	}
	c := s.dns[k]
	t := &x.trans
	if x.flags&0x8000 == 0 {
		if c == nil || c.resp > 0 || p.Relative-c.at >= dnsRetransmission {
			c = &dnsConv{req: p.Number, at: p.Relative}
			s.dns[k] = c
		} else {
			t.retransmitted, t.retransReq = true, c.req
		}
		if asks {
			c.multi = multi
		}
		return
	}
	if c == nil {
		t.unsolicited = true
		return
	}
	retrans := false
	switch {
	case c.resp == 0:
		c.resp = p.Number
	case !c.multi:
		retrans = true
	}
	if asks {
		c.multi = multi
	}
	if retrans {
		t.retransmitted, t.retransResp = true, c.resp
		return
	}
	t.responseTo, t.time = c.req, p.Relative-c.at
}

var dnsProto = protocol{
	name: "dns", title: "DNS", desc: "Domain Name System (UDP or TCP port 53)", example: "dns", bit: pDNS,
	strEnc:   encFormat, // names as format_text writes their bytes: \000, U+FFFD, \uXXXX
	tcpPorts: []uint16{53}, udpPorts: []uint16{53},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if d.decodeDNS(p, s) {
			return taken
		}
		return rejected
	},
	info: func(p *Packet) (string, string) { return "DNS", p.dns.info() },
	fields: []field{
		{name: "dns.id", typ: filter.Uint, bits: 16, hex: 4, desc: "DNS transaction ID", example: "dns.id == 0x1234",
			get: dnsHeader(func(x *dnsInfo) uint64 { return uint64(x.id) })},
		{name: "dns.flags", typ: filter.Uint, bits: 16, hex: 4, desc: "DNS flags as a number", example: "dns.flags & 0x8000",
			get: dnsHeader(func(x *dnsInfo) uint64 { return uint64(x.flags) })},
		{name: "dns.flags.response", typ: filter.Bool, named: true, desc: "DNS message is a response", example: "dns.flags.response == 1",
			get: dnsHeader(func(x *dnsInfo) uint64 { return uint64(x.flags >> 15) })},
		{name: "dns.flags.opcode", typ: filter.Uint, bits: 16, named: true, desc: "DNS opcode: 0 standard query", example: "dns.flags.opcode == 0",
			get: dnsHeader(func(x *dnsInfo) uint64 { return uint64(x.flags >> 11 & 0xf) })},
		{name: "dns.flags.authoritative", typ: filter.Bool, named: true, desc: "Authoritative answer flag (a response from the zone's server); responses only", example: "dns.flags.authoritative == 1",
			get: dnsFlag(10, true)},
		{name: "dns.flags.truncated", typ: filter.Bool, named: true, desc: "Truncated flag (the answer did not fit: ask again over TCP)", example: "dns.flags.truncated == 1",
			get: dnsFlag(9, false)},
		{name: "dns.flags.recdesired", typ: filter.Bool, named: true, desc: "Recursion desired flag", example: "dns.flags.recdesired == 1",
			get: dnsFlag(8, false)},
		{name: "dns.flags.recavail", typ: filter.Bool, named: true, desc: "Recursion available flag; responses only", example: "dns.flags.recavail == 1",
			get: dnsFlag(7, true)},
		{name: "dns.flags.z", typ: filter.Bool, named: true, desc: "Reserved (Z) flag", example: "dns.flags.z == 1",
			get: dnsFlag(6, false)},
		{name: "dns.flags.authenticated", typ: filter.Bool, named: true, desc: "Authenticated data (AD) flag (DNSSEC); in a query only when set", example: "dns.flags.authenticated == 1",
			get: dnsValues(func(x *dnsInfo, dst []filter.Value) []filter.Value {
				if ad := x.flags >> 5 & 1; ad == 1 || x.flags&0x8000 != 0 {
					dst = u(dst, uint64(ad))
				}
				return dst
			})},
		{name: "dns.flags.checkdisable", typ: filter.Bool, named: true, desc: "Checking disabled flag (DNSSEC)", example: "dns.flags.checkdisable == 1",
			get: dnsFlag(4, false)},
		{name: "dns.flags.rcode", typ: filter.Uint, bits: 16, named: true, desc: "DNS reply code: 0 no error, 3 no such name", example: "dns.flags.rcode == 3",
			get: dnsValues(func(x *dnsInfo, dst []filter.Value) []filter.Value {
				if x.flags&0x8000 != 0 {
					return u(dst, uint64(x.flags&0xf))
				}
				return dst
			})},
		{name: "dns.count.queries", typ: filter.Uint, bits: 16, desc: "Number of questions", example: "dns.count.queries == 1",
			get: dnsHeader(func(x *dnsInfo) uint64 { return uint64(x.qd) })},
		{name: "dns.count.answers", typ: filter.Uint, bits: 16, desc: "Number of answer records", example: "dns.count.answers > 0",
			get: dnsHeader(func(x *dnsInfo) uint64 { return uint64(x.an) })},
		{name: "dns.count.auth_rr", typ: filter.Uint, bits: 16, desc: "Number of authority records", example: "dns.count.auth_rr > 0",
			get: dnsHeader(func(x *dnsInfo) uint64 { return uint64(x.ns) })},
		{name: "dns.count.add_rr", typ: filter.Uint, bits: 16, desc: "Number of additional records", example: "dns.count.add_rr > 0",
			get: dnsHeader(func(x *dnsInfo) uint64 { return uint64(x.ar) })},
		{name: "dns.qry.name", typ: filter.String, desc: "Queried name", example: `dns.qry.name == "www.example.com"`,
			get: dnsQuestions(func(q *dnsQuestion, dst []filter.Value) []filter.Value {
				return append(dst, filter.Value{B: rootName(q.name)})
			})},
		{name: "dns.qry.name.len", typ: filter.Uint, bits: 16, desc: "Length of the queried name, in characters", example: "dns.qry.name.len > 50",
			get: dnsQuestions(func(q *dnsQuestion, dst []filter.Value) []filter.Value {
				return u(dst, uint64(len(rootName(q.name))))
			})},
		{name: "dns.qry.type", typ: filter.Uint, bits: 16, named: true, desc: "Query type: 1 A, 28 AAAA, 5 CNAME, 15 MX, 16 TXT", example: "dns.qry.type == 28",
			get: dnsQuestions(func(q *dnsQuestion, dst []filter.Value) []filter.Value { return u(dst, uint64(q.typ)) })},
		{name: "dns.qry.class", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "Query class: 0x0001 IN", example: "dns.qry.class == 1",
			get: dnsQuestions(func(q *dnsQuestion, dst []filter.Value) []filter.Value { return u(dst, uint64(q.class)) })},
		{name: "dns.resp.name", typ: filter.String, desc: "Name of an answer record", example: `dns.resp.name == "www.example.com"`,
			get: dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value {
				return append(dst, filter.Value{B: rootName(r.name)})
			})},
		{name: "dns.resp.type", typ: filter.Uint, bits: 16, named: true, desc: "Type of an answer record", example: "dns.resp.type == 1",
			get: dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value { return u(dst, uint64(r.typ)) })},
		{name: "dns.resp.ttl", typ: filter.Uint, bits: 32, desc: "Time to live of an answer record, in seconds", example: "dns.resp.ttl < 60",
			get: dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value {
				if r.typ != uint16(layers.DNSTypeOPT) {
					dst = u(dst, uint64(r.ttl))
				}
				return dst
			})},
		{name: "dns.a", typ: filter.IPv4, desc: "IPv4 address in an A record", example: "dns.a == 10.0.0.80",
			get: dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value {
				if r.typ == uint16(layers.DNSTypeA) {
					dst = u(dst, uint64(r.a))
				}
				return dst
			})},
		{name: "dns.aaaa", typ: filter.IPv6, desc: "IPv6 address in an AAAA record", example: "dns.aaaa == 2001:db8::80",
			get: dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value {
				if r.typ == uint16(layers.DNSTypeAAAA) {
					dst = append(dst, filter.Value{B: r.aaaa[:]})
				}
				return dst
			})},
		{name: "dns.cname", typ: filter.String, desc: "Canonical name in a CNAME record", example: `dns.cname contains "cdn"`,
			get: dnsTarget(layers.DNSTypeCNAME)},
		{name: "dns.ns", typ: filter.String, desc: "Name server in an NS record", example: `dns.ns contains "ns1"`,
			get: dnsTarget(layers.DNSTypeNS)},
		{name: "dns.ptr.domain_name", typ: filter.String, desc: "Domain name in a PTR record (a reverse lookup's answer)", example: `dns.ptr.domain_name == "www.example.com"`,
			get: dnsTarget(layers.DNSTypePTR)},
		{name: "dns.mx.mail_exchange", typ: filter.String, desc: "Mail exchange in an MX record", example: `dns.mx.mail_exchange contains "mail"`,
			get: dnsTarget(layers.DNSTypeMX)},
		{name: "dns.mx.preference", typ: filter.Uint, bits: 16, desc: "Preference of an MX record", example: "dns.mx.preference < 20",
			get: dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value {
				if r.typ == uint16(layers.DNSTypeMX) {
					dst = u(dst, uint64(r.pref))
				}
				return dst
			})},
		{name: "dns.txt", typ: filter.String, desc: "Each character string of a TXT record", example: `dns.txt contains "spf"`,
			get: dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value {
				for _, t := range r.txt {
					dst = append(dst, filter.Value{B: t})
				}
				return dst
			})},
		{name: "dns.txt.length", typ: filter.Uint, bits: 8, desc: "The length of each character string of a TXT record", example: "dns.txt.length > 100",
			get: dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value {
				for _, t := range r.txt {
					dst = u(dst, uint64(len(t)))
				}
				return dst
			})},
		{name: "dns.response_to", typ: filter.Uint, bits: 32, desc: "On a response, the frame of its query", example: "dns.response_to",
			get: dnsTransField(func(t *dnsTrans) (uint64, bool) { return uint64(t.responseTo), t.responseTo > 0 })},
		{name: "dns.time", typ: filter.Float, desc: "On a response, the seconds since its query", example: "dns.time > 0.5",
			get: dnsValues(func(x *dnsInfo, dst []filter.Value) []filter.Value {
				if x.trans.responseTo > 0 {
					dst = seconds(dst, int64(x.trans.time))
				}
				return dst
			})},
		{name: "dns.response_in", typ: filter.Uint, bits: 32, desc: "On a query, the frame of its response: never set, as in tshark -r (one pass: a query cannot know its answer); filter responses with dns.response_to, unanswered queries in a check script", example: "dns.response_in",
			get: never},
		{name: "dns.retransmission", typ: filter.Bool, desc: "A query repeated within 5 seconds before any answer, or a second answer", example: "dns.retransmission",
			get: dnsTransField(func(t *dnsTrans) (uint64, bool) { return 1, t.retransmitted })},
		{name: "dns.retransmit_request", typ: filter.None, desc: "A repeated query (Wireshark's expert note)", example: "dns.retransmit_request",
			get: dnsTransField(func(t *dnsTrans) (uint64, bool) { return 0, t.retransReq > 0 })},
		{name: "dns.retransmit_request_in", typ: filter.Uint, bits: 32, desc: "On a repeated query, the frame of the first", example: "dns.retransmit_request_in",
			get: dnsTransField(func(t *dnsTrans) (uint64, bool) { return uint64(t.retransReq), t.retransReq > 0 })},
		{name: "dns.retransmit_response", typ: filter.None, desc: "A repeated response (Wireshark's expert note)", example: "dns.retransmit_response",
			get: dnsTransField(func(t *dnsTrans) (uint64, bool) { return 0, t.retransResp > 0 })},
		{name: "dns.retransmit_response_in", typ: filter.Uint, bits: 32, desc: "On a repeated response, the frame of the first", example: "dns.retransmit_response_in",
			get: dnsTransField(func(t *dnsTrans) (uint64, bool) { return uint64(t.retransResp), t.retransResp > 0 })},
		{name: "dns.unsolicited", typ: filter.Bool, desc: "A response to no query seen in its conversation", example: "dns.unsolicited",
			get: dnsTransField(func(t *dnsTrans) (uint64, bool) { return 1, t.unsolicited })},
	},
}

func (d *Decoder) decodeDNS(p *Packet, s *segment) bool {
	b := s.payload
	if s.tcp {
		if len(b) < 2 {
			return false
		}
		n := int(be16(b))
		b = b[2:]
		if n > len(b) {
			return false
		}
		b = b[:n]
	}
	if len(b) < 12 {
		return false
	}
	var m layers.DNS
	err := m.DecodeFromBytes(b, gopacket.NilDecodeFeedback)
	if err != nil {
		// Wireshark still shows the header of a damaged message.
		p.Malformed = "dns: " + lowerFirst(err.Error())
	}
	info := &dnsInfo{id: be16(b), flags: be16(b[2:]), qd: be16(b[4:]), an: be16(b[6:]), ns: be16(b[8:]), ar: be16(b[10:])}
	multi := false
	for _, q := range m.Questions {
		info.questions = append(info.questions, dnsQuestion{name: q.Name, typ: uint16(q.Type), class: uint16(q.Class)})
		multi = multi || q.Type == 251 || q.Type == 252 // IXFR, AXFR: zone transfers
	}
	src, dst := p.endpoints()
	d.streams.dnsTransaction(p, info, dnsKey{makeKey(src, dst, s.sport, s.dport), info.id, s.tcp}, info.qd > 0, multi)
	if err != nil {
		// Wireshark adds what it knows of the transaction after the records:
		// a damaged message shows none of it.
		info.trans = dnsTrans{}
		info.damaged = dnsMalformed
		if p.CapLen < p.Len {
			info.damaged = dnsCut
		}
	}
	for _, sec := range [][]layers.DNSResourceRecord{m.Answers, m.Authorities, m.Additionals} {
		for _, r := range sec {
			rr := dnsRR{name: r.Name, typ: uint16(r.Type), class: uint16(r.Class), ttl: r.TTL}
			switch r.Type {
			case layers.DNSTypeA:
				if ip4 := r.IP.To4(); ip4 != nil {
					rr.a = be32(ip4)
				}
			case layers.DNSTypeAAAA:
				copy(rr.aaaa[:], r.IP.To16())
			case layers.DNSTypeCNAME:
				rr.target = r.CNAME
			case layers.DNSTypeNS:
				rr.target = r.NS
			case layers.DNSTypePTR:
				rr.target = r.PTR
			case layers.DNSTypeMX:
				rr.target, rr.pref = r.MX.Name, r.MX.Preference
			case layers.DNSTypeSOA:
				rr.target = r.SOA.MName
			case layers.DNSTypeTXT:
				rr.txt = r.TXTs
			}
			info.rrs = append(info.rrs, rr)
		}
	}
	p.dns = info
	return true
}

// dnsTransField is a value of the message's transaction, when it has one.
func dnsTransField(v func(t *dnsTrans) (uint64, bool)) func(p *Packet, dst []filter.Value) []filter.Value {
	return dnsValues(func(x *dnsInfo, dst []filter.Value) []filter.Value {
		if n, ok := v(&x.trans); ok {
			dst = u(dst, n)
		}
		return dst
	})
}

// dnsTarget is the name a record of type t points to (CNAME, NS, PTR, MX).
func dnsTarget(t layers.DNSType) func(p *Packet, dst []filter.Value) []filter.Value {
	return dnsRecords(func(r *dnsRR, dst []filter.Value) []filter.Value {
		if r.typ == uint16(t) {
			dst = append(dst, filter.Value{B: r.target})
		}
		return dst
	})
}

// dnsFlag is one bit of the flags word; some exist in responses only, as
// Wireshark shows them.
func dnsFlag(bit uint, respOnly bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return dnsValues(func(x *dnsInfo, dst []filter.Value) []filter.Value {
		if respOnly && x.flags&0x8000 == 0 {
			return dst
		}
		return u(dst, uint64(x.flags>>bit&1))
	})
}

// mDNS (UDP port 5353): DNS messages read by the dns.* fields, the frame's
// protocol mdns (the filter dns does not match it), as in Wireshark.
var mdnsProto = protocol{
	name: "mdns", title: "mDNS", desc: "Multicast Domain Name System (UDP port 5353; its messages are read by the dns.* fields)", example: "mdns",
	udpPorts: []uint16{5353},
	shares:   "dns",
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if !s.tcp && d.decodeDNS(p, s) {
			return taken
		}
		return rejected
	},
	info: func(p *Packet) (string, string) { return "MDNS", p.dns.infoOf(true) },
}

func rootName(n []byte) []byte {
	if len(n) == 0 {
		return []byte("<Root>")
	}
	return n
}

// dnsValues makes a getter from a function of the message.
func dnsValues(v func(x *dnsInfo, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.dns == nil {
			return dst
		}
		return v(p.dns, dst)
	}
}

func dnsHeader(v func(x *dnsInfo) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return dnsValues(func(x *dnsInfo, dst []filter.Value) []filter.Value { return u(dst, v(x)) })
}

func dnsQuestions(v func(q *dnsQuestion, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return dnsValues(func(x *dnsInfo, dst []filter.Value) []filter.Value {
		for i := range x.questions {
			dst = v(&x.questions[i], dst)
		}
		return dst
	})
}

func dnsRecords(v func(r *dnsRR, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return dnsValues(func(x *dnsInfo, dst []filter.Value) []filter.Value {
		for i := range x.rrs {
			dst = v(&x.rrs[i], dst)
		}
		return dst
	})
}

var dnsTypeNames = map[uint16]string{1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 13: "HINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB", 24: "SIG", 25: "KEY", 28: "AAAA", 29: "LOC", 33: "SRV", 35: "NAPTR", 37: "CERT", 39: "DNAME", 41: "OPT", 43: "DS", 44: "SSHFP", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 59: "CDS", 60: "CDNSKEY", 64: "SVCB", 65: "HTTPS", 99: "SPF", 249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR", 255: "ANY", 256: "URI", 257: "CAA"}

func dnsTypeName(t uint16) string {
	if s, ok := dnsTypeNames[t]; ok {
		return s
	}
	return "Unknown (" + strconv.Itoa(int(t)) + ")"
}

var dnsRcodeNames = [...]string{"No error", "Format error", "Server failure", "No such name", "Not implemented", "Refused", "Name exists", "RRset exists", "RRset does not exist", "Not authoritative", "Name out of zone"}

// info is Wireshark's Info column for a DNS message.
func (x *dnsInfo) info() string { return x.infoOf(false) }

// infoOf is the Info column; an mDNS question says whether it asks for a
// unicast ("QU") or multicast ("QM") answer (the class's top bit).
func (x *dnsInfo) infoOf(mdns bool) string {
	b := []byte("Standard query ")
	switch op := x.flags >> 11 & 0xf; op {
	case 0:
	case 4:
		b = []byte("Zone change notification ")
	case 5:
		b = []byte("Dynamic update ")
	default:
		b = []byte("Unknown operation (" + strconv.Itoa(int(op)) + ") ")
	}
	if x.flags&0x8000 != 0 {
		b = append(b, "response "...)
	}
	b = append(b, "0x"...)
	b = appendHex(b, uint64(x.id), 4)
	if x.flags&0x8000 != 0 {
		if rc := x.flags & 0xf; rc != 0 {
			b = append(b, ' ')
			if int(rc) < len(dnsRcodeNames) {
				b = append(b, dnsRcodeNames[rc]...)
			} else {
				b = append(b, "Unknown error ("+strconv.Itoa(int(rc))+")"...)
			}
		}
	}
	for _, q := range x.questions {
		b = append(b, ' ')
		b = append(b, dnsTypeName(q.typ)...)
		b = append(b, ' ')
		b = append(b, rootName(q.name)...)
		if mdns {
			if q.class&0x8000 != 0 {
				b = append(b, `, "QU" question`...)
			} else {
				b = append(b, `, "QM" question`...)
			}
		}
	}
	for i := range x.rrs {
		r := &x.rrs[i]
		b = append(b, ' ')
		b = append(b, dnsTypeName(r.typ)...)
		switch r.typ {
		case 1:
			b = append(b, ' ')
			b = appendFormat(b, &filter.Field{Type: filter.IPv4, ID: -1}, filter.Value{N: uint64(r.a)})
		case 28:
			b = append(b, ' ')
			b = appendFormat(b, &filter.Field{Type: filter.IPv6, ID: -1}, filter.Value{B: r.aaaa[:]})
		case 15:
			b = append(b, ' ')
			b = strconv.AppendUint(b, uint64(r.pref), 10)
			b = append(b, ' ')
			b = append(b, r.target...)
		case 2, 5, 6, 12:
			b = append(b, ' ')
			b = append(b, r.target...)
		}
	}
	switch x.damaged {
	case dnsCut:
		b = append(b, "[Packet size limited during capture]"...)
	case dnsMalformed:
		b = append(b, "[Malformed Packet]"...)
	}
	return string(b)
}

func appendHex(b []byte, n uint64, digits int) []byte {
	s := strconv.FormatUint(n, 16)
	for i := len(s); i < digits; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
