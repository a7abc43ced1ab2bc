package filter

import (
	"testing"
)

// captureCases: a capture filter, exactly the test records it matches (syn get
// dns arp v6 icmp lo), and the display filter it is translated into ("" to skip
// that check).
var captureCases = []struct{ expr, want, str string }{
	{"tcp", "syn get v6 lo", "tcp"},
	{"udp", "dns icmp", "udp"},
	{"ip", "syn get dns icmp lo", "ip"},
	{"ip6", "v6", "ipv6"},
	{"arp", "arp", "arp"},
	{"ether", "syn get dns arp v6 icmp lo", "eth"},
	{"icmp", "icmp", "icmp"},
	{"icmp6", "", "icmpv6"},
	{"not arp", "syn get dns v6 icmp lo", "!arp"},
	{"! arp", "syn get dns v6 icmp lo", "!arp"},

	{"port 80", "syn get lo", "tcp.port == 80 || udp.port == 80"},
	{"port 53", "dns icmp", ""},
	{"port domain", "dns icmp", ""},
	{"tcp port 80", "syn get lo", "tcp.port == 80"},
	{"tcp port http", "syn get lo", "tcp.port == 80"},
	{"udp port 80", "", "udp.port == 80"},
	{"src port 80", "lo", "tcp.srcport == 80 || udp.srcport == 80"},
	{"dst port 80", "syn get lo", ""},
	{"src or dst port 53", "dns icmp", "tcp.port == 53 || udp.port == 53"},
	{"src and dst port 80", "lo", "tcp.srcport == 80 && tcp.dstport == 80 || udp.srcport == 80 && udp.dstport == 80"},
	{"ip port 80", "syn get lo", "ip && (tcp.port == 80 || udp.port == 80)"},
	{"ip6 port 443", "v6", ""},
	{"portrange 50000-60000", "syn get v6", "tcp.port in {50000..60000} || udp.port in {50000..60000}"},
	{"tcp src portrange 1-1024", "v6 lo", "tcp.srcport in {1..1024}"},
	{"tcp portrange 1024-1", "syn get v6 lo", ""},

	{"host 10.0.0.80", "syn get arp icmp", "ip.addr == 10.0.0.80 || arp.src.proto_ipv4 == 10.0.0.80 || arp.dst.proto_ipv4 == 10.0.0.80"},
	{"src host 10.0.0.80", "icmp", "ip.src == 10.0.0.80 || arp.src.proto_ipv4 == 10.0.0.80"},
	{"dst host 10.0.0.80", "syn get arp icmp", ""},
	{"dst 10.0.0.80", "syn get arp icmp", ""},
	{"ip host 10.0.0.80", "syn get icmp", "ip.addr == 10.0.0.80"},
	{"arp host 10.0.0.80", "arp", ""},
	{"src and dst host 127.0.0.1", "lo", "ip.src == 127.0.0.1 && ip.dst == 127.0.0.1 || arp.src.proto_ipv4 == 127.0.0.1 && arp.dst.proto_ipv4 == 127.0.0.1"},
	{"host fe80::1", "v6", "ipv6.addr == fe80::1"},
	{"ip6 src host fe80::1", "v6", "ipv6.src == fe80::1"},
	{"10.0.0.80", "syn get arp icmp", ""},

	{"net 10.0.0.0/8", "syn get arp icmp", "ip.addr == 10.0.0.0/8 || arp.src.proto_ipv4 == 10.0.0.0/8 || arp.dst.proto_ipv4 == 10.0.0.0/8"},
	{"net 10.0.0.0 mask 255.0.0.0", "syn get arp icmp", ""},
	{"net 10", "syn get arp icmp", ""},
	{"net 192.168", "dns", ""},
	{"src net 192.168.1.0/24", "dns", ""},
	{"dst net 8.8.8.8/32", "dns", ""},
	{"ip net 127.0.0.0/8", "lo", "ip.addr == 127.0.0.0/8"},
	{"net 2001:db8::/32", "v6", "ipv6.addr == 2001:db8::/32"},
	{"net 10.0.0.0 mask 255.0.255.0", "syn get arp icmp", "ip.addr == 10.0.0.0/255.0.255.0 || arp.src.proto_ipv4 == 10.0.0.0/255.0.255.0 || arp.dst.proto_ipv4 == 10.0.0.0/255.0.255.0"},

	{"ether host 66:77:88:99:aa:bb", "syn get v6 icmp", "eth.addr == 66:77:88:99:aa:bb"},
	{"ether src 66:77:88:99:aa:bb", "v6 icmp", "eth.src == 66:77:88:99:aa:bb"},
	{"ether dst ff:ff:ff:ff:ff:ff", "dns arp", "eth.dst == ff:ff:ff:ff:ff:ff"},
	{"ether dst host ff-ff-ff-ff-ff-ff", "dns arp", ""},

	{"less 70", "arp icmp lo", "frame.len <= 70"},
	{"greater 100", "get", "frame.len >= 100"},
	{"less 70 and not arp", "icmp lo", ""},

	// and/or have equal precedence, left to right, as in tcpdump
	{"arp or udp and port 53", "dns icmp", "(arp || udp) && (tcp.port == 53 || udp.port == 53)"},
	{"udp and port 53 or arp", "dns arp icmp", ""},
	{"arp or (udp and port 53)", "dns arp icmp", ""},
	{"tcp && port 80 || arp", "syn get arp lo", ""},

	// qualifier carry-over
	{"port 80 or 443", "syn get v6 lo", "tcp.port == 80 || udp.port == 80 || tcp.port == 443 || udp.port == 443"},
	{"port 80 or 443 or 53", "syn get dns v6 icmp lo", ""},
	{"host 10.0.0.80 and not 10.0.0.10", "", ""},
	{"host 10.0.0.10 and not 192.168.1.7", "syn get arp icmp", ""},
	{"tcp dst port 80 or 8080", "syn get lo", "tcp.dstport == 80 || tcp.dstport == 8080"},
	{"tcp dst port 8080 or 80", "syn get lo", ""},
	{"src host 10.0.0.80 or 192.168.1.7", "dns icmp", ""},
	{"ip and (port 80 or 443)", "syn get lo", ""},
	{"port 53 and (udp or tcp)", "dns icmp", ""},
	{"", "syn get dns arp v6 icmp lo", ""},
	{"   ", "syn get dns arp v6 icmp lo", ""},
}

func TestCapture(t *testing.T) {
	for _, c := range captureCases {
		t.Run(c.expr, func(t *testing.T) {
			f, err := CompileCapture(c.expr, testReg)
			if err != nil {
				if e, ok := err.(*Error); ok {
					t.Fatalf("compile:\n%s", e.Caret())
				}
				t.Fatal(err)
			}
			if got := matching(f); got != c.want {
				t.Errorf("matches [%s], want [%s]; as display filter: %s", got, c.want, f.String())
			}
			if c.str != "" && f.String() != c.str {
				t.Errorf("String() = %q, want %q", f.String(), c.str)
			}
			// The translation is a display filter with the same meaning (except
			// for non-contiguous masks, which display filters cannot write).
			if s := f.String(); s != "" && !containsMask(s) {
				g, err := Compile(s, testReg)
				if err != nil {
					t.Fatalf("String() = %q does not compile as a display filter: %v", s, err)
				}
				if got := matching(g); got != c.want {
					t.Errorf("display filter %q matches [%s], want [%s]", s, got, c.want)
				}
			}
		})
	}
}

func containsMask(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '/' && s[i+1] >= '0' && s[i+1] <= '9' {
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			for k := i + 1; k < j; k++ {
				if s[k] == '.' {
					return true
				}
			}
		}
	}
	return false
}
