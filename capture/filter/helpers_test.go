package filter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testRegistry has a field of every Type, with the names capture filters need.
type testRegistry struct {
	list   []*Field
	byName map[string]*Field
}

func (r *testRegistry) Lookup(name string) (*Field, bool) { f, ok := r.byName[name]; return f, ok }
func (r *testRegistry) Fields() []*Field                  { return r.list }

var testFields = []struct {
	name string
	t    Type
}{
	{"frame", None}, {"frame.len", Uint}, {"frame.time_relative", Float}, {"frame.offset_shift", Int},
	{"eth", None}, {"eth.src", Ether}, {"eth.dst", Ether}, {"eth.addr", Ether}, {"eth.type", Uint},
	{"arp", None}, {"arp.opcode", Uint}, {"arp.src.proto_ipv4", IPv4}, {"arp.dst.proto_ipv4", IPv4},
	{"ip", None}, {"ip.src", IPv4}, {"ip.dst", IPv4}, {"ip.addr", IPv4}, {"ip.proto", Uint}, {"ip.ttl", Uint}, {"ip.flags.df", Bool},
	{"ipv6", None}, {"ipv6.src", IPv6}, {"ipv6.dst", IPv6}, {"ipv6.addr", IPv6}, {"ipv6.nxt", Uint},
	{"tcp", None}, {"tcp.srcport", Uint}, {"tcp.dstport", Uint}, {"tcp.port", Uint}, {"tcp.flags", Uint},
	{"tcp.flags.syn", Bool}, {"tcp.flags.ack", Bool}, {"tcp.len", Uint}, {"tcp.payload", Bytes},
	{"udp", None}, {"udp.srcport", Uint}, {"udp.dstport", Uint}, {"udp.port", Uint},
	{"icmp", None}, {"icmpv6", None}, {"dns", None}, {"dns.qry.name", String},
	{"http", None}, {"http.request.method", String}, {"http.request.uri", String}, {"http.host", String},
}

// testBits and testNamed are the Wireshark widths and value names of the
// test fields that have them (Field.Bits, Field.Named).
var testBits = map[string]uint8{
	"frame.len": 32, "eth.type": 16, "arp.opcode": 16, "ip.proto": 8, "ip.ttl": 8, "ipv6.nxt": 8,
	"tcp.srcport": 16, "tcp.dstport": 16, "tcp.port": 16, "tcp.flags": 16, "tcp.len": 32,
	"udp.srcport": 16, "udp.dstport": 16, "udp.port": 16, "frame.offset_shift": 64,
}

var testNamed = map[string]bool{"eth.type": true, "arp.opcode": true, "ip.proto": true, "ipv6.nxt": true, "tcp.flags.syn": true, "tcp.flags.ack": true, "ip.flags.df": true}

var testReg = func() *testRegistry {
	r := &testRegistry{byName: map[string]*Field{}}
	for i, tf := range testFields {
		f := &Field{Name: tf.name, Type: tf.t, ID: i, Bits: testBits[tf.name], Named: testNamed[tf.name]}
		r.list = append(r.list, f)
		r.byName[tf.name] = f
	}
	return r
}()

// rec is a test Record: field name to occurrences.
type rec map[string][]Value

func (r rec) Values(dst []Value, f *Field) []Value { return append(dst, r[f.Name]...) }

// mk builds a record from name, value pairs; values are read by the field's type
// (strings and bytes raw), "" for a protocol.
func mk(kv ...string) rec {
	r := rec{}
	for i := 0; i+1 < len(kv); i += 2 {
		f, ok := testReg.Lookup(kv[i])
		if !ok {
			panic("test record: unknown field " + kv[i])
		}
		var v Value
		if f.Type != None {
			var err error
			v, _, err = parseValue(f.Type, literal{text: kv[i+1], quoted: f.Type == Bytes || f.Type == String})
			if err != nil {
				panic(err)
			}
		}
		r[kv[i]] = append(r[kv[i]], v)
	}
	return r
}

func ether(r rec, src, dst string) rec {
	x := mk("eth", "", "eth.src", src, "eth.dst", dst, "eth.addr", dst, "eth.addr", src)
	for k, v := range x {
		r[k] = v
	}
	return r
}

func ipv4(r rec, src, dst string, proto string) rec {
	x := mk("ip", "", "ip.src", src, "ip.dst", dst, "ip.addr", src, "ip.addr", dst, "ip.proto", proto, "ip.ttl", "64", "ip.flags.df", "1", "eth.type", "0x0800")
	for k, v := range x {
		r[k] = append(r[k], v...)
	}
	return r
}

func ports(r rec, proto string, sp, dp string) rec {
	x := mk(proto, "", proto+".srcport", sp, proto+".dstport", dp, proto+".port", sp, proto+".port", dp)
	for k, v := range x {
		r[k] = v
	}
	return r
}

// The test packets, in the order the golden tables list matches.
var recNames = []string{"syn", "get", "dns", "arp", "v6", "icmp", "lo"}

var records = func() map[string]rec {
	m := map[string]rec{}
	syn := mk("frame", "", "frame.len", "74", "frame.time_relative", "0", "frame.offset_shift", "-3", "tcp.flags", "0x002", "tcp.flags.syn", "1", "tcp.flags.ack", "0", "tcp.len", "0")
	syn = ports(ipv4(ether(syn, "00:11:22:33:44:55", "66:77:88:99:aa:bb"), "10.0.0.10", "10.0.0.80", "6"), "tcp", "56586", "80")
	m["syn"] = syn

	get := mk("frame", "", "frame.len", "149", "frame.time_relative", "0.5", "frame.offset_shift", "2", "tcp.flags", "0x018", "tcp.flags.syn", "0", "tcp.flags.ack", "1", "tcp.len", "83",
		"tcp.payload", "GET /index.html HTTP/1.1\r\nHost: www.Example.com\r\n\r\n",
		"http", "", "http.request.method", "GET", "http.request.uri", "/index.html", "http.host", "www.Example.com")
	m["get"] = ports(ipv4(ether(get, "00:11:22:33:44:55", "66:77:88:99:aa:bb"), "10.0.0.10", "10.0.0.80", "6"), "tcp", "56586", "80")

	dns := mk("frame", "", "frame.len", "80", "frame.time_relative", "1.25", "dns", "", "dns.qry.name", "www.example.com")
	m["dns"] = ports(ipv4(ether(dns, "00:11:22:33:44:55", "ff:ff:ff:ff:ff:ff"), "192.168.1.7", "8.8.8.8", "17"), "udp", "33333", "53")

	arp := mk("frame", "", "frame.len", "42", "arp", "", "arp.opcode", "1", "arp.src.proto_ipv4", "10.0.0.10", "arp.dst.proto_ipv4", "10.0.0.80", "eth.type", "0x0806")
	m["arp"] = ether(arp, "00:11:22:33:44:55", "ff:ff:ff:ff:ff:ff")

	v6 := mk("frame", "", "frame.len", "94", "ipv6", "", "ipv6.src", "fe80::1", "ipv6.dst", "2001:db8::1", "ipv6.addr", "fe80::1", "ipv6.addr", "2001:db8::1", "ipv6.nxt", "6",
		"tcp.flags", "0x012", "tcp.flags.syn", "1", "tcp.flags.ack", "1", "tcp.len", "0", "eth.type", "0x86dd")
	m["v6"] = ports(ether(v6, "66:77:88:99:aa:bb", "00:11:22:33:44:55"), "tcp", "443", "50000")

	// An ICMP error quoting the UDP datagram that caused it: two IPv4 headers.
	icmp := mk("frame", "", "frame.len", "70", "icmp", "")
	icmp = ipv4(ether(icmp, "66:77:88:99:aa:bb", "00:11:22:33:44:55"), "10.0.0.80", "10.0.0.10", "1")
	icmp = ipv4(icmp, "10.0.0.10", "10.0.0.80", "17")
	m["icmp"] = ports(icmp, "udp", "40000", "53")

	lo := mk("frame", "", "frame.len", "66", "tcp.flags", "0x010", "tcp.flags.syn", "0", "tcp.flags.ack", "1", "tcp.len", "0")
	m["lo"] = ports(ipv4(ether(lo, "00:00:00:00:00:00", "00:00:00:00:00:00"), "127.0.0.1", "127.0.0.1", "6"), "tcp", "80", "80")
	return m
}()

// matching returns the names of the test records f matches, space separated.
func matching(f *Filter) string {
	var out []string
	for _, n := range recNames {
		if f.Match(records[n]) {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}

// readLines reads a testdata file of filters, one per line; blank lines and lines
// starting with # are skipped.
func readLines(t testing.TB, name string) []string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out
}
