package filter

import (
	"sync"
	"testing"
)

// allocFilters cover every kind of node: quantifiers, sets, networks, slices
// (including slices of addresses held as numbers), regexps, field pairs.
var allocFilters = []string{
	"tcp.port == 80 && ip.src == 10.0.0.10",
	"tcp.port != 80 || udp.port !== 53 || tcp.port === 80",
	"tcp.port in {80, 443, 8000..8080} && ip.addr == 10.0.0.0/8",
	"ipv6.addr == fe80::/10 || ipv6.src == fe80::1",
	"tcp.flags & 0x12 == 0x12 || tcp.flags & 0x02",
	`tcp.payload[0:3] == "GET" || tcp.payload[-4:] == 0d:0a:0d:0a`,
	"eth.src[0:3] == 00:11:22 && ip.src[0] == 0a",
	`http.host matches "example\\.com$" || http.request.uri contains "index"`,
	"ip.src == ip.dst || eth.src[0:3] == eth.dst[0:3]",
	"len(http.host) > 3 ^^ !arp",
	"frame.time_relative > 0.25 && frame.offset_shift < 0",
}

func TestMatchAllocs(t *testing.T) {
	for _, expr := range allocFilters {
		f, err := Compile(expr, testReg)
		if err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
		for _, name := range recNames {
			r := records[name]
			f.Match(r) // grow the scratch buffers
			if n := testing.AllocsPerRun(50, func() { f.Match(r) }); n != 0 {
				t.Errorf("%q on %s: Match allocates %v times per call, want 0", expr, name, n)
			}
		}
	}
}

// TestClone runs clones on several goroutines at once (go test -race finds any
// shared scratch state).
func TestClone(t *testing.T) {
	f, err := Compile("eth.src[0:3] == 00:11:22 && ip.src == ip.dst || tcp.port in {443}", testReg)
	if err != nil {
		t.Fatal(err)
	}
	want := matching(f)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		g := f.Clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if got := matching(g); got != want {
					t.Errorf("clone matches [%s], want [%s]", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestOperatorsDocumented(t *testing.T) {
	ops := Operators()
	if len(ops) < 20 {
		t.Fatalf("only %d operators documented", len(ops))
	}
	for _, op := range ops {
		if op.Syntax == "" || op.Meaning == "" || op.Example == "" {
			t.Errorf("incomplete entry %+v", op)
			continue
		}
		// Every example is a valid display filter (over the test registry, or at
		// least one that fails only because the field is not in it).
		if _, err := Compile(op.Example, testReg); err != nil {
			if fe, ok := err.(*Error); !ok || !containsWord(fe.Msg, "is not a known field") {
				t.Errorf("example %q for %q does not compile: %v", op.Example, op.Syntax, err)
			}
		}
	}
}

func containsWord(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func BenchmarkMatch(b *testing.B) {
	cases := []struct{ name, expr string }{
		{"port", "tcp.port == 80"},
		{"l2-l4", "ip.addr == 10.0.0.0/8 && tcp.dstport in {80, 443} && tcp.flags & 0x02"},
		{"http", `http.request.method == "GET" && http.host matches "example\\.com$"`},
		{"slice", `tcp.payload[0:4] == "GET " || eth.src[0:3] == 00:11:22`},
	}
	r := records["get"]
	for _, c := range cases {
		f, err := Compile(c.expr, testReg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.Match(r)
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := Compile(`tcp.port in {80, 443} && ip.addr == 10.0.0.0/8 && http.host matches "x"`, testReg); err != nil {
			b.Fatal(err)
		}
	}
}
