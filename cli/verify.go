package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/report"
	"github.com/wirelab-dev/wirelab/runner/result"
)

func init() { register(newVerifyCmd) }

func newVerifyCmd() *cobra.Command {
	var output, id, view string
	var formats []string
	cmd := &cobra.Command{
		Use:   "verify LAB CAPTURE",
		Short: "Grade a recorded capture (pcap or pcapng) against a lab's checks",
		Long: `Evaluate a lab's checks on a capture recorded elsewhere — a student's own
Wireshark file, or a canned scenario — and on an optional output text, exactly
as ` + "`wirelab run`" + ` grades a live run: verifying a run's own capture (and
output.txt) gives the run's verdict. The lab's capture filter applies before
frames are numbered, as in a live capture: frame.number and tcp.stream count
only the packets it keeps. Nothing is executed: checks about how the script
ended (exit:) see a normal end, and Lua checks see no lab.log events.

--format NAME[=PATH] chooses a report and where it goes (default: text on
standard output); repeat it for several. Formats: ` + strings.Join(report.Formats(), ", ") + `.
` + viewHelp + `

Exit status: 0 when every check passed, 1 when some did not, 2 when the lab or
the capture could not be evaluated, 3 when a check could not be evaluated
(lab-error: a lua check raised or overstayed; the lab's fault, not the
submission's).`,
		Example: `  wirelab verify labs/http-client student.pcapng
  wirelab verify labs/http-client run.pcap --output run.txt --format text --format junit=junit.xml`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			specs, err := parseReportSpecs(formats)
			if err != nil {
				return err
			}
			grader, err := parseView(view)
			if err != nil {
				return err
			}
			lab, err := loadSoundLab(cmd, args[0])
			if err != nil {
				return fmt.Errorf("could not evaluate: %w", err)
			}
			art := result.Artifacts{Capture: args[1], Output: output, Submission: args[1]}
			runner.BoundHeap(1)
			res, err := runner.Evaluate(cmd.Context(), lab, art)
			if err != nil {
				return fmt.Errorf("could not evaluate: %w", err)
			}
			res.Submission.ID = id
			if res.Submission.ID == "" {
				res.Submission.ID = args[1]
			}
			if err := emitReports(cmd.OutOrStdout(), res, specs, grader); err != nil {
				return err
			}
			switch res.Status {
			case result.StatusPassed:
				return nil
			case result.StatusError:
				fmt.Fprintf(cmd.ErrOrStderr(), "error: %s\n", res.Reason)
				return exitCode(ExitError)
			case result.StatusLabError:
				fmt.Fprintf(cmd.ErrOrStderr(), "lab error: %s\n", res.Reason)
				return exitCode(ExitRetry)
			}
			return exitCode(ExitFailed)
		},
	}
	cmd.Flags().StringVar(&output, "output", "", "a file holding what the script printed, for output: checks")
	cmd.Flags().StringArrayVar(&formats, "format", nil, "report `NAME[=PATH]` (repeatable; PATH - or none is standard output)")
	cmd.Flags().StringVar(&id, "id", "", "the submission's name in reports (default: the capture's path)")
	viewFlag(cmd, &view)
	return cmd
}

// viewHelp says what --view does, for a command's long help.
const viewHelp = `
--view student (the default) leaves out of every student-facing report (text,
html, tap, junit, github) the checks a student may not see (visibility hidden,
after_due_date, after_published) and counts only the checks shown; --view
grader shows every check. json always has every check; gradescope marks each
check for Gradescope to hide.`

// viewFlag adds --view to cmd.
func viewFlag(cmd *cobra.Command, view *string) {
	cmd.Flags().StringVar(view, "view", "student", "whose view the reports give: student (checks a student may not see left out) or grader (every check)")
}

// parseView reads --view: it returns true for the grader's view.
func parseView(view string) (bool, error) {
	switch view {
	case "student", "":
		return false, nil
	case "grader":
		return true, nil
	}
	return false, usagef("--view %q: want student or grader", view)
}

// reportSpec is one --format NAME[=PATH]: Path "" is standard output.
type reportSpec struct{ Format, Path string }

// parseReportSpecs reads --format values; none means text on standard output.
func parseReportSpecs(values []string) ([]reportSpec, error) {
	if len(values) == 0 {
		return []reportSpec{{Format: report.Default}}, nil
	}
	var out []reportSpec
	stdout := 0
	for _, v := range values {
		name, path, _ := strings.Cut(v, "=")
		if path == "-" {
			path = ""
		}
		if !report.Known(name) {
			return nil, usagef("unknown report format %q in --format %s (known: %s)", name, v, strings.Join(report.Formats(), ", "))
		}
		if path == "" {
			stdout++
		}
		out = append(out, reportSpec{name, path})
	}
	if stdout > 1 {
		return nil, usagef("%d reports go to standard output: give all but one a path, like --format junit=junit.xml", stdout)
	}
	return out, nil
}

// emitReports writes res in every requested format, in the grader's view or
// the student's. The text report is in colour only on a terminal (and not
// when NO_COLOR is set).
func emitReports(stdout io.Writer, res *result.Result, specs []reportSpec, grader bool) error {
	for _, s := range specs {
		if s.Path == "" {
			opt := report.Options{Grader: grader, Color: s.Format == "text" && writerIsTTY(stdout) && os.Getenv("NO_COLOR") == ""}
			if err := report.WriteOptions(stdout, s.Format, res, opt); err != nil {
				return err
			}
			continue
		}
		f, err := os.Create(s.Path)
		if err != nil {
			return fmt.Errorf("%s report: %w", s.Format, err)
		}
		err = report.WriteOptions(f, s.Format, res, report.Options{Grader: grader, Dir: filepath.Dir(s.Path)})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s report: %w", s.Format, err)
		}
	}
	return nil
}

// writerIsTTY reports whether w is a terminal.
func writerIsTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
