package runner

import (
	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// compileDisplayFilter and compileCaptureFilter are the packet engine's
// compilers, with the one field registry.
var (
	compileDisplayFilter = func(expr string) (matcher, error) { return capture.Compile(expr) }
	compileCaptureFilter = func(expr string) (matcher, error) { return capture.CompileCapture(expr) }
)

// CaptureFilter returns the lab's compiled capture filter, or nil when the lab
// captures everything. The filter is shared: callers Clone it before use in
// their own goroutine.
func (l *Lab) CaptureFilter() *filter.Filter {
	f, _ := l.captureMatch.(*filter.Filter)
	return f
}
