package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/runner/grade"
)

func init() { register(newMergeCmd) }

func newMergeCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge DIR...",
		Short: "Combine the output folders of sharded 'wirelab grade --shard' runs into one class summary",
		Long: `Combine the output folders of 'wirelab grade --shard K/N' runs into one class
summary (summary.csv, summary.json, junit.xml in --out), identical to what a single
'wirelab grade' of the whole class writes. A student found in two folders (a shard
retried into a new folder, or copied twice) gets the newer result, and a note
says which was kept. Folders of different labs, and folders graded from
different versions of one lab (a shard graded before a fix), are refused: grade
that shard again, then merge.

Each completed shard leaves shard.json (K/N) in its folder. A shard of the split
that no folder completed (never run, killed, still running) is named, the
summary of the others is written, and merge exits 3: grade the missing shards,
then merge again.

Exit status: 0 merged every shard; 2 nothing was merged (see the error); 3
shards are missing.`,
		Example: `  wirelab merge shard1/ shard2/ shard3/ --out grades/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("merge needs the output folders of the shards (DIR...)")
			}
			for _, d := range args {
				if st, err := os.Stat(d); err != nil || !st.IsDir() {
					return usagef("%q is not a folder: pass the --out folders of 'wirelab grade --shard' runs", d)
				}
			}
			if out == "" {
				return usagef("merge needs --out DIR for the combined summary")
			}
			missing, unfinished, err := grade.MissingShards(args)
			if err != nil {
				return err
			}
			sum, err := grade.Collect(args)
			if err != nil {
				return err
			}
			for _, r := range sum.Replaced {
				fmt.Fprintf(cmd.ErrOrStderr(), "note: %s\n", visible(r))
			}
			if len(sum.Students) == 0 {
				return fmt.Errorf("no student results (*/%s) in %v", grade.ResultFile, args)
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			if err := sum.Write(out); err != nil {
				return err
			}
			t := sum.Totals
			labErr := ""
			if t.LabError > 0 {
				labErr = fmt.Sprintf(", %d lab-error", t.LabError)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "merged %d students from %d folders: %d passed, %d failed, %d error, %d timeout%s\nsummary: %s\n",
				t.Students, len(args), t.Passed, t.Failed, t.Error, t.Timeout, labErr, filepath.Join(out, grade.SummaryCSV))
			if len(missing) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "missing %s %s: no folder holds a completed grade --shard %s", words.Plural(len(missing), "shard", "shards"), strings.Join(missing, ", "), missing[0])
				if len(unfinished) > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), " (%s %s no completed shard: killed, or still running)", strings.Join(unfinished, ", "), words.Plural(len(unfinished), "holds", "hold"))
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "; the summary lacks their students: grade them (again), then merge again")
				return exitCode(ExitRetry)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "folder for the combined summary")
	return cmd
}
