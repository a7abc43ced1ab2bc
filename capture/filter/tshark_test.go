package filter

import (
	"github.com/wirelab-dev/wirelab/internal/testcorpus"

	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// wsFields are real Wireshark fields with their Wireshark types, for the
// cross-check against tshark.
var wsFields = []struct {
	name string
	t    Type
}{
	{"frame", None}, {"frame.len", Uint}, {"frame.time_relative", Float},
	{"eth", None}, {"eth.src", Ether}, {"eth.dst", Ether}, {"eth.addr", Ether}, {"eth.type", Uint},
	{"arp", None}, {"arp.opcode", Uint}, {"arp.src.proto_ipv4", IPv4}, {"arp.dst.proto_ipv4", IPv4},
	{"ip", None}, {"ip.src", IPv4}, {"ip.dst", IPv4}, {"ip.addr", IPv4}, {"ip.proto", Uint}, {"ip.ttl", Uint}, {"ip.flags.df", Bool},
	{"ipv6", None}, {"ipv6.src", IPv6}, {"ipv6.dst", IPv6}, {"ipv6.addr", IPv6}, {"ipv6.nxt", Uint},
	{"tcp", None}, {"tcp.srcport", Uint}, {"tcp.dstport", Uint}, {"tcp.port", Uint}, {"tcp.flags", Uint},
	{"tcp.flags.syn", Bool}, {"tcp.flags.ack", Bool}, {"tcp.len", Uint}, {"tcp.payload", Bytes},
	{"udp", None}, {"udp.srcport", Uint}, {"udp.dstport", Uint}, {"udp.port", Uint},
	{"icmp", None}, {"icmp.type", Uint}, {"icmpv6", None}, {"dns", None}, {"dns.qry.name", String},
	{"http", None}, {"http.request.method", String}, {"http.request.uri", String}, {"http.host", String},
}

// tsharkChecks are display filters both tshark 4.0 and this package accept.
var tsharkChecks = []string{
	"tcp", "udp", "arp", "ipv6", "icmp", "dns", "http", "!ip", "ip.src != 127.0.0.1",
	"tcp.port == 80", "tcp.port != 80", "tcp.port === 80", "tcp.port !== 80", "udp.port != 53",
	"tcp.port eq 80", "tcp.port ne 80", "tcp.port all_eq 80", "tcp.port any_ne 80",
	"ip.addr == 127.0.0.1", "ip.addr != 127.0.0.1", "ip.src === 127.0.0.1",
	"ip.addr == 192.168.0.0/16", "ip.addr != 192.168.0.0/16", "ipv6.addr == fe80::/10", "ipv6.dst == ff02::a",
	"ip.src == ip.dst", "ip.src != ip.dst", "ip.src === ip.dst", "ip.src !== ip.dst",
	"frame.len > 100", "frame.len <= 66", "frame.len ge 74 and frame.len lt 100",
	"ip.ttl < 64", "ip.flags.df == 1", "ip.flags.df == 0",
	"tcp.flags & 0x02", "tcp.flags & 0x12 == 0x12", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "!(tcp.flags & 0x10)",
	"tcp.port in {80, 53}", "tcp.port in {80, 53}", "tcp.srcport in {50000..60000}", "tcp.port in {53, 8000..8080}", "ip.addr in {127.0.0.1, 10.0.0.0/8}", "udp.port in {53,8053}", "tcp.port not in {80}",
	"eth.dst == ff:ff:ff:ff:ff:ff", "eth.addr == 00:11:22:33:44:55", "eth.src[0:3] == 00:11:22", "eth.src[0] == 00",
	`http.request.method == "GET"`, `http.request.uri contains "index"`, `http.host matches "LOCALHOST"`, `http.host contains "local"`,
	`tcp.payload[0:3] == "GET"`, `tcp.payload[0] == 47`, `tcp.payload contains "HTTP/1.1"`, `tcp.payload matches "^http/1\\.[01] 200"`,
	`tcp.payload[-2:] == 0d:0a`, `dns.qry.name contains "tcpdump"`, `dns.qry.name matches "\\.org$"`,
	"len(http.request.uri) > 1", "arp.opcode == 1", "tcp.port == 0x50", "tcp.port == 0120", "eth.dst == ffff.ffff.ffff", "eth.addr == 00-11-22-33-44-55", "arp.src.proto_ipv4 == 10.0.0.0/8",
	"icmp.type == 11 || icmp.type == 3", "ip.proto == 17 && !dns", "tcp.len > 0 && !http",
	"tcp || udp && !dns", "(tcp || udp) && !dns", "not tcp and not udp",
	"frame.time_relative > 1", "ipv6.nxt == 88", "eth.type == 0x0806",
	"ip.dst[3] == 1", "ip.src[0:2] == c0:a8", "ipv6.src[0:2] == fe:80",
}

// corpusDir returns the shared test corpus; a missing one fails the test.
func corpusDir(t *testing.T) string {
	t.Helper()
	return testcorpus.Dir(t)
}

// TestAgainstTshark runs display filters through tshark and through this package
// (over records built from tshark's own field values) on a capture merged from
// the corpus, and requires the same frames.
func TestAgainstTshark(t *testing.T) {
	corpus := corpusDir(t)
	for _, tool := range []string{"tshark", "mergecap"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; skipping the cross-check", tool)
		}
	}
	mix := filepath.Join(t.TempDir(), "mix.pcapng")
	var in []string
	for _, f := range []string{"captures/http-get.pcap", "tcpdump-tests/dns_udp.pcap", "tcpdump-tests/arp-too-long-tha.pcap",
		"tcpdump-tests/EIGRP_ipv6.pcap", "tcpdump-tests/dns_tcp.pcap", "tcpdump-tests/icmp-rfc5837.pcap"} {
		in = append(in, filepath.Join(corpus, f))
	}
	if out, err := exec.Command("mergecap", append([]string{"-F", "pcapng", "-w", mix}, in...)...).CombinedOutput(); err != nil {
		t.Fatalf("mergecap: %v\n%s", err, out)
	}

	reg, recs := tsharkRecords(t, mix)
	if len(recs) < 30 {
		t.Fatalf("only %d frames in the merged capture", len(recs))
	}

	// One tshark run evaluates every filter: a Lua listener per filter prints
	// "index frame" for each frame it matches (or "index E message").
	dir := t.TempDir()
	list := filepath.Join(dir, "filters.txt")
	script := filepath.Join(dir, "listen.lua")
	if err := os.WriteFile(list, []byte(strings.Join(tsharkChecks, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(listenLua), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("tshark", "-q", "-r", mix, "-X", "lua_script:"+script)
	cmd.Env = append(os.Environ(), "WL_FILTERS="+list)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	o, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark with a Lua listener: %v\n%s", err, stderr.String())
	}
	want := make([][]string, len(tsharkChecks))
	ran := false
	for _, line := range strings.Split(string(o), "\n") {
		idx, rest, ok := strings.Cut(line, " ")
		i, err := strconv.Atoi(idx)
		if !ok || err != nil || i < 1 || i > len(tsharkChecks) {
			continue
		}
		ran = true
		if strings.HasPrefix(rest, "E ") {
			t.Errorf("tshark rejects %q: %s", tsharkChecks[i-1], rest[2:])
			continue
		}
		want[i-1] = append(want[i-1], rest)
	}
	if !ran {
		t.Skipf("tshark printed nothing from the Lua listener (no Lua support?): %s", stderr.String())
	}
	for i, expr := range tsharkChecks {
		f, err := Compile(expr, reg)
		if err != nil {
			t.Errorf("%q: %v", expr, err)
			continue
		}
		var got []string
		for k, r := range recs {
			if f.Match(r) {
				got = append(got, strconv.Itoa(k+1))
			}
		}
		if g, w := strings.Join(got, " "), strings.Join(want[i], " "); g != w {
			t.Errorf("%q:\n got frames [%s]\ntshark [%s]", expr, g, w)
		}
	}
}

const listenLua = `
local i = 0
for line in io.lines(os.getenv("WL_FILTERS")) do
  i = i + 1
  local n = i
  local ok, l = pcall(Listener.new, nil, line)
  if ok then
    function l.packet(pinfo) io.write(n, " ", pinfo.number, "\n") end
  else
    io.write(n, " E ", tostring(l), "\n")
  end
end
`

// tsharkRecords returns a registry of wsFields and, for every frame of file, a
// record holding the values tshark gives those fields.
func tsharkRecords(t *testing.T, file string) (*testRegistry, []rec) {
	reg := &testRegistry{byName: map[string]*Field{}}
	args := []string{"-r", file, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-e", "frame.number", "-e", "frame.protocols"}
	for i, wf := range wsFields {
		f := &Field{Name: wf.name, Type: wf.t, ID: i}
		reg.list = append(reg.list, f)
		reg.byName[wf.name] = f
		if wf.t != None {
			args = append(args, "-e", wf.name)
		}
	}
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var recs []rec
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		r := rec{}
		for _, p := range strings.Split(cols[1], ":") {
			if f, ok := reg.byName[p]; ok && f.Type == None {
				r[p] = []Value{{}}
			}
		}
		r["frame"] = []Value{{}}
		k := 2
		for _, wf := range wsFields {
			if wf.t == None {
				continue
			}
			if k < len(cols) && cols[k] != "" {
				for _, s := range strings.Split(cols[k], "|") {
					v, err := tsharkValue(wf.t, s)
					if err != nil {
						t.Fatalf("frame %s field %s: %v", cols[0], wf.name, err)
					}
					r[wf.name] = append(r[wf.name], v)
				}
			}
			k++
		}
		recs = append(recs, r)
	}
	return reg, recs
}

func tsharkValue(t Type, s string) (Value, error) {
	switch t {
	case Uint:
		n, err := strconv.ParseUint(s, 0, 64)
		return Value{N: n}, err
	case Bool:
		switch s {
		case "1", "True":
			return Value{N: 1}, nil
		case "0", "False":
			return Value{N: 0}, nil
		}
	case Float:
		x, err := strconv.ParseFloat(s, 64)
		return Value{F: x}, err
	case IPv4:
		a, err := netip.ParseAddr(s)
		if err == nil && a.Is4() {
			return Value{N: v4Num(a)}, nil
		}
	case IPv6:
		a, err := netip.ParseAddr(s)
		if err == nil {
			b := a.As16()
			return Value{B: b[:]}, nil
		}
	case Ether:
		if m, ok := parseMAC(s); ok {
			return Value{N: m}, nil
		}
	case Bytes:
		b, err := hex.DecodeString(strings.ReplaceAll(s, ":", ""))
		return Value{B: b}, err
	case String:
		return Value{B: []byte(s)}, nil
	}
	return Value{}, fmt.Errorf("cannot read %q as %s", s, t)
}
