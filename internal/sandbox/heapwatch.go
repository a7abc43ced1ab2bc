package sandbox

import (
	"errors"
	"runtime/metrics"
)

// errMemoryLimit stops a run whose live heap passed the soft memory limit.
var errMemoryLimit = errors.New("memory limit")

// watchHeap calls over once the Go heap's live data (what the last collection
// kept) passes limit, the worker's soft memory limit. Past it the collector
// runs nearly back to back and the script crawls: on a busy machine the
// parent's RSS watch may not see the cap before the deadline, and a memory
// bomb read as a timeout (issue 11 item 5).
func watchHeap(limit int64, over func()) (stop func()) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	return watchEvery(func() bool {
		metrics.Read(sample)
		return sample[0].Value.Kind() == metrics.KindUint64 && int64(sample[0].Value.Uint64()) > limit
	}, over)
}
