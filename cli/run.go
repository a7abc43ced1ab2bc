package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/grade"
	"github.com/wirelab-dev/wirelab/runner/report"
	"github.com/wirelab-dev/wirelab/runner/result"
)

func init() { register(newRunCmd) }

func newRunCmd() *cobra.Command {
	var submission, out, isolation, view string
	var formats []string
	var keep bool
	cmd := &cobra.Command{
		Use:   "run LAB [--submission FILE] [--out DIR] [--format NAME[=PATH]]... [--isolation auto|namespace|none] [--keep]",
		Short: "Run a lab: build its network, start its services, capture, run a script, grade it",
		Long: `run builds the lab's private network (a network namespace of its own, with the
lab's hosts on its loopback and no route anywhere else), starts the lab's
services, captures every packet, runs the script (the lab's reference solution,
or --submission) under the lab's limits, and grades the run with the lab's
checks. LAB is a lab folder or its lab.yaml.

The run's folder (--out; default ./wirelab-runs/<lab>-<time>, or under
~/.cache/wirelab/runs when run from inside the lab's folder) keeps
capture.pcapng, output.txt, events.jsonl, services.log, result.json,
report.txt and report.html (one page to open in a browser: the checks, a flow
diagram and the packets). A script killed at a limit is still graded on what it sent.

--format NAME[=PATH] chooses a report and where it goes (default: text on
standard output); repeat it for several. Formats: ` + strings.Join(report.Formats(), ", ") + `.
` + viewHelp + ` The run's own report.txt and report.html are the
student's view.

--isolation: auto (the default) and namespace run in a network namespace (as an
ordinary user, inside a user namespace too); none runs on the host's loopback,
with the lab's hosts mapped to 127.0.0.2, 127.0.0.3, ... — only for trusted
scripts on machines without namespaces.

--keep brings the lab up again once the run is graded, as 'wirelab up' does
(the same hosts, addresses and services, started afresh), and keeps it until
Ctrl-C, for 'wirelab exec LAB HOST -- COMMAND' to look around in.

Exit status: 0 every check passed, 1 some did not, 2 the run could not be
carried out, 3 the lab's own code failed during the run (lab-error: not the
submission's fault).`,
		Example: `  wirelab run labs/http-client
  wirelab run labs/http-client --submission alice.lua --out runs/alice
  wirelab run labs/http-client/lab.yaml --format text --format junit=junit.xml`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return usagef("run needs a LAB: a lab folder, its lab.yaml, or a built-in lab's name ('wirelab labs' lists them)")
			case len(args) > 1:
				return usagef("run takes one LAB, not %d arguments (%q...); the script to run goes in --submission", len(args), args[1])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			specs, err := parseReportSpecs(formats)
			if err != nil {
				return err
			}
			iso, err := parseIsolation(isolation)
			if err != nil {
				return usageError{err}
			}
			grader, err := parseView(view)
			if err != nil {
				return err
			}
			lab, err := loadSoundLab(cmd, args[0])
			if err != nil {
				return err
			}
			runner.BoundHeap(1)
			// Mistakes in what to run or where the reports go are said before
			// anything runs, not after a run whose reports cannot be written.
			if submission, err = resolveSubmission(submission, lab); err != nil {
				return err
			}
			if err := checkRunDir(out); err != nil {
				return err
			}
			for _, s := range specs {
				if s.Path == "" || (out != "" && filepath.Clean(filepath.Dir(s.Path)) == filepath.Clean(out)) {
					continue // standard output, or the run's folder, which the run makes
				}
				if st, err := os.Stat(filepath.Dir(s.Path)); err != nil || !st.IsDir() {
					return usagef("--format %s=%s: folder %q does not exist (create it first)", s.Format, s.Path, filepath.Dir(s.Path))
				}
			}
			var inst *sandbox.Instance
			if keep {
				if _, err := parseUpIsolation(iso); err != nil {
					return err
				}
				if inst, err = claimInstance(instanceOf(lab.ID), lab); err != nil {
					return err
				}
				defer inst.Release()
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if iso == string(sandbox.IsolationNone) {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning: --isolation=none: the script runs on this machine's own network, unisolated")
			}
			stopProgress := runProgress(cmd.ErrOrStderr(), lab.ID, lab.Limits.WithDefaults().Timeout)
			run, err := runner.Run(ctx, lab, runner.RunOptions{Submission: submission, Dir: out, Isolation: sandbox.Isolation(iso)})
			stopProgress()
			if err != nil {
				if run != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "artifacts: %s\n", run.Dir)
				}
				if ctx.Err() != nil { // Ctrl-C or SIGTERM
					return errors.New("interrupted: the run was stopped before it was graded")
				}
				return fmt.Errorf("could not run the lab: %w", err)
			}
			for _, w := range run.Warnings {
				if !strings.HasPrefix(w, "running without isolation") { // said above
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s\n", w)
				}
			}
			if err := emitReports(cmd.OutOrStdout(), run.Result, specs, grader); err != nil {
				return err
			}
			artifacts := cmd.OutOrStdout()
			for _, s := range specs {
				if s.Path == "" && s.Format != report.Default {
					artifacts = cmd.ErrOrStderr() // keep a machine-read report clean
				}
			}
			fmt.Fprintf(artifacts, "artifacts: %s\n", run.Dir)
			if inst != nil && ctx.Err() == nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "--keep: bringing the lab up again, afresh\n")
				if err := keepUp(ctx, cmd.ErrOrStderr(), cmd.ErrOrStderr(), lab, inst, sandbox.Isolation(iso)); err != nil {
					return err
				}
			}
			switch run.Result.Status {
			case result.StatusPassed:
				return nil
			case result.StatusLabError:
				fmt.Fprintf(cmd.ErrOrStderr(), "lab error: %s\n", run.Result.Reason)
				return exitCode(ExitRetry)
			}
			return exitCode(ExitFailed)
		},
	}
	f := cmd.Flags()
	f.StringVar(&submission, "submission", "", "the script or program to run, or a folder holding it (named like the lab's reference solution, or main.EXT, or its only program file) or a Makefile (default: the lab's reference solution)")
	f.StringVar(&out, "out", "", "the run's folder (default: a new folder under ./wirelab-runs)")
	f.StringArrayVar(&formats, "format", nil, "report `NAME[=PATH]` (repeatable; with no PATH, or PATH -, it goes to standard output)")
	f.BoolVar(&keep, "keep", false, "after grading, bring the lab up again for 'wirelab exec' until Ctrl-C")
	f.StringVar(&isolation, "isolation", "auto", "auto, namespace or none (none runs unisolated on the host's loopback: never for untrusted code)")
	viewFlag(cmd, &view)
	return cmd
}

// checkRunDir refuses an --out folder that is plainly not a run's: one holding
// folders, Lua scripts or YAML (a lab's folder, a submission's, a home
// directory), whose output.txt or report.txt the run would overwrite. A new,
// empty or earlier run's folder is fine, with reports written beside.
func checkRunDir(dir string) error {
	if dir == "" {
		return nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil // missing: created by the run; unreadable: the run says so
	}
	for _, e := range ents {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || ext == ".lua" || ext == ".yaml" || ext == ".yml" {
			return usagef("--out %q is not a run's folder (it holds %q): give a new or empty folder, or an earlier run's", dir, e.Name())
		}
	}
	return nil
}

// resolveSubmission checks --submission before anything runs: a file or a
// folder the lab can run (runner.Lab.Resolve: a folder by its Makefile, its
// file named like the lab's reference solution or main.EXT, or its only
// program file), in a language the lab accepts.
func resolveSubmission(sub string, lab *runner.Lab) (string, error) {
	if sub == "" {
		return "", nil
	}
	if _, err := os.Stat(sub); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", usagef("submission %q does not exist", sub)
		}
		return "", usagef("cannot read submission %q: %v", sub, err)
	}
	if _, err := lab.Resolve(sub); err != nil {
		var nr *runner.NotRunnableError
		if errors.As(err, &nr) {
			return "", usagef("submission %q: %s", sub, nr.Msg)
		}
		return "", usagef("cannot read submission %q: %v", sub, err)
	}
	return sub, nil
}

// parseIsolation checks an --isolation value and returns it normalised.
func parseIsolation(s string) (string, error) {
	iso, err := sandbox.ParseIsolation(s)
	if err != nil {
		return "", err
	}
	return string(iso), nil
}

// labRunner runs one submission of a lab in the sandbox and grades it, for
// `wirelab grade`: the run's artifacts (capture, output, events, result.json,
// report.txt) go to dir.
func labRunner(iso string) grade.RunFunc {
	return func(ctx context.Context, lab *runner.Lab, entry, dir string) (*result.Result, error) {
		run, err := runner.Run(ctx, lab, runner.RunOptions{Submission: entry, Dir: dir, Isolation: sandbox.Isolation(iso)})
		if err != nil {
			return nil, err
		}
		return run.Result, nil
	}
}

// runScriptInLab is `wirelab script FILE --lab LAB`: the script runs in the
// sandbox, inside the lab's network with its hosts and services, under its
// limits (--timeout replaces the lab's), and its output is copied to stdout.
// The artifacts (capture, output, events, services log) go to out, named on
// stderr, or to a temporary folder removed after the run. Nothing is graded.
func runScriptInLab(cmd *cobra.Command, labPath, file string, args []string, timeout time.Duration, out string) error {
	lab, err := loadLab(labPath, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	if st, err := os.Stat(file); err == nil && st.IsDir() {
		return usagef("%q is a folder: give the script file (FILE.lua)", file)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	dir := out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "wirelab-script-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if timeout > 0 {
		copyLab := *lab
		copyLab.Limits.Timeout = timeout
		lab = &copyLab
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if args == nil {
		args = []string{}
	}
	art, warnings, err := runner.Execute(ctx, lab, runner.ExecOptions{Entry: runner.LuaEntry(abs), Dir: dir, ScriptArgs: args})
	if err != nil {
		return fmt.Errorf("could not run the script in lab %q: %w", lab.ID, err)
	}
	for _, w := range warnings {
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s\n", w)
	}
	if f, err := os.Open(art.Output); err == nil {
		io.Copy(cmd.OutOrStdout(), f)
		f.Close()
	}
	if out != "" {
		fmt.Fprintf(cmd.ErrOrStderr(), "artifacts: %s\n", dir)
	}
	if art.Exit.Reason != result.ExitOK {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s: %s: %s\n", file, art.Exit.Reason, art.Exit.Message)
		return exitCode(ExitFailed)
	}
	return nil
}
