package capture

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestTransactionsMatchTshark compares the request/response pairing of DNS
// and ICMP echo with tshark: dns.response_to and dns.time, retransmitted
// queries and answers, unsolicited answers, zone transfers (many answers,
// none a retransmission), a damaged answer; icmp.resp_to and icmp.resptime,
// a duplicate reply, a reply whose data differ from its request's, ICMPv6.
func TestTransactionsMatchTshark(t *testing.T) {
	needTshark(t)
	ms := time.Millisecond
	q := func(id uint16, name string, qt layers.DNSType) gopacket.SerializableLayer {
		return dnsMsg(t, id, false, 0, name, qt)
	}
	a := func(id uint16, name string, qt layers.DNSType) gopacket.SerializableLayer {
		return dnsMsg(t, id, true, 0, name, qt, layers.DNSResourceRecord{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: []byte{10, 0, 0, 1}})
	}
	// A damaged answer: the header promises a record the datagram lacks.
	damaged := ser(t, a(7, "cut.example", layers.DNSTypeA))
	damaged = damaged[:len(damaged)-6]
	frames := []genFrame{
		udpFrame(t, true, 40000, 53, q(1, "lab.example", layers.DNSTypeA)),       // 1
		udpFrame(t, false, 53, 40000, a(1, "lab.example", layers.DNSTypeA)),      // 2: answers 1
		udpFrame(t, true, 40000, 53, q(2, "slow.example", layers.DNSTypeA)),      // 3
		udpFrame(t, true, 40000, 53, q(2, "slow.example", layers.DNSTypeA)),      // 4: retransmits 3
		udpFrame(t, false, 53, 40000, a(2, "slow.example", layers.DNSTypeA)),     // 5: answers 3
		udpFrame(t, false, 53, 40000, a(2, "slow.example", layers.DNSTypeA)),     // 6: retransmits 5
		udpFrame(t, false, 53, 40000, a(9, "nobody.example", layers.DNSTypeA)),   // 7: unsolicited
		udpFrame(t, true, 40000, 53, q(3, "late.example", layers.DNSTypeA)),      // 8
		udpFrame(t, true, 40000, 53, q(3, "late.example", layers.DNSTypeA)),      // 9: 6 s later, a new query
		udpFrame(t, false, 53, 40000, a(3, "late.example", layers.DNSTypeA)),     // 10: answers 9
		udpFrame(t, true, 40000, 53, q(4, "zone.example", layers.DNSType(252))),  // 11
		udpFrame(t, false, 53, 40000, a(4, "zone.example", layers.DNSType(252))), // 12: answers 11
		udpFrame(t, false, 53, 40000, a(4, "zone.example", layers.DNSType(252))), // 13: and again, not a retransmission
		udpFrame(t, true, 40000, 53, q(7, "cut.example", layers.DNSTypeA)),       // 14
		udpFrame(t, false, 53, 40000, gopacket.Payload(damaged)),                 // 15: damaged
		udpFrame(t, false, 53, 40001, a(1, "lab.example", layers.DNSTypeA)),      // 16: another conversation: unsolicited
		icmpFrame(t, true, 8, 1, "abcdefgh"),                                     // 17
		icmpFrame(t, false, 0, 1, "abcdefgh"),                                    // 18: answers 17
		icmpFrame(t, false, 0, 1, "abcdefgh"),                                    // 19: a duplicate
		icmpFrame(t, true, 8, 2, "abcdefgh"),                                     // 20
		icmpFrame(t, false, 0, 2, "ABCDEFGH"),                                    // 21: other data: no match
		icmpFrame(t, false, 0, 9, "abcdefgh"),                                    // 22: no request
		icmp6Frame(t, true, 128, 5),                                              // 23
		icmp6Frame(t, false, 129, 5),                                             // 24: answers 23
		icmp6Frame(t, false, 129, 6),                                             // 25: no request
	}
	at := []time.Duration{0, 20 * ms, 1000 * ms, 2000 * ms, 2100 * ms, 2200 * ms, 3000 * ms, 4000 * ms, 10000 * ms, 10150 * ms,
		11000 * ms, 11001 * ms, 11002 * ms, 12000 * ms, 12003 * ms, 12004 * ms, 13000 * ms, 13000*ms + 19*time.Microsecond}
	path := filepath.Join(t.TempDir(), "transactions.pcap")
	writePcapAt(t, path, layers.LinkTypeEthernet, frames, at)

	fields := []string{"frame.protocols"}
	for _, f := range append(protoFields("dns"), append(protoFields("icmp"), protoFields("icmpv6")...)...) {
		fields = append(fields, f)
	}
	corpus := filepath.Join(corpusDir(t), "tcpdump-tests")
	for _, p := range []string{path, filepath.Join(corpus, "dns_udp.pcap"), filepath.Join(corpus, "dns_udp_2.pcap"), filepath.Join(corpus, "dns_tcp.pcap"),
		filepath.Join(corpus, "dnssec.pcap")} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			compareLive(t, p, fields, true, nil)
		})
	}
	compareFilters(t, path, []string{
		"dns.response_to", "dns.response_to == 3", "dns.time > 1", "dns.retransmission", "dns.retransmit_request_in == 3",
		"dns.retransmit_response_in", "dns.retransmit_request", "dns.retransmit_response", "dns.unsolicited", "dns.response_in",
		"dns && !dns.response_to && dns.flags.response == 1", "icmp.resp_to", "icmp.resp_to == 17", "icmp.resptime < 1",
		"icmp.resp_in", "icmp.no_resp", "icmp.type == 0 && !icmp.resp_to", "icmpv6.resp_to == 23", "icmpv6.resptime >= 0", "icmpv6.resp_in",
	})
}

// icmpFrame is an ICMP echo (typ 8) or reply (0) with identifier 0x4242
// between hosts A and B.
func icmpFrame(t testing.TB, fromA bool, typ uint8, seq uint16, data string) genFrame {
	sm, dm, si, di := macA, macB, ipA, ipB
	if !fromA {
		sm, dm, si, di = macB, macA, ipB, ipA
	}
	return genFrame{ser(t, eth(layers.EthernetTypeIPv4, sm, dm), ip4(si, di, layers.IPProtocolICMPv4, seq),
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: 0x4242, Seq: seq}, gopacket.Payload(data)), layers.LinkTypeEthernet}
}

// icmp6Frame is an ICMPv6 echo request (128) or reply (129).
func icmp6Frame(t testing.TB, fromA bool, typ uint8, seq uint16) genFrame {
	sm, dm, si, di := macA, macB, ip6A, ip6B
	if !fromA {
		sm, dm, si, di = macB, macA, ip6B, ip6A
	}
	return genFrame{ser(t, eth(layers.EthernetTypeIPv6, sm, dm), ip6(si, di, layers.IPProtocolICMPv6),
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}, &layers.ICMPv6Echo{Identifier: 0x77, SeqNumber: seq}, gopacket.Payload("ping")), layers.LinkTypeEthernet}
}
