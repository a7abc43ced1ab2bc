//go:build linux

package sandbox

import "testing"

// Root without CAP_SYS_ADMIN (a container's root) goes the user-namespace way;
// the decision reads CapEff.
func TestCapEffHas(t *testing.T) {
	tests := []struct {
		status string
		want   bool
	}{
		{"Name:\twirelab\nCapEff:\t000001ffffffffff\n", true},  // root on a host
		{"Name:\twirelab\nCapEff:\t00000000a80425fb\n", false}, // Docker's default set
		{"Name:\twirelab\nCapEff:\t0000000000000000\n", false}, // an ordinary user
		{"Name:\twirelab\n", true},                             // unknown: try
		{"CapEff:\tzz\n", true},
	}
	for _, tt := range tests {
		if got := capEffHas(tt.status, 21); got != tt.want {
			t.Errorf("%q: %v, want %v", tt.status, got, tt.want)
		}
	}
}
