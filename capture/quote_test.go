package capture

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// quoteFields are the fields a header quoted in an ICMP error adds
// occurrences to: every field of the network and transport protocols, of
// ICMP and of data, and frame.protocols.
func quoteFields() []string {
	out := []string{"frame.protocols"}
	for _, pr := range []string{"ip", "ipv6", "udp", "tcp", "icmp", "icmpv6", "data"} {
		out = append(out, protoFields(pr)...)
	}
	return out
}

// TestICMPQuoteMatchesTshark compares, frame by frame, every field of the
// quoted headers and the Protocol and Info columns with tshark on real ICMP
// and ICMPv6 errors (testdata/icmperr, recorded by make.sh: a UDP traceroute's
// time exceeded and port unreachable, a quoted echo, quoted TCP SYNs with
// their options, network unreachable, fragmentation needed, every code nft's
// reject sends, and their IPv6 kin) and on captures of tcpdump's suite with
// ICMP errors wirelab reads (host unreachables quoting echoes; AFS, Kerberos
// and RTP port unreachables, whose quoted payload wirelab shows as data).
func TestICMPQuoteMatchesTshark(t *testing.T) {
	needTshark(t)
	fields := quoteFields()
	corpus := corpusDir(t)
	t.Run("icmperr.pcap", func(t *testing.T) {
		compareLive(t, filepath.Join("testdata", "icmperr", "icmperr.pcap"), fields, true, nil)
	})
	t.Run("filters", func(t *testing.T) {
		// The quote's fields match, and the layer operator counts
		// protocol layers, not occurrences.
		compareFilters(t, filepath.Join("testdata", "icmperr", "icmperr.pcap"), []string{
			"udp", "ip.proto == 17", "icmp && udp", "icmp && tcp", "icmpv6 && udp", "tcp.dstport == 8000",
			"ip.src#2 == 10.77.5.2", "ip.addr#2 == 10.77.6.2", "ip.addr#1 == 10.77.6.2", "ip.addr#3",
			"udp.port#1 == 33435", "udp.port#2", "ip.ttl#2 == 1", "icmp.type#2 == 8", "ipv6.hlim#2 == 1",
			"tcp.flags.syn#1 == 1", "ip.src#1 == 10.77.5.2", "eth.addr#1 == 02:00:00:00:05:01", "frame.len#1 > 100",
			"count(ip.src) == 2", "ip.len#2 > 1000", "icmp.code == 4 && ip.dst#2 == 10.77.6.2",
		})
	})
	t.Run("cut.pcap", func(t *testing.T) {
		// Quotes that end inside the TCP or UDP header (testdata/icmperr/
		// cut.sh: 4 to 12 bytes of TCP, 4 to 8 of UDP, as RFC 792 routers
		// send them): what tshark shows of the header, and no conversation.
		path := filepath.Join("testdata", "icmperr", "cut.pcap")
		a := compareLive(t, path, fields, true, nil)
		if a.sameVals != a.values || a.values == 0 {
			t.Errorf("cut.pcap: %d/%d values as tshark", a.sameVals, a.values)
		}
		compareFilters(t, path, []string{
			"tcp", "icmp && tcp", "icmpv6 && tcp", "udp", "icmp && udp", "tcp.port == 443", "tcp.srcport == 40001",
			"tcp.seq == 1000001", "tcp.seq", "tcp.flags", "tcp.stream", "tcp.len", "udp.length == 20", "udp.stream == 0",
			"udp.port#1 == 33434", "tcp.dstport#1 == 443", "ip.dst#2 == 10.78.9.9 && tcp", "udp.checksum", "data",
		})
	})
	t.Run("dhcp-rfc4388.pcap", func(t *testing.T) {
		// Frames 43 and 44 are malformed BOOTP requests: not quotes.
		compareLive(t, filepath.Join(corpus, "tcpdump-tests", "dhcp-rfc4388.pcap"), fields, true, map[string]bool{"43 line": true, "44 line": true})
	})
	// Quotes of protocols wirelab does not decode (AFS, Kerberos, RTCP): on
	// the ICMP frames, everything but the payload's protocol agrees.
	for _, n := range []string{"afs.pcap", "icmp-cksum-oobr-1.pcap"} {
		t.Run(n, func(t *testing.T) {
			path := filepath.Join(corpus, "tcpdump-tests", n)
			pkts := decodeFile(t, path)
			args := []string{"-Y", "icmp", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number", "-e", "_ws.col.Info"}
			for _, f := range fields {
				args = append(args, "-e", f)
			}
			quotes, values, same := 0, 0, 0
			for _, line := range tsharkRun(t, path, args...) {
				cols := strings.Split(line, "\t")
				n, _ := strconv.Atoi(cols[0])
				p := pkts[n-1]
				if got := p.Summary().Info; got != cols[1] {
					t.Errorf("frame %d Info: got %q, tshark %q", n, got, cols[1])
				}
				undecoded := false
				for j, f := range fields {
					w := cols[j+2]
					if f == "frame.protocols" {
						if head, tail, ok := strings.Cut(w, ":udp:"); ok && tail != "data" {
							w, undecoded = head+":udp:data", true
						}
						if strings.Contains(w, ":icmp:ip:") {
							quotes++
						}
					}
					got := strings.Join(p.Strings(f), ",")
					if fd, _ := lookupField(f); fd.Type == filter.None && (got != "") == (w != "") {
						got = w
					}
					if undecoded && strings.HasPrefix(f, "data") {
						continue
					}
					values++
					if got == w {
						same++
					} else {
						t.Errorf("frame %d %s: got %.80q, tshark %.80q", n, f, got, w)
					}
				}
			}
			t.Logf("%s: %d ICMP errors with a quote, %d/%d values as tshark", n, quotes, same, values)
			if quotes == 0 {
				t.Fatalf("%s: no ICMP error with a quote", n)
			}
		})
	}
}
