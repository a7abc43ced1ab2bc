package cli

import (
	"os"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
)

// TestMain lets this test binary serve as the sandbox's worker: `wirelab run`
// and `wirelab script --lab` re-execute the running binary.
func TestMain(m *testing.M) {
	if sandbox.IsWorker() {
		os.Exit(sandbox.WorkerMain())
	}
	os.Exit(m.Run())
}
