package runner

import (
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// compileDisplayFilter and compileCaptureFilter are the bridge to the packet
// engine's compilers (capture.Compile, capture.CompileCapture).
var (
	compileDisplayFilter = func(expr string) (matcher, error) { return pendingFilter{}, nil }
	compileCaptureFilter = func(expr string) (matcher, error) { return pendingFilter{}, nil }
)

// pendingFilter stands in until the filter engine lands: it matches nothing.
type pendingFilter struct{}

func (pendingFilter) Match(filter.Record) bool { return false }
func (pendingFilter) Fields() []*filter.Field  { return nil }
