package filter

import (
	"fmt"
	"strings"
	"testing"
)

// displayCases: a filter and exactly the test records it matches (see recNames:
// syn get dns arp v6 icmp lo).
var displayCases = []struct{ expr, want string }{
	// presence
	{"tcp", "syn get v6 lo"},
	{"udp", "dns icmp"},
	{"arp", "arp"},
	{"http", "get"},
	{"ip", "syn get dns icmp lo"},
	{"!ip", "arp v6"},
	{"not ip", "arp v6"},

	// == and != with one and several occurrences; absent fields
	{"tcp.port == 80", "syn get lo"},
	{"tcp.port eq 80", "syn get lo"},
	{"tcp.port any_eq 80", "syn get lo"},
	{"tcp.port != 80", "v6"},
	{"tcp.port ne 80", "v6"},
	{"tcp.port all_ne 80", "v6"},
	{"udp.port != 80", "dns icmp"},
	{"!(tcp.port == 80)", "dns arp v6 icmp"},
	{"!tcp.port == 80", "dns arp v6 icmp"},
	{"tcp.port === 80", "lo"},
	{"tcp.port all_eq 80", "lo"},
	{"tcp.port !== 80", "syn get v6"},
	{"tcp.port ~= 80", "syn get v6"},
	{"tcp.port any_ne 80", "syn get v6"},
	{"ip.addr == 10.0.0.80", "syn get icmp"},
	{"ip.addr != 10.0.0.80", "dns lo"},
	{"ip.src == 10.0.0.80", "icmp"},
	{"ip.src === 10.0.0.80", ""},
	{"ip.src !== 10.0.0.80", "syn get dns icmp lo"},

	// ordering
	{"frame.len > 100", "get"},
	{"frame.len gt 100", "get"},
	{"frame.len >= 149", "get"},
	{"frame.len ge 149", "get"},
	{"frame.len < 70", "arp lo"},
	{"frame.len lt 70", "arp lo"},
	{"frame.len <= 70", "arp icmp lo"},
	{"frame.len le 70", "arp icmp lo"},
	{"tcp.srcport > 50000", "syn get"},
	{"frame.time_relative >= 0.5", "get dns"},
	{"frame.time_relative == 1.25", "dns"},
	{"frame.offset_shift < 0", "syn"},
	{"frame.offset_shift == -3", "syn"},
	{"frame.offset_shift > -4 && frame.offset_shift < 3", "syn get"},
	{"ip.src > 10.0.0.10", "dns icmp lo"},
	{"ipv6.src < 2001::", ""},
	{"ipv6.dst >= 2001:db8::", "v6"},
	{"eth.src > 00:11:22:33:44:55", "v6 icmp"},

	// integer literals: hex, octal, char constants
	{"tcp.port == 0x50", "syn get lo"},
	{"tcp.port == 0120", "syn get lo"},
	{"tcp.port == +80", "syn get lo"},
	{"tcp.port == 0b1010000", "syn get lo"},
	// A negative number equals no unsigned value (Wireshark 4.0): == and <
	// are false, != and === true, !== false.
	{"tcp.port == -80", ""},
	{"tcp.port < -1", ""},
	{"tcp.port != -80", "syn get v6 lo"},
	{"tcp.port === -1", "syn get v6 lo"},
	{"tcp.port !== -1", ""},
	{"tcp.port >= -0", "syn get v6 lo"},
	{"tcp.port in {-1, 443}", "v6"},
	{"tcp.port in {-1..443}", ""},
	{"tcp.flags.syn == 2", "syn v6"},
	{"ip.ttl == 0x40", "syn get dns icmp lo"},
	{"ip.proto == 'A'", ""},
	{"frame.len == 'J'", "syn"},

	// booleans
	{"tcp.flags.syn == 1", "syn v6"},
	{"tcp.flags.syn == true", "syn v6"},
	{"tcp.flags.syn == True", "syn v6"},
	{"tcp.flags.syn == 0", "get lo"},
	{"tcp.flags.syn == false", "get lo"},
	{"ip.flags.df", "syn get dns icmp lo"},
	{"tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80", "syn"},

	// bitwise and
	{"tcp.flags & 0x02", "syn v6"},
	{"tcp.flags & 0x12 == 0x12", "v6"},
	{"tcp.flags & 0x12 != 0", "syn get v6 lo"},
	{"tcp.flags & 0x10", "get v6 lo"},
	{"!(tcp.flags & 0x04)", "syn get dns arp v6 icmp lo"},

	// addresses and networks
	{"ip.addr == 10.0.0.0/8", "syn get icmp"},
	{"ip.addr != 10.0.0.0/8", "dns lo"},
	{"ip.dst == 8.8.8.8/32", "dns"},
	{"ip.src == 0.0.0.0/0", "syn get dns icmp lo"},
	{"ip.addr == 127.0.0.0/8", "lo"},
	{"ipv6.addr == fe80::/10", "v6"},
	{"ipv6.src == fe80::1", "v6"},
	{"ipv6.dst == 2001:db8::/32", "v6"},
	{"ipv6.dst == 2001:db9::/32", ""},
	{"ipv6.addr == 2001:db8::1/127", "v6"},
	{"eth.dst == ff:ff:ff:ff:ff:ff", "dns arp"},
	{"eth.dst == ff-ff-ff-ff-ff-ff", "dns arp"},
	{"eth.dst == ffff.ffff.ffff", "dns arp"},
	{"eth.addr == 66:77:88:99:AA:BB", "syn get v6 icmp"},
	{"arp.dst.proto_ipv4 == 10.0.0.80", "arp"},

	// field against field
	{"ip.src == ip.dst", "icmp lo"},
	{"ip.src != ip.dst", "syn get dns"},
	{"ip.src === ip.dst", "lo"},
	{"ip.src !== ip.dst", "syn get dns icmp"},
	{"tcp.srcport < tcp.dstport", "v6"},
	{"eth.src == eth.dst", "lo"},
	{"eth.src[0:3] == eth.dst[0:3]", "lo"},
	{"http.host contains http.request.method", ""},
	{"tcp.srcport > tcp.dstport", "syn get"},

	// strings
	{`http.request.method == "GET"`, "get"},
	{"http.request.method == GET", "get"},
	{`http.request.method == "get"`, ""},
	{`http.request.method != "POST"`, "get"},
	{`http.request.uri contains "index"`, "get"},
	{`http.request.uri contains index`, "get"},
	{`http.host contains "example"`, ""},
	{`http.host contains "Example"`, "get"},
	{`http.host matches "example\\.com$"`, "get"},
	{`http.host ~ "EXAMPLE"`, "get"},
	{`http.host matches "(?-i)example"`, ""},
	{`dns.qry.name matches "^www\\."`, "dns"},
	{`dns.qry.name matches r"^www\.example\.com$"`, "dns"},
	{`http.request.uri contains r"\i"`, ""},
	{`http.host == R"www.Example.com"`, "get"},
	{`http.request.uri > "/a"`, "get"},

	// bytes, quoted strings against bytes, escapes
	{`tcp.payload contains "HTTP/1.1\r\n"`, "get"},
	{`tcp.payload contains "\x48\x54\x54\x50"`, "get"},
	{`tcp.payload contains "\110\124"`, "get"},
	{`tcp.payload contains 48:54:54:50`, "get"},
	{`tcp.payload contains 48-54-54-50`, "get"},
	{`tcp.payload matches "^get /"`, "get"},
	{`tcp.payload[0:3] == "GET"`, "get"},
	{`tcp.payload[0:3] == 47:45:54`, "get"},
	{`tcp.payload[0] == 47`, "get"},
	{`tcp.payload[0] == 0x47`, "get"},
	{`tcp.payload[0-2] == "GET"`, "get"},
	{`tcp.payload[:3] == "GET"`, "get"},
	{`tcp.payload[4:] contains "index"`, "get"},
	{`tcp.payload[-4:] == "\r\n\r\n"`, "get"},
	{`tcp.payload[-4:2] == 0d:0a`, "get"},
	{`tcp.payload[1000:2] == 00:00`, ""},
	{`tcp.payload[1000:]`, ""},
	{`tcp.payload[0:1000]`, ""},
	{`tcp.payload[0:3]`, "get"},
	{`eth.src[0:3] == 00:11:22`, "syn get dns arp"},
	{`eth.src[0:3] == 00-11-22`, "syn get dns arp"},
	{`eth.src[5] == 55`, "syn get dns arp"},
	{`ip.src[0] == 0a`, "syn get icmp"},
	{`ip.dst[3] == 50`, "syn get icmp"},
	{`ipv6.src[0:2] == fe:80`, "v6"},
	{`http.host[0:3] == "www"`, "get"},
	{`http.host[0:3] == 77:77:77`, "get"},

	// len()
	{"len(http.request.uri) == 11", "get"},
	{"len(tcp.payload) > 10", "get"},
	{"len(eth.src) == 6", "syn get dns arp v6 icmp lo"},
	{"len(ip.src) == 4 && len(ipv6.src) == 16", ""},

	// sets
	{"tcp.port in {80, 443}", "syn get v6 lo"},
	{"tcp.port in {80, 443}", "syn get v6 lo"},
	{"tcp.port in {80,443}", "syn get v6 lo"},
	{"tcp.port in {80 , 443}", "syn get v6 lo"},
	{"tcp.port in {8000..8080, 443}", "v6"},
	{"tcp.port in {8000 .. 8080, 56000..57000}", "syn get"},
	{"udp.port in {53}", "dns icmp"},
	{"tcp.port not in {80, 443}", "dns arp icmp"},
	{"ip.addr in {8.8.8.8, 127.0.0.0/8}", "dns lo"},
	{`http.request.method in {"GET", "HEAD"}`, "get"},
	{`http.request.method in {GET, HEAD}`, "get"},
	{"frame.time_relative in {0.4..0.6}", "get"},
	{"eth.dst in {ff:ff:ff:ff:ff:ff}", "dns arp"},

	// logic and precedence
	{"tcp && udp", ""},
	{"tcp and ip.src == 10.0.0.10", "syn get"},
	{"arp || udp", "dns arp icmp"},
	{"arp or udp", "dns arp icmp"},
	{"tcp ^^ ip", "dns v6 icmp"},
	{"tcp xor ip", "dns v6 icmp"},
	{"frame.len == 74 && frame.len == 149 || frame.len == 42", "arp"},
	{"frame.len == 42 || frame.len == 74 && frame.len == 149", "arp"},
	{"(frame.len == 42 || frame.len == 74) && tcp", "syn"},
	{"!tcp && !udp", "arp"},
	{"not not tcp", "syn get v6 lo"},
	{"((((tcp))))", "syn get v6 lo"},
	{"tcp&&!http", "syn v6 lo"},
	{"tcp.port==80&&ip.src==10.0.0.10", "syn get"},

	// field#N: the Nth occurrence (the layer, for once-per-layer fields)
	{"ip.src#1 == 10.0.0.80", "icmp"},
	{"ip.src#2 == 10.0.0.10", "icmp"},
	{"ip.src#2", "icmp"},
	{"ip.src#3", ""},
	{"ip.proto#1 == 17", "dns"},
	{"ip.src#1[3] == 50", "icmp"},
	{"ip.src#1 == ip.dst#2", "icmp"},
	{"ip.dst#1 != ip.dst#2", "icmp"},

	// literal on the left
	{"80 == tcp.dstport", "syn get lo"},
	{"100 < frame.len", "get"},
}

func TestDisplay(t *testing.T) {
	for _, c := range displayCases {
		t.Run(c.expr, func(t *testing.T) {
			f, err := Compile(c.expr, testReg)
			if err != nil {
				if e, ok := err.(*Error); ok {
					t.Fatalf("compile:\n%s", e.Caret())
				}
				t.Fatal(err)
			}
			if got := matching(f); got != c.want {
				t.Errorf("matches [%s], want [%s]", got, c.want)
			}
			// String gives a filter that compiles back to the same meaning.
			g, err := Compile(f.String(), testReg)
			if err != nil {
				t.Fatalf("String() = %q does not compile: %v", f.String(), err)
			}
			if got := matching(g); got != c.want {
				t.Errorf("String() = %q matches [%s], want [%s]", f.String(), got, c.want)
			}
			// A clone gives the same answers.
			if got := matching(f.Clone()); got != c.want {
				t.Errorf("clone matches [%s], want [%s]", got, c.want)
			}
		})
	}
}

func TestDisplayString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"tcp.port eq 80 and not udp", "tcp.port == 80 && !udp"},
		{"(tcp or udp) and arp", "(tcp || udp) && arp"},
		{"tcp or (udp and arp)", "tcp || udp && arp"},
		{"tcp and (udp and arp)", "tcp && udp && arp"},
		{"!(tcp and udp)", "!(tcp && udp)"},
		{"tcp.port in {80,443, 8000..8080}", "tcp.port in {80, 443, 8000..8080}"},
		{`http.host matches "a\"b"`, `http.host matches "a\"b"`},
		{"eth.src[0:3] == 00:11:22", "eth.src[0:3] == 00:11:22"},
		{"tcp.flags & 0x02", "tcp.flags & 0x02"},
		{"80 <= tcp.port", "tcp.port >= 80"},
		{"tcp.port any_ne 80", "tcp.port !== 80"},
		{"len(http.host) > 3", "len(http.host) > 3"},
	}
	for _, c := range cases {
		if c.want == "" {
			continue
		}
		f, err := Compile(c.in, testReg)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if got := f.String(); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFields(t *testing.T) {
	f, err := Compile("tcp.port == 80 && ip.src == ip.dst || tcp.port == 443 || eth.src[0:3] == 00:11:22", testReg)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fl := range f.Fields() {
		names = append(names, fl.Name)
	}
	if got, want := fmt.Sprint(names), "[tcp.port ip.src ip.dst eth.src]"; got != want {
		t.Errorf("Fields() = %s, want %s", got, want)
	}
}

func TestCount(t *testing.T) {
	for expr, want := range map[string]string{
		"count(ip.addr) == 2":  "syn get dns lo",
		"count(ip.addr) == 4":  "icmp",
		"count(ip.addr) == 0":  "",
		"count(tcp.port) > 1":  "syn get v6 lo",
		"count(http.host) < 2": "get",
	} {
		f, err := Compile(expr, testReg)
		if err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
		if got := matching(f); got != want {
			t.Errorf("%q matches [%s], want [%s]", expr, got, want)
		}
	}
}

// TestFrameBytes: frame is a protocol, and its bytes can be sliced and searched
// as in Wireshark (the record's RawFrame).
func TestFrameBytes(t *testing.T) {
	for expr, want := range map[string]string{
		"frame[0:2] == 66:77":             "syn get vlan short",
		"frame[12:2] == 81:00":            "vlan",
		`frame contains "GET /index"`:     "get",
		`frame matches "host: www\\."`:    "get",
		"frame[0:6] == ff:ff:ff:ff:ff:ff": "dns arp",
		"frame[-2:] == 00:00":             "syn dns arp v6 icmp lo vlan",
		"frame":                           "syn get dns arp v6 icmp lo vlan short",
	} {
		f, err := Compile(expr, testReg)
		if err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
		var got []string
		for _, n := range frameNames {
			r := rawRec{frames[n], ltEthernet}
			if f.Match(rawFrameRec{r}) {
				got = append(got, n)
			}
		}
		if g := strings.Join(got, " "); g != want {
			t.Errorf("%q matches [%s], want [%s]", expr, g, want)
		}
	}
	for _, expr := range []string{`tcp contains "GET"`, "ip[0:2] == 45:00"} {
		if _, err := Compile(expr, testReg); err == nil {
			t.Errorf("%q compiled; slices of protocols other than frame are not supported", expr)
		}
	}
}

// rawFrameRec is a frame with only the frame protocol.
type rawFrameRec struct{ rawRec }

func (r rawFrameRec) Values(dst []Value, f *Field) []Value {
	if f.Name == "frame" {
		return append(dst, Value{})
	}
	return dst
}
