package cli

import (
	"os"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
)

// asWirelab, set in a child's environment, makes this test binary run as wirelab.
const asWirelab = "WIRELAB_TEST_AS_CLI"

// TestMain lets this test binary serve as the sandbox's worker: `wirelab run`
// and `wirelab script --lab` re-execute the running binary.
func TestMain(m *testing.M) {
	if sandbox.IsWorker() {
		os.Exit(sandbox.WorkerMain())
	}
	if os.Getenv(asWirelab) != "" {
		// The test binary is the wirelab command: tests run it as a process
		// to kill it midway (TestShardKillRetryMerge).
		os.Unsetenv(asWirelab)
		os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
