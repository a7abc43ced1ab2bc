package cli

import (
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/labs"
)

func init() { register(newLabsCmd) }

func newLabsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "labs",
		Short: "List the lab catalogue: name, title and points of each lab",
		Long: `List the labs that ship with wirelab, one per line: the lab's name, its title
and the points its checks are worth. The catalogue is built into the binary, so
this works from any directory; in the source tree each lab is the folder
labs/NAME, which ` + "`wirelab run labs/NAME`" + ` runs with its reference solution.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			all, err := labs.List()
			if err != nil {
				return fmt.Errorf("reading the built-in catalogue: %w", err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			for _, l := range all {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Name, l.Title, pointsText(l.Points))
			}
			return tw.Flush()
		},
	}
}

// pointsText spells a score as reports do: "9 points", "1 point", "2.5 points".
func pointsText(p float64) string {
	s := strconv.FormatFloat(p, 'f', -1, 64)
	if p == 1 {
		return s + " point"
	}
	return s + " points"
}
