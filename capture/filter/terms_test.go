package filter

import (
	"strings"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		expr   string
		terms  []string
		fields [][]string
	}{
		{"tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80",
			[]string{"tcp.flags.syn == 1", "tcp.flags.ack == 0", "tcp.dstport == 80"},
			[][]string{{"tcp.flags.syn"}, {"tcp.flags.ack"}, {"tcp.dstport"}}},
		{"tcp.port == 80 && (ip.src == 10.0.0.10 || ip.dst == 10.0.0.10)",
			[]string{"tcp.port == 80", "ip.src == 10.0.0.10 || ip.dst == 10.0.0.10"},
			[][]string{{"tcp.port"}, {"ip.src", "ip.dst"}}},
		{"tcp.port == 80 || udp.port == 53",
			[]string{"tcp.port == 80 || udp.port == 53"},
			[][]string{{"tcp.port", "udp.port"}}},
		{"!(tcp && udp) && ip.src == ip.dst && tcp.payload[0:3] == \"GET\"",
			[]string{"!(tcp && udp)", "ip.src == ip.dst", `tcp.payload[0:3] == "GET"`},
			[][]string{{"tcp", "udp"}, {"ip.src", "ip.dst"}, {"tcp.payload"}}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := Compile(tt.expr, testReg)
			if err != nil {
				t.Fatal(err)
			}
			terms := f.Terms()
			var got []string
			for i, term := range terms {
				got = append(got, term.String())
				var names []string
				for _, fl := range term.Fields() {
					names = append(names, fl.Name)
				}
				if i < len(tt.fields) && strings.Join(names, " ") != strings.Join(tt.fields[i], " ") {
					t.Errorf("term %d fields = %v, want %v", i, names, tt.fields[i])
				}
				if term.Expr() != term.String() {
					t.Errorf("term %d Expr() = %q, want %q", i, term.Expr(), term.String())
				}
			}
			if strings.Join(got, " | ") != strings.Join(tt.terms, " | ") {
				t.Fatalf("terms = %q, want %q", got, tt.terms)
			}
			// The filter matches a record exactly when every term does.
			for _, name := range recNames {
				r := records[name]
				all := true
				for _, term := range terms {
					all = all && term.Match(r)
				}
				if all != f.Match(r) {
					t.Errorf("%s: terms all match = %v, filter matches = %v", name, all, f.Match(r))
				}
			}
		})
	}
}
