package filter

import (
	"testing"
)

// captureCases: a capture filter, exactly the test records it matches (syn get
// dns arp v6 icmp lo), and the display filter it is translated into ("" to skip
// that check). The icmp record is an ICMP error quoting a UDP datagram to port 53:
// as in tcpdump, only its outer headers count, so it is not "udp" nor "port 53".
var captureCases = []struct{ expr, want, str string }{
	{"tcp", "syn get v6 lo", "ip.proto#1 == 6 || ipv6.nxt#1 == 6"},
	{"udp", "dns", "ip.proto#1 == 17 || ipv6.nxt#1 == 17"},
	{"ip", "syn get dns icmp lo", "ip"},
	{"ip6", "v6", "ipv6"},
	{"arp", "arp", "arp && !ip && !ipv6"},
	{"ether", "syn get dns arp v6 icmp lo", "eth"},
	{"icmp", "icmp", "ip.proto#1 == 1"},
	{"icmp6", "", "ipv6.nxt#1 == 58"},
	{"not arp", "syn get dns v6 icmp lo", "!(arp && !ip && !ipv6)"},
	{"! arp", "syn get dns v6 icmp lo", "!(arp && !ip && !ipv6)"},

	{"port 80", "syn get lo", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && (tcp.srcport#1 == 80 || tcp.dstport#1 == 80) || (ip.proto#1 == 17 || ipv6.nxt#1 == 17) && (udp.srcport#1 == 80 || udp.dstport#1 == 80)"},
	{"port 53", "dns", ""},
	{"port domain", "dns", ""},
	{"tcp port 80", "syn get lo", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && (tcp.srcport#1 == 80 || tcp.dstport#1 == 80)"},
	{"tcp port http", "syn get lo", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && (tcp.srcport#1 == 80 || tcp.dstport#1 == 80)"},
	{"udp port 80", "", "(ip.proto#1 == 17 || ipv6.nxt#1 == 17) && (udp.srcport#1 == 80 || udp.dstport#1 == 80)"},
	{"src port 80", "lo", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && tcp.srcport#1 == 80 || (ip.proto#1 == 17 || ipv6.nxt#1 == 17) && udp.srcport#1 == 80"},
	{"dst port 80", "syn get lo", ""},
	{"src or dst port 53", "dns", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && (tcp.srcport#1 == 53 || tcp.dstport#1 == 53) || (ip.proto#1 == 17 || ipv6.nxt#1 == 17) && (udp.srcport#1 == 53 || udp.dstport#1 == 53)"},
	{"src and dst port 80", "lo", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && tcp.srcport#1 == 80 && tcp.dstport#1 == 80 || (ip.proto#1 == 17 || ipv6.nxt#1 == 17) && udp.srcport#1 == 80 && udp.dstport#1 == 80"},
	{"portrange 50000-60000", "syn get v6", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && (tcp.srcport#1 in {50000..60000} || tcp.dstport#1 in {50000..60000}) || (ip.proto#1 == 17 || ipv6.nxt#1 == 17) && (udp.srcport#1 in {50000..60000} || udp.dstport#1 in {50000..60000})"},
	{"tcp src portrange 1-1024", "v6 lo", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && tcp.srcport#1 in {1..1024}"},
	{"tcp portrange 1024-1", "syn get v6 lo", ""},

	{"host 10.0.0.80", "syn get arp icmp", "ip.src#1 == 10.0.0.80 || ip.dst#1 == 10.0.0.80 || arp && !ip && !ipv6 && (arp.src.proto_ipv4#1 == 10.0.0.80 || arp.dst.proto_ipv4#1 == 10.0.0.80)"},
	{"src host 10.0.0.80", "icmp", "ip.src#1 == 10.0.0.80 || arp && !ip && !ipv6 && arp.src.proto_ipv4#1 == 10.0.0.80"},
	{"dst host 10.0.0.80", "syn get arp", ""},
	{"dst 10.0.0.80", "syn get arp", ""},
	{"ip host 10.0.0.80", "syn get icmp", "ip.src#1 == 10.0.0.80 || ip.dst#1 == 10.0.0.80"},
	{"arp host 10.0.0.80", "arp", ""},
	{"src and dst host 127.0.0.1", "lo", "ip.src#1 == 127.0.0.1 && ip.dst#1 == 127.0.0.1 || arp && !ip && !ipv6 && arp.src.proto_ipv4#1 == 127.0.0.1 && arp.dst.proto_ipv4#1 == 127.0.0.1"},
	{"host fe80::1", "v6", "ipv6.src#1 == fe80::1 || ipv6.dst#1 == fe80::1"},
	{"ip6 src host fe80::1", "v6", "ipv6.src#1 == fe80::1"},
	{"10.0.0.80", "syn get arp icmp", ""},

	{"net 10.0.0.0/8", "syn get arp icmp", "ip.src#1 == 10.0.0.0/8 || ip.dst#1 == 10.0.0.0/8 || arp && !ip && !ipv6 && (arp.src.proto_ipv4#1 == 10.0.0.0/8 || arp.dst.proto_ipv4#1 == 10.0.0.0/8)"},
	{"net 10.0.0.0 mask 255.0.0.0", "syn get arp icmp", ""},
	{"net 10", "syn get arp icmp", ""},
	{"net 192.168", "dns", ""},
	{"src net 192.168.1.0/24", "dns", ""},
	{"dst net 8.8.8.8/32", "dns", ""},
	{"ip net 127.0.0.0/8", "lo", "ip.src#1 == 127.0.0.0/8 || ip.dst#1 == 127.0.0.0/8"},
	{"net 2001:db8::/32", "v6", "ipv6.src#1 == 2001:db8::/32 || ipv6.dst#1 == 2001:db8::/32"},
	{"net 10.0.0.0 mask 255.0.255.0", "syn get arp icmp", "ip.src#1 == 10.0.0.0/255.0.255.0 || ip.dst#1 == 10.0.0.0/255.0.255.0 || arp && !ip && !ipv6 && (arp.src.proto_ipv4#1 == 10.0.0.0/255.0.255.0 || arp.dst.proto_ipv4#1 == 10.0.0.0/255.0.255.0)"},

	{"ether host 66:77:88:99:aa:bb", "syn get v6 icmp", "eth.src#1 == 66:77:88:99:aa:bb || eth.dst#1 == 66:77:88:99:aa:bb"},
	{"ether src 66:77:88:99:aa:bb", "v6 icmp", "eth.src#1 == 66:77:88:99:aa:bb"},
	{"ether dst ff:ff:ff:ff:ff:ff", "dns arp", "eth.dst#1 == ff:ff:ff:ff:ff:ff"},
	{"ether dst host ff-ff-ff-ff-ff-ff", "dns arp", ""},

	{"less 70", "arp icmp lo", "frame.len#1 <= 70"},
	{"greater 100", "get", "frame.len#1 >= 100"},
	{"less 70 and not arp", "icmp lo", ""},

	// and/or have equal precedence, left to right, as in tcpdump
	{"arp or udp and port 53", "dns", "(arp && !ip && !ipv6 || ip.proto#1 == 17 || ipv6.nxt#1 == 17) && ((ip.proto#1 == 6 || ipv6.nxt#1 == 6) && (tcp.srcport#1 == 53 || tcp.dstport#1 == 53) || (ip.proto#1 == 17 || ipv6.nxt#1 == 17) && (udp.srcport#1 == 53 || udp.dstport#1 == 53))"},
	{"udp and port 53 or arp", "dns arp", ""},
	{"arp or (udp and port 53)", "dns arp", ""},
	{"tcp && port 80 || arp", "syn get arp lo", ""},

	// qualifier carry-over
	{"port 80 or 443", "syn get v6 lo", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && (tcp.srcport#1 == 80 || tcp.dstport#1 == 80) || (ip.proto#1 == 17 || ipv6.nxt#1 == 17) && (udp.srcport#1 == 80 || udp.dstport#1 == 80) || (ip.proto#1 == 6 || ipv6.nxt#1 == 6) && (tcp.srcport#1 == 443 || tcp.dstport#1 == 443) || (ip.proto#1 == 17 || ipv6.nxt#1 == 17) && (udp.srcport#1 == 443 || udp.dstport#1 == 443)"},
	{"port 80 or 443 or 53", "syn get dns v6 lo", ""},
	{"host 10.0.0.80 and not 10.0.0.10", "", ""},
	{"host 10.0.0.10 and not 192.168.1.7", "syn get arp icmp", ""},
	{"tcp dst port 80 or 8080", "syn get lo", "(ip.proto#1 == 6 || ipv6.nxt#1 == 6) && tcp.dstport#1 == 80 || (ip.proto#1 == 6 || ipv6.nxt#1 == 6) && tcp.dstport#1 == 8080"},
	{"tcp dst port 8080 or 80", "syn get lo", ""},
	{"src host 10.0.0.80 or 192.168.1.7", "dns icmp", ""},
	{"ip and (port 80 or 443)", "syn get lo", ""},
	{"port 53 and (udp or tcp)", "dns", ""},
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
