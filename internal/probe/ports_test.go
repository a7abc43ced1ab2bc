package probe

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

func TestParsePorts(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		err  string
	}{
		{in: "80", want: []int{80}},
		{in: "1-3,8080", want: []int{1, 2, 3, 8080}},
		{in: " 22 , 80-81 ,22", want: []int{22, 80, 81}},
		{in: "65535", want: []int{65535}},
		{in: "5-5", want: []int{5}},
		{in: "60-70,1-64", want: seq(1, 70)},
		{in: "", err: "empty port list"},
		{in: "70000", err: `"70000" is not a port (1-65535)`},
		{in: "0", err: `"0" is not a port (1-65535)`},
		{in: "http", err: `"http" is not a port (1-65535)`},
		{in: "-5", err: "missing port number"},
		{in: "1-", err: "missing port number"},
		{in: "10-5", err: `port range "10-5" runs backwards (write 5-10)`},
		{in: "1,,2", err: `empty item in port list "1,,2"`},
		{in: "99999999999999999999", err: `is not a port`},
		{in: "+5", err: `"+5" is not a port`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePorts(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParsePorts(%q) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("ParsePorts(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParsePortsFull(t *testing.T) {
	got, err := ParsePorts(strings.Repeat("1-65535,", 10000) + "80")
	if err != nil || len(got) != 65535 || got[0] != 1 || got[65534] != 65535 {
		t.Fatalf("len %d, err %v", len(got), err)
	}
}

func TestPorts(t *testing.T) {
	got, err := Ports([]int{443, 22, 443, 80})
	if err != nil || !slices.Equal(got, []int{22, 80, 443}) {
		t.Fatalf("Ports = %v, %v", got, err)
	}
	for _, bad := range [][]int{nil, {0}, {70000}, {-1, 80}} {
		if _, err := Ports(bad); err == nil {
			t.Errorf("Ports(%v) gave no error", bad)
		}
	}
	if _, err := Ports([]int{70000}); err == nil || err.Error() != `"70000" is not a port (1-65535)` {
		t.Errorf("Ports error = %v", err)
	}
}

func seq(a, b int) []int {
	var out []int
	for i := a; i <= b; i++ {
		out = append(out, i)
	}
	return out
}

func FuzzParsePorts(f *testing.F) {
	fuzzing.Steady(f)
	seeds, _ := os.ReadFile(filepath.Join("testdata", "ports.txt"))
	for _, s := range strings.Split(string(seeds), "\n") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParsePorts(s)
		if err != nil {
			return
		}
		if len(got) == 0 || !slices.IsSorted(got) || got[0] < 1 || got[len(got)-1] > MaxPort {
			t.Fatalf("ParsePorts(%q) = %v", s, got)
		}
		for k := 1; k < len(got); k++ {
			if got[k] == got[k-1] {
				t.Fatalf("duplicate %d", got[k])
			}
		}
	})
}
