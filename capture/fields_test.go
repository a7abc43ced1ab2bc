package capture

import (
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

func TestRegistry(t *testing.T) {
	reg := Fields()
	seen := map[string]bool{}
	for i, f := range reg.Fields() {
		if f.ID != i {
			t.Errorf("%s: ID %d at index %d", f.Name, f.ID, i)
		}
		if seen[f.Name] {
			t.Errorf("%s: listed twice", f.Name)
		}
		seen[f.Name] = true
		if g, ok := reg.Lookup(f.Name); !ok || g != f {
			t.Errorf("%s: Lookup does not return the listed field", f.Name)
		}
		if f.Desc == "" || f.Example == "" {
			t.Errorf("%s: missing Desc or Example", f.Name)
		}
		if _, err := Compile(f.Example); err != nil {
			t.Errorf("%s: example %q does not compile: %v", f.Name, f.Example, err)
		}
	}
	for _, name := range strings.Fields("frame eth arp ip ipv6 tcp udp icmp icmpv6 dns http data") {
		if f, ok := reg.Lookup(name); !ok || f.Type != filter.None {
			t.Errorf("protocol field %q missing or not a presence field", name)
		}
	}
	if _, ok := reg.Lookup("tcp.nope"); ok {
		t.Error("Lookup found an unknown field")
	}
}

func TestFormat(t *testing.T) {
	reg := Fields()
	f := func(name string) *filter.Field { x, _ := reg.Lookup(name); return x }
	ip6, _ := netipParse("2001:db8::1")
	tests := []struct {
		field string
		v     filter.Value
		want  string
	}{
		{"tcp.flags", filter.Value{N: 0x12}, "0x0012"},
		{"ip.id", filter.Value{N: 0x5ef8}, "0x5ef8"},
		{"ip.flags", filter.Value{N: 2}, "0x02"},
		{"ip.flags.df", filter.Value{N: 1}, "1"},
		{"tcp.flags.syn", filter.Value{N: 0}, "0"},
		{"eth.src", filter.Value{N: 0x02000000000a}, "02:00:00:00:00:0a"},
		{"ip.src", filter.Value{N: 0x7f000001}, "127.0.0.1"},
		{"ipv6.src", filter.Value{B: ip6}, "2001:db8::1"},
		{"tcp.payload", filter.Value{B: []byte("GET")}, "474554"},
		{"http.host", filter.Value{B: []byte("example.com")}, "example.com"},
		{"frame.time_relative", filter.Value{F: 0.000014}, "0.000014000"},
		{"tcp.srcport", filter.Value{N: 80}, "80"},
		{"http.request", filter.Value{}, "1"},
		{"dns.id", filter.Value{N: 0x1234}, "0x1234"},
	}
	for _, tt := range tests {
		if got := Format(f(tt.field), tt.v); got != tt.want {
			t.Errorf("Format(%s, %+v) = %q, want %q", tt.field, tt.v, got, tt.want)
		}
	}
}

// TestFiltersOverPackets runs display filters over real and synthetic captures;
// the expected frame numbers are what tshark 4.0 -Y printed for each filter.
func TestFiltersOverPackets(t *testing.T) {
	tests := []struct{ capture, filter, want string }{
		{"http-get", `tcp.flags.syn == 1 && tcp.flags.ack == 0`, "1 13"},
		{"http-get", `http.request.method == "GET" && http.request.uri == "/"`, "16"},
		{"http-get", `tcp.flags.reset == 1`, "22"},
		{"http-get", `tcp.stream == 1 && tcp.len > 0`, "16 18 21"},
		{"http-get", `http.response.code == 200`, "8 21"},
		{"http-get", `http.content_type contains "html"`, "8 21"},
		{"http-get", `tcp.nxtseq == 186`, "6 18"},
		{"http-get", `tcp.port in {80, 443} && ip.id == 0xc625`, "6"},
		{"http-get", `frame.protocols contains "http"`, "4 8 16 21"},
		{"http-get", `tcp.seq_raw > 3000000000`, "2 5 6 8 10 12"},
		{"http-get", `http.host matches "YAHOO"`, "16"},
		{"http-get", `tcp.payload[0:4] == "GET "`, "4 16"},
		{"http-get", `ip.addr == 127.0.0.0/8 && !(tcp.len == 0)`, "4 6 8 16 18 21"},
		{"http", `http.request`, "5 8 11"},
		{"http", `http.response.code == 302 || http.location == "/done"`, "10"},
		{"http", `http.request.uri == "/b"`, "11"},
		{"http", `tcp.stream == 1`, "17 18"},
		{"http", `http.content_length == 11`, "8"},
		{"dns", `dns.qry.name == "www.example.com"`, "1 2"},
		{"dns", `dns.a == 93.184.216.34`, "2"},
		{"dns", `dns.flags.rcode == 3`, "5"},
		{"dns", `dns.flags.response == 0`, "1 3 9"},
		{"dns", `dns.aaaa == 2001:db8::1`, "4"},
		{"dns", `dns.count.answers == 2`, "2"},
		{"arp", `arp.opcode == 1 && eth.dst == ff:ff:ff:ff:ff:ff`, "1 3"},
		{"arp", `arp.src.proto_ipv4 == 10.0.0.80`, "2"},
		{"vlan-icmp", `vlan.id == 10 && icmp.type == 8`, "1 3"},
		{"vlan-icmp", `icmp.seq == 2`, "3"},
		{"ipv6", `ipv6.nxt == 0`, "1"},
		{"ipv6", `icmpv6.type == 135`, "3"},
		{"ipv6", `ipv6.addr == 2001:db8::80 && tcp.flags.syn == 1`, "4 5"},
		{"sll2", `udp.stream == 1`, "3"},
		{"sll2", `data.data contains "olleh"`, "2"},
		{"sll", `sll.pkttype == 4 && ipv6`, "8 9"},
		{"raw", `udp.length == 8`, "3"},
		{"null", `null && tcp.srcport == 9000`, "9"},
		{"retrans", `tcp.analysis.retransmission`, "5"},
		{"retrans", `tcp.analysis.duplicate_ack`, "7"},
		{"retrans", `tcp.analysis.flags`, "5 7 8"},
		{"retrans", `tcp.analysis.lost_segment`, "8"},
		{"retrans", `http.request.uri == "/again"`, "4"},
		{"http", `tcp.analysis.reused_ports`, "17"},
		{"http-close", `http.response.code == 200`, "7"},
	}
	cache := map[string][]*Packet{}
	for _, tt := range tests {
		t.Run(tt.capture+"/"+tt.filter, func(t *testing.T) {
			pkts, ok := cache[tt.capture]
			if !ok {
				path := filepath.Join("testdata", "synthetic", tt.capture+".pcap")
				if tt.capture == "http-get" {
					path = filepath.Join(corpusDir(t), "captures", "http-get.pcap")
				}
				pkts = decodeFile(t, path)
				cache[tt.capture] = pkts
			}
			f, err := Compile(tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range pkts {
				if f.Match(p) {
					got = append(got, strconv.Itoa(p.Number))
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("%s on %s: frames %q, tshark %q", tt.filter, tt.capture, g, tt.want)
			}
		})
	}
}

func netipParse(s string) ([]byte, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return nil, err
	}
	b := a.As16()
	return b[:], nil
}
