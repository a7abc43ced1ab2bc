package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"", "", 10, 0},
		{"kind", "kind", 10, 0},
		{"knd", "kind", 10, 1},
		{"kitten", "sitting", 10, 3},
		{"tcp.port", "tcp.prot", 10, 2},
		{"a", "abcdef", 3, 3},      // gives up at max
		{"abcdef", "uvwxyz", 2, 2}, // gives up at max
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"packet", "none", "sequence", "output", "exit", "lua"}
	for s, want := range map[string]string{"pakcet": "packet", "seqence": "sequence", "exti": "exit", "lau": "lua"} {
		if got, _ := Closest(s, known); got != want {
			t.Errorf("Closest(%q) = %q, want %q", s, got, want)
		}
	}
	if got, d := Closest("x", nil); got != "" || d < 1<<20 {
		t.Errorf("Closest of nothing = %q, %d", got, d)
	}
}
