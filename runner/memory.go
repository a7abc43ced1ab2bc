package runner

import (
	"os"
	"runtime/debug"
)

// evalHeap is the Go heap one evaluation is given: the soft memory limit
// BoundHeap sets per evaluation running at once. Evaluation streams the
// capture, so what it holds is bounded (the decoder's conversation tables,
// a sequence's 16 bytes per matching frame): about 53 MiB live on the worst
// capture bench/evaluate.sh writes at the 256 MiB cap. Left alone, Go's
// collector lets the heap grow to twice the live heap before it collects,
// and the grader's resident memory reached 131 MiB; with this limit it
// collects sooner, and the same evaluation peaks at about 90 MiB resident
// for no more CPU (bench/README.md, "Grader memory").
const evalHeap = 80 << 20

// BoundHeap sets the Go collector's soft memory limit for n evaluations at
// once (n < 1 counts as 1), unless GOMEMLIMIT already set one. The limit is
// soft: a heap that must be larger still grows, the collector working
// harder (at most half the CPU, Go's limiter) rather than failing.
func BoundHeap(n int) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(int64(max(n, 1)) * evalHeap)
}
