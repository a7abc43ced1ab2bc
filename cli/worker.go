package cli

import (
	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
)

func init() { register(newWorkerCmd) }

// newWorkerCmd is the sandbox's worker: `wirelab run` re-executes the binary
// with this hidden command inside the lab's namespace.
func newWorkerCmd() *cobra.Command {
	return &cobra.Command{
		Use:                sandbox.WorkerArg,
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !sandbox.IsWorker() {
				return usagef("%s is started by `wirelab run`, not by hand", sandbox.WorkerArg)
			}
			return exitCode(sandbox.WorkerMain())
		},
	}
}
