package capture

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`).Replace(s)
}

func code(s string) string {
	if strings.Contains(s, "`") {
		return "`` " + mdEscape(s) + " ``"
	}
	return "`" + mdEscape(s) + "`"
}

// filtersDoc renders docs/filters.md from the field registry and the filter
// package's operator list.
func filtersDoc() []byte {
	var b bytes.Buffer
	b.WriteString(`# Filter reference

<!-- Generated from the protocol table (capture/protocol.go) and filter.Operators by
     go test ./capture -run TestFiltersDoc -update. Do not edit by hand. -->

wirelab filters packets with two languages:

- **Display filters** (` + "`wirelab packets -Y`" + `, lab checks): Wireshark's language and
  field names. A filter pasted from Wireshark selects the same frames.
- **Capture filters** (` + "`wirelab packets -f`" + `, ` + "`wirelab capture -f`" + `, the lab's ` + "`capture.filter`" + `):
  tcpdump's language (pcap-filter(7)), evaluated on the frame's bytes as tcpdump evaluates
  it, so a filter selects the frames ` + "`tcpdump -r FILE 'FILTER'`" + ` selects: ` + "`host net port portrange`" + `
  with ` + "`src`/`dst`" + `, protocols alone and as qualifiers (` + "`stp`, `llc`" + ` on Ethernet among them), ` + "`proto`" + ` (` + "`ip proto 17`, `ether proto 0x0806`, `proto \\tcp`" + `),
  byte offsets and arithmetic (` + "`tcp[tcpflags] & tcp-syn != 0`, `ip[2:2] > 576`, `icmp[icmptype] == icmp-echo`" + `),
  ` + "`len`, `less`, `greater`, `broadcast`, `multicast`, `vlan [N]`" + ` (which moves the offsets of
  the tests after it), ` + "`and or not ! && ||`" + ` and tcpdump's qualifier carry-over (` + "`port 80 or 443`" + `).
  Host names are not resolved; Ethernet, Linux cooked, loopback, raw IP, PPP and Cisco HDLC
  captures are understood (other link types match nothing).

As in Wireshark, the former names of renamed protocols still filter: ` + "`bootp`" + ` is ` + "`dhcp`" + `
and ` + "`ssl`" + ` is ` + "`tls`" + `, fields too (` + "`ssl.handshake.type == 1`" + `); the fields output takes the
current names only, as ` + "`tshark -e`" + ` does.

Semantics follow Wireshark: a field can occur several times in a packet
(` + "`ip.addr`" + ` is the source and the destination); ` + "`==`" + ` holds if any occurrence matches,
` + "`!=`" + ` only if none does; a comparison on an absent field is false; a bare field tests
presence. ` + "`tcp.seq`/`tcp.ack`" + ` are relative to each direction's first sequence number
and ` + "`tcp.stream`" + ` numbers conversations from 0. HTTP fields belong to the frame that
completes the message (the last TCP segment of a message split over several).
An ICMP or ICMPv6 error (port unreachable, time exceeded: the traceroute lab) quotes the
header of the packet that caused it, and as in Wireshark the quote's fields are fields of
the frame: ` + "`ip.src`" + ` has the error's source and the quoted packet's, ` + "`udp`" + ` and
` + "`ip.proto == 17`" + ` match a port unreachable, ` + "`ip.ttl#2 == 1`" + ` is an expired probe and
frame.protocols reads eth:ethertype:ip:icmp:ip:udp:data. Quoted TCP sequence numbers are
shown as sent. A router that quotes only the 8 bytes RFC 792 asks for cuts the TCP header
short: as in Wireshark, ` + "`tcp`" + ` still matches, with the ports (and, in ICMP, ` + "`tcp.seq`" + `) and
no other TCP field; a UDP header cut short has its ports (and ` + "`udp.length`" + ` from 6 bytes).

## Operators

| Operator | Meaning | Example |
| --- | --- | --- |
`)
	for _, op := range filter.Operators() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", code(op.Syntax), mdEscape(op.Meaning), code(op.Example))
	}
	b.WriteString(`
## Fields

Types: *protocol* fields have no value and only test presence; *boolean* fields
compare with ` + "`1`/`0`" + ` or ` + "`true`/`false`" + ` (any other number is true, as in Wireshark);
addresses compare with addresses or networks. Integers are written as in Wireshark (C's
notation: ` + "`80`, `0x50`, `0120`" + ` octal, ` + "`0b1010000`" + `, a character ` + "`'P'`" + `) and must fit the
field's width, given with its type (` + "`tcp.port`" + ` is 16 bits): ` + "`tcp.port == 70000`" + ` is refused
with Wireshark's reason, ` + "`\"70000\" too big for this field, maximum 65535`" + ` (for a field whose
values Wireshark names, such as ` + "`ip.proto`" + `, ` + "`cannot be found among the possible values`" + `).
*ASN.1 object identifier* fields (SNMP's OIDs) compare with dotted OIDs written without quotes
(` + "`snmp.name == 1.3.6.1.2.1.1.1.0`, `snmp.name contains 1.3.6.1.2.1.2`" + `) and order as Wireshark orders
byte strings, by length first: ` + "`1.3.6.1.2.1.1.1.0`" + ` is after ` + "`1.3.6.1.4`" + `.
A negative number equals no value of an unsigned field: ` + "`ip.ttl == -1`" + ` matches nothing and
` + "`ip.ttl != -1`" + ` every IPv4 packet, as in Wireshark 4.0.
A protocol stands for its bytes, which start at its header, in a slice, a comparison, ` + "`len()`" + `,
` + "`contains`" + ` and ` + "`matches`" + ` (` + "`tcp[13] == 0x12`, `eth[0:6] == ff:ff:ff:ff:ff:ff`, `tcp contains \"GET\"`" + `):
frame, eth, sll, null, ip, ipv6, arp, tcp, udp, icmp and icmpv6 have theirs. As with ` + "`tshark -Y`" + `,
a slice or ` + "`len()`" + ` of eth, ip or udp sees its header only and of tcp the whole segment;
` + "`contains`" + ` and ` + "`matches`" + ` see everything from the header to the end of what the protocol carries.
` + "`wirelab packets -T fields -e FIELD`" + ` prints values as ` + "`tshark -T fields`" + ` does (hex
where Wireshark shows hex, such as ` + "`tcp.flags`" + ` ` + "`0x0012`" + `). It reads pcap and pcapng
files, gzip-compressed or not, and standard input for ` + "`-`" + `.
`)
	// One section per protocol of the table, its fields in the table's order;
	// a field named after no protocol (PPPoE's pppoe.*, which pppoed lists)
	// in the section of the protocol that lists it.
	fields := Fields().Fields()
	protoNames := map[string]bool{}
	for _, pr := range table.protos {
		protoNames[pr.name] = true
	}
	for _, pr := range table.protos {
		if pr == &otherProto {
			// hundreds of names, each a presence field: one paragraph
			fmt.Fprintf(&b, "\n### %s\n\n%s, by the name frame.protocols gives them: each is a\nfilter field present on such a packet (`esp`, `ospf`), whose payload is not `data`;\ntheir own fields are not decoded:\n", pr.title, pr.desc)
			names := make([]string, len(pr.fields))
			for i, f := range pr.fields {
				names[i] = code(f.name)
			}
			line := ""
			for _, n := range names {
				if len(line)+len(n)+2 > 80 {
					b.WriteString(strings.TrimRight(line, " ") + "\n")
					line = ""
				}
				line += n + ", "
			}
			b.WriteString(strings.TrimSuffix(line, ", ") + ".\n")
			continue
		}
		if pr.noField {
			continue // a second place of a protocol in the layer order (mplsUDPProto)
		}
		own := map[string]bool{}
		for _, f := range pr.fields {
			own[f.name] = true
		}
		var rows []*filter.Field
		for _, f := range fields {
			p, _, _ := strings.Cut(f.Name, ".")
			if p == pr.name || !protoNames[p] && own[f.Name] {
				rows = append(rows, f)
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n| Field | Type | Description | Example |\n| --- | --- | --- | --- |\n", pr.title)
		for _, f := range rows {
			typ := f.Type.String()
			if f.Type == filter.Uint || f.Type == filter.Int {
				typ += fmt.Sprintf(", %d bits", f.Bits)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", code(f.Name), typ, mdEscape(f.Desc), code(f.Example))
		}
	}
	b.WriteString(`
## Differences from Wireshark

- Protocol fields (` + "`tcp`, `http`" + ` ...) print as the protocol's name in ` + "`-T fields`" + `, and
  markers such as ` + "`http.request`" + ` as ` + "`1`" + `; tshark prints the protocol's summary line.
- HTTP/1.x is recognised on Wireshark's HTTP ports and, on any other port, by a
  payload that starts with a request method or ` + "`HTTP/1.`" + ` (as Wireshark's
  heuristic does). HTTP/2 and HTTP bodies (JSON, forms) are not decoded into
  fields.
- TLS is decoded on Wireshark's TLS ports (443, 993, 995, 465, 636, 853, 5061 ...),
  record by record when the record starts and ends in the segment (records are
  not reassembled across segments); certificates are not parsed, so
  frame.protocols lacks tshark's x509 layers.
- Ethernet addresses are printed as numbers: tshark's Source and Destination
  columns resolve the vendor prefix (` + "`RadDataC_5a:fb:3f`" + `).
- FTP, SMTP, POP, IMAP, SSH and Telnet are recognised on Wireshark's ports
  (21, 25/587, 110, 143, 22, 23), not by heuristics. Each segment is decoded on
  its own: FTP and POP parse its first line, IMAP names its last line in Info; an
  SMTP message after DATA is not handed to IMF; SSH's binary packets are named
  only for Key Exchange Init and New Keys.
- DHCP is decoded on UDP ports 67, 68 and 4011; a BOOTP message's Info does not
  name the client's MAC address and vendor, and ` + "`bootp`" + ` is not an alias of ` + "`dhcp`" + `.
- DNS over TCP is decoded when a message fits in one segment.
- A quoted TCP header cut after 14 to 19 of its 20 bytes has only its ports
  (and, in ICMP, ` + "`tcp.seq`" + `): Wireshark shows every field up to where it ends,
  with a ` + "`tcp.stream`" + `. Routers quote 8 bytes, or the whole header.
- TCP sequence analysis is Wireshark 4.0's first pass: every tcp.analysis
  flag, acks_frame, ack_rtt, initial_rtt, bytes_in_flight, push_bytes_sent and
  the retransmission timeout, compared with tshark frame by frame on captures
  with real loss. As in Wireshark, ` + "`tcp.analysis.retransmission`" + ` also marks
  fast and spurious retransmissions, and retransmitted and out-of-order
  segments are not handed to the protocol above TCP. Wirelab lists at most
  2^20 unacknowledged segments over all conversations together (Wireshark
  10,000 per direction and no total); past that, segments get no acks_frame,
  ack_rtt or bytes_in_flight.
`)
	return b.Bytes()
}

func docsPath(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(filepath.Dir(dir), "docs", "filters.md")
}

// TestFiltersDoc fails when docs/filters.md is not what the registry generates;
// go test ./capture -run TestFiltersDoc -update rewrites it.
func TestFiltersDoc(t *testing.T) {
	path := docsPath(t)
	want := filtersDoc()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (generate it with: go test ./capture -run TestFiltersDoc -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: regenerate it with: go test ./capture -run TestFiltersDoc -update", path)
	}
	for _, f := range Fields().Fields() {
		if !bytes.Contains(got, []byte("`"+f.Name+"`")) {
			t.Errorf("field %s is not documented", f.Name)
		}
	}
}
