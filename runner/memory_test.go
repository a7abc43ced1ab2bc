package runner

import (
	"math"
	"runtime/debug"
	"testing"
)

// BoundHeap gives each evaluation running at once evalHeap, and leaves a
// limit the user set with GOMEMLIMIT alone.
func TestBoundHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	for n, want := range map[int]int64{0: evalHeap, 1: evalHeap, 4: 4 * evalHeap} {
		debug.SetMemoryLimit(math.MaxInt64)
		BoundHeap(n)
		if got := debug.SetMemoryLimit(-1); got != want {
			t.Errorf("BoundHeap(%d): limit %d, want %d", n, got, want)
		}
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30)
	BoundHeap(1)
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("with GOMEMLIMIT set: limit %d, want 1 GiB", got)
	}
}
