package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/runner"
)

func init() { register(newCheckCmd) }

func newCheckCmd() *cobra.Command {
	var graph bool
	cmd := &cobra.Command{
		Use:   "check LAB...",
		Short: "Load a lab and report every problem in it, with its position",
		Long: `Load and compile each lab (a folder holding lab.yaml, or the file itself) the
way ` + "`wirelab run`" + ` and ` + "`wirelab verify`" + ` do, and print every problem found, one per
line as FILE:LINE:COL: MESSAGE, with a caret under the column of a filter that
does not compile. Nothing is run.

It also warns, without failing, about checks a submission could fool or pass by
doing nothing: in a lab with more than one host, a packet check (or sequence
step) that pins neither the source nor the destination address, and a none
check without requires (an empty submission sends nothing, so it passes).

Exit status: 0 when every lab is clean (warnings or not), 1 when a lab has
problems, 2 when a lab cannot be read at all.

With --graph it also draws each clean lab's network: every segment with its
subnets, the hosts and routers on it, and each firewall's rules in order.

The lab format is described in docs/lab-format.md.`,
		Example: `  wirelab check labs/http-client
  wirelab check labs/*
  wirelab check --graph labs/two-subnets`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			code := ExitOK
			for _, path := range args {
				lab, err := loadLab(path, cmd.ErrOrStderr())
				switch n := printLabProblems(out, err); {
				case n > 0:
					fmt.Fprintf(out, "%s: %d %s\n", path, n, words.Plural(n, "problem", "problems"))
					code = max(code, ExitFailed)
				case err != nil:
					fmt.Fprintf(cmd.ErrOrStderr(), "error: %v\n", err)
					code = ExitError
				default:
					warns := runner.Lint(lab)
					for _, w := range warns {
						fmt.Fprintln(out, w)
					}
					more := ""
					if n := len(warns); n > 0 {
						more = fmt.Sprintf(", %d %s", n, words.Plural(n, "warning", "warnings"))
					}
					fmt.Fprintf(out, "%s: ok (%s, %s, %d %s%s)\n", path, lab.ID, pointsText(lab.MaxScore()), len(lab.Checks), words.Plural(len(lab.Checks), "check", "checks"), more)
					if graph {
						fmt.Fprint(out, lab.Graph())
					}
				}
			}
			return exitCode(code)
		},
	}
	cmd.Flags().BoolVar(&graph, "graph", false, "draw each lab's network (segments, hosts, routers, firewalls)")
	return cmd
}
