package runner

import "github.com/wirelab-dev/wirelab/capture/filter"

// CaptureFilter returns the lab's compiled capture filter, or nil when the lab
// captures everything. The filter is shared: callers Clone it before use in
// their own goroutine.
func (l *Lab) CaptureFilter() *filter.Filter { return l.captureMatch }
