package runner

import (
	"fmt"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
)

// programConfig sets cfg up to build and run a program submission.
func programConfig(lab *Lab, e *Entry, opt ExecOptions, cfg *sandbox.Config) (cleanup func(), err error) {
	return func() {}, &sandbox.SetupError{Msg: fmt.Sprintf("%s: running %s is not available in this build yet", e.Path, e.Language.Title())}
}
