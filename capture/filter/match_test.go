package filter

import (
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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

// TestCloneCapture: clones of a capture filter share its programs, which are
// generated per link type on first use; clones matching raw IP frames on
// several goroutines at once, the first use among them, get the answers of a
// filter compiled apart (go test -race finds an unguarded first use).
func TestCloneCapture(t *testing.T) {
	const expr = "tcp port 80 or udp or ip6"
	rawMatches := func(f *Filter) string {
		var out []string
		for _, n := range frameNames {
			if b := frames[n]; len(b) > 14 && f.MatchFrame(b[14:], ltRaw, len(b)-14) {
				out = append(out, n)
			}
		}
		return strings.Join(out, " ")
	}
	ref, err := CompileCapture(expr)
	if err != nil {
		t.Fatal(err)
	}
	want := rawMatches(ref)
	if want == "" {
		t.Fatal("the filter matches none of the test frames as raw IP")
	}
	f, err := CompileCapture(expr)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		g := f.Clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := rawMatches(g); got != want {
				t.Errorf("clone matches [%s], want [%s]", got, want)
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

// chain is n primitives joined by or: "port 1 or port 2 or ..." for a capture
// filter, "tcp.port == 1 || tcp.port == 2 || ..." for a display filter.
func chain(n int, capture bool) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		switch {
		case capture && i > 1:
			fmt.Fprintf(&b, " or port %d", i)
		case capture:
			fmt.Fprintf(&b, "port %d", i)
		case i > 1:
			fmt.Fprintf(&b, " || tcp.port == %d", i)
		default:
			fmt.Fprintf(&b, "tcp.port == %d", i)
		}
	}
	return b.String()
}

// BenchmarkCompileChain compiles or-chains of 300 to 3,000 primitives (the
// longest is 42 KB as a capture filter, 60 KB as a display filter; 64 KB is
// the limit): the time per primitive must not grow with the chain's length
// (bench/README.md "Filter compile time").
func BenchmarkCompileChain(b *testing.B) {
	for _, n := range []int{300, 1000, 3000} {
		for _, capture := range []bool{true, false} {
			name := fmt.Sprintf("display/%d", n)
			if capture {
				name = fmt.Sprintf("capture/%d", n)
			}
			expr := chain(n, capture)
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				cpu0 := cpuTime()
				for b.Loop() {
					var err error
					if capture {
						_, err = CompileCapture(expr)
					} else {
						_, err = Compile(expr, testReg)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				// CPU time as well as wall time: on a loaded machine the wall
				// time is mostly waiting for a CPU.
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/primitive")
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/primitive")
			})
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
