package cli

import (
	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/internal/jail"
)

func init() { register(newJailCmd) }

// newJailCmd is a jail's init and exec helper: jail.Start re-executes the
// binary with this hidden command inside the jail's namespaces.
func newJailCmd() *cobra.Command {
	return &cobra.Command{
		Use:                jail.Arg,
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !jail.IsJail() {
				return usagef("%s is started by the jail of `wirelab run`, not by hand", jail.Arg)
			}
			return exitCode(jail.Main())
		},
	}
}
