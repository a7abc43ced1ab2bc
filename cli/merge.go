package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

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
'wirelab grade' of the whole class writes. A student found in two folders is an
error: shards never overlap. So are folders of different labs, and folders graded
from different versions of one lab (a shard graded before a fix): grade that shard
again, then merge.`,
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
			sum, err := grade.Collect(args)
			if err != nil {
				return err
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
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "folder for the combined summary")
	return cmd
}
