package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/grade"
	"github.com/wirelab-dev/wirelab/runner/result"
)

func init() { register(newGradeCmd) }

func newGradeCmd() *cobra.Command {
	var (
		jobs       int
		out        string
		force      bool
		repeat     int
		shard      string
		isolation  string
		gradescope bool
		gsSub      string
		gsResults  string
		plRoot     string
		captures   bool
	)
	cmd := &cobra.Command{
		Use:   "grade LAB SUBMISSION...",
		Short: "Grade a class: every submission in its own sandbox, in parallel, resumably",
		Long: `Grade many submissions of one lab. A SUBMISSION is a file (a .lua script, or a
program in a language the lab accepts: .py, .c, an executable), a folder that is one
(a Makefile, the lab's submission file name or main.EXT in it), or a folder of those,
one file or folder per student; the student id is the file name without its
extension, or the folder name. What the lab cannot run (an unknown kind of file, a
language the lab does not accept) is a row of its own, status not-graded, with the
reason.

Each student gets a folder in --out with result.json, capture.pcapng, output.txt
and report.txt; the class gets summary.csv, summary.json and junit.xml. Running
again regrades only students whose submission or lab changed (--force regrades
all); an interrupted batch loses at most the students in flight.

--captures grades a class of recorded captures instead (the Wireshark-lab
assignment: "capture your own HTTP exchange and hand it in"): a SUBMISSION is a
capture file, a student's folder holding one (and output.txt, for output:
checks), or a folder of those; each is graded as 'wirelab verify' grades one.

Gradescope: put "wirelab grade LAB --gradescope" in run_autograder. It grades
/autograder/submission and writes /autograder/results/results.json.
PrairieLearn: make "wirelab grade LAB --prairielearn /grade" the question's
entrypoint. It grades /grade/student (or the files in /grade/data/data.json)
and writes /grade/results/results.json.

Exit status: 0 every student was graded (whatever their scores); 2 nothing was
graded (a usage mistake, a broken lab); 3 an infrastructure error: some
submissions could not be graded (the machine failed) or were graded lab-error
(the lab's own code failed). Everything else is written: run the same command
again to retry just those (after fixing the lab, for a lab error).`,
		Example: `  wirelab grade labs/http-client submissions/ --out grades/
  wirelab grade labs/http-client alice.lua bob/ --jobs 4
  wirelab grade labs/http-client submissions/ --shard 2/4 --out shard2/ && wirelab merge shard*/ --out grades/
  wirelab grade labs/http-client --gradescope
  wirelab grade labs/http-client --captures captures/ --out grades/
  wirelab grade /grade/tests/lab --prairielearn /grade`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("grade needs a LAB (a lab folder or its lab.yaml)")
			}
			iso, err := parseIsolation(isolation)
			if err != nil {
				return usageError{err}
			}
			if jobs < 0 {
				return usagef("--jobs %d: give a number of submissions graded at once (1 or more; 0 means one per CPU)", jobs)
			}
			if repeat < 1 {
				return usagef("--repeat %d: give how many times to run each submission (1 or more)", repeat)
			}
			if iso == string(sandbox.IsolationNone) {
				// Unisolated runs share the host's addresses: two at once
				// would fight over the lab's ports.
				if jobs > 1 {
					return usagef("--isolation=none grades one submission at a time (the lab's services listen on the host's own addresses); drop --jobs %d", jobs)
				}
				jobs = 1
				fmt.Fprintln(cmd.ErrOrStderr(), "warning: --isolation=none: the scripts run on this machine's own network, unisolated, one at a time")
			}
			lab, err := loadLab(args[0], cmd.ErrOrStderr())
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), err)
				return exitCode(ExitError)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if jobs == 0 {
				runner.BoundHeap(runtime.NumCPU()) // grade.Options: 0 is one job per CPU
			} else {
				runner.BoundHeap(jobs)
			}
			if gradescope {
				return runGradescope(ctx, cmd, lab, iso, gsSub, gsResults, out, args[1:])
			}
			if plRoot != "" {
				return runPrairieLearn(ctx, cmd, lab, iso, plRoot, out, args[1:])
			}
			if len(args) < 2 {
				return usagef("grade needs at least one SUBMISSION after the lab")
			}
			if out == "" {
				out = "grades-" + lab.ID
			}
			if err := checkGradeOut(out, lab.Dir, args[1:]); err != nil {
				return err
			}
			sh := grade.Shard{}
			if shard == "auto" {
				if shard, err = autoShard(os.Getenv); err != nil {
					return usageError{err}
				}
			}
			if shard != "" {
				if sh, err = grade.ParseShard(shard); err != nil {
					return usageError{err}
				}
			}

			discover, runFunc := grade.Discover, labRunner(iso)
			if captures {
				discover, runFunc = func(p []string, _ *runner.Lab) ([]grade.Submission, error) { return grade.DiscoverCaptures(p) }, captureRunner()
			}
			subs, err := discover(args[1:], lab)
			if err != nil {
				return err
			}
			for _, s := range subs {
				if s.NotGraded != "" {
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s: not graded: %s\n", visible(s.Entry), visible(s.NotGraded))
				}
			}
			prog := newProgress(cmd.ErrOrStderr())
			sum, err := grade.Grade(ctx, lab, subs, grade.Options{
				Out: out, Jobs: jobs, Force: force, Repeat: repeat, Shard: sh,
				Run:      runFunc,
				Progress: prog.event,
			})
			prog.finish()
			if err != nil {
				return err
			}
			return printGradeSummary(cmd.OutOrStdout(), sum, out, prog.reused)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&jobs, "jobs", "j", 0, "submissions graded at once (default: the number of CPUs)")
	f.StringVarP(&out, "out", "o", "", "output folder (default: grades-LABID)")
	f.BoolVar(&force, "force", false, "regrade every student, even those whose stored result is current")
	f.IntVar(&repeat, "repeat", 1, "grade each submission N times and report checks whose outcome changed (flakiness guard)")
	f.StringVar(&shard, "shard", "", "grade only slice K of N of the class (K/N, e.g. 2/4, or auto: from a Kubernetes Indexed Job's or a Slurm array's variables); combine shards with 'wirelab merge'")
	f.StringVar(&isolation, "isolation", "auto", "auto, namespace or none (none runs unisolated on the host's loopback: never for untrusted code)")
	f.BoolVar(&gradescope, "gradescope", false, "Gradescope autograder mode: grade one submission folder, write Gradescope's results.json")
	f.StringVar(&gsSub, "gradescope-submission", "/autograder/submission", "submission folder in --gradescope mode")
	f.StringVar(&gsResults, "gradescope-results", "/autograder/results/results.json", "results file in --gradescope mode")
	f.BoolVar(&captures, "captures", false, "the submissions are recorded captures (.pcap, .pcapng, .cap; a student's folder may add output.txt), graded as 'wirelab verify' grades one: nothing is run")
	f.StringVar(&plRoot, "prairielearn", "", "PrairieLearn external grader mode: grade the job in `DIR` (PrairieLearn's is /grade: student/ or data/data.json in, results/results.json out)")
	return cmd
}

// checkGradeOut refuses an --out folder inside the lab's folder (each batch
// would change the lab's hash and regrade everyone) or inside a submissions
// folder (the next batch would take the results for students).
func checkGradeOut(out, labDir string, subs []string) error {
	within := func(p, dir string) bool {
		a, err1 := filepath.Abs(p)
		b, err2 := filepath.Abs(dir)
		if err1 != nil || err2 != nil {
			return false
		}
		rel, err := filepath.Rel(b, a)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if within(out, labDir) {
		return usagef("--out %q is inside the lab's folder %q: put the grades elsewhere (the lab's hash would change with every batch)", out, labDir)
	}
	for _, s := range subs {
		if st, err := os.Stat(s); err == nil && st.IsDir() && within(out, s) {
			return usagef("--out %q is inside the submissions folder %q: put the grades elsewhere", out, s)
		}
	}
	return nil
}

// printGradeSummary prints the class totals and where the files are.
func printGradeSummary(w io.Writer, sum *grade.Summary, out string, reused int) error {
	t := map[result.Status]int{}
	ungraded := 0
	for _, r := range sum.Students {
		t[r.Status]++
		if r.Status == result.StatusError && len(r.Checks) == 0 {
			ungraded++
		}
	}
	kept := ""
	if reused > 0 {
		kept = fmt.Sprintf(" (%d kept from an earlier run)", reused)
	}
	extra := ""
	if n := t[result.StatusLabError]; n > 0 {
		extra += fmt.Sprintf(", %d lab-error", n)
	}
	if n := t[result.StatusNotGraded]; n > 0 {
		extra += fmt.Sprintf(", %d not graded", n)
	}
	fmt.Fprintf(w, "graded %d %s%s: %d passed, %d failed, %d error, %d timeout%s\n",
		len(sum.Students), words.Plural(len(sum.Students), "submission", "submissions"), kept, t[result.StatusPassed], t[result.StatusFailed], t[result.StatusError], t[result.StatusTimeout], extra)
	for _, r := range sum.Students {
		for _, f := range r.Flaky {
			fmt.Fprintf(w, "flaky: %s: check %q: %s\n", visible(r.Student), f.Check, strings.Join(f.Outcomes, ", "))
		}
	}
	fmt.Fprintf(w, "summary: %s\n", filepath.Join(out, grade.SummaryCSV))
	if ungraded > 0 {
		fmt.Fprintf(w, "%d %s could not be graded (see above); run the same command again to retry\n", ungraded, words.Plural(ungraded, "submission", "submissions"))
	}
	if n := t[result.StatusLabError]; n > 0 {
		fmt.Fprintf(w, "%d %s graded lab-error: the lab's own code failed, not the %s (result.json says how); fix the lab, then run the same command again to regrade %s\n",
			n, words.Plural(n, "run was", "runs were"), words.Plural(n, "student's", "students'"), words.Plural(n, "it", "them"))
	}
	if ungraded > 0 || t[result.StatusLabError] > 0 {
		return exitCode(ExitRetry)
	}
	return nil
}

// progress shows a batch's progress: a live bar on a terminal, else one plain
// line per student.
type progress struct {
	w      io.Writer
	tty    bool
	start  time.Time
	counts map[result.Status]int
	reused int
	last   int
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, tty: isTerminal(w), start: time.Now(), counts: map[result.Status]int{}}
}

func (p *progress) event(ev grade.Event) {
	if ev.Row == nil {
		return
	}
	r := ev.Row
	p.counts[r.Status]++
	if ev.Reused {
		p.reused++
	}
	if !p.tty {
		note := ""
		switch {
		case ev.Reused:
			note = "  (kept)"
		case r.Ended != result.ExitOK && r.Ended != result.ExitTimeout:
			note = "  ended: " + r.Ended.String()
		case r.Reason != "":
			note = "  " + visible(r.Reason)
		}
		fmt.Fprintf(p.w, "[%*d/%d] %s %s/%s %s%s\n", len(fmt.Sprint(ev.Total)), ev.Done, ev.Total,
			visible(r.Student), num(r.Score), num(r.MaxScore), r.Status, note)
		return
	}
	if r.Status == result.StatusError && !ev.Reused {
		// A student who could not be graded is named above the bar, so that
		// the closing "see above" has something above.
		fmt.Fprintf(p.w, "\r%s\r%s %s/%s %s  %s\n", strings.Repeat(" ", p.last),
			visible(r.Student), num(r.Score), num(r.MaxScore), r.Status, visible(r.Reason))
	}
	const width = 30
	fill := width * ev.Done / max(ev.Total, 1)
	left := "?"
	if ev.Done > 0 {
		per := time.Since(p.start) / time.Duration(ev.Done)
		left = (per * time.Duration(ev.Total-ev.Done)).Round(time.Second).String()
	}
	line := fmt.Sprintf("\r[%s%s] %d/%d  passed %d  failed %d  error %d  timeout %d  %s left ",
		strings.Repeat("=", fill), strings.Repeat(" ", width-fill), ev.Done, ev.Total,
		p.counts[result.StatusPassed], p.counts[result.StatusFailed], p.counts[result.StatusError], p.counts[result.StatusTimeout], left)
	fmt.Fprint(p.w, line)
	p.last = len(line)
}

func (p *progress) finish() {
	if p.tty && p.last > 0 {
		fmt.Fprintln(p.w)
	}
}

func num(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// runGradescope grades the one submission Gradescope mounts and writes its
// results.json.
// The run's artifacts go to out when it is given, else to a temporary folder
// removed once results.json is written.
func runGradescope(ctx context.Context, cmd *cobra.Command, lab *runner.Lab, iso string, subDir, results, out string, extra []string) error {
	if len(extra) > 0 {
		return usagef("--gradescope reads the submission from --gradescope-submission, not from arguments")
	}
	if st, err := os.Stat(subDir); err != nil || !st.IsDir() {
		// The autograder is set up wrongly: that is no student's fault.
		if err == nil {
			err = fmt.Errorf("not a folder")
		}
		return fmt.Errorf("gradescope submission folder %q: %w", subDir, err)
	}
	if err := os.MkdirAll(filepath.Dir(results), 0o755); err != nil {
		return err
	}
	// The upload is one submission, a folder: its Makefile, its file named
	// like the lab's or main.EXT, or its only program file.
	e, err := lab.Resolve(subDir)
	if err != nil {
		// The student uploaded the wrong files: tell them in results.json
		// (score 0), rather than failing the autograder with nothing to read.
		res := &result.Result{
			Version:  result.Version,
			Wirelab:  version(),
			Lab:      result.LabInfo{ID: lab.ID, Title: lab.Title},
			Status:   result.StatusFailed,
			MaxScore: lab.MaxScore(),
			Reason: fmt.Sprintf("nothing was graded: %s. This lab takes %s: upload one such file (beside other files, name it %s) and resubmit; %s",
				err, acceptedText(lab), lab.MainNames(), uploadProblem(subDir, err)),
		}
		if werr := writeReportFile(results, "gradescope", res); werr != nil {
			return werr
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s: 0/%s (no submission: %v)\n", results, num(res.MaxScore), err)
		return nil
	}
	_, err = runUpload(ctx, cmd, lab, e, iso, out, results, "gradescope")
	return err
}

// runUpload is the run of an autograder's one upload (Gradescope,
// PrairieLearn), resolved to e: it runs and grades it, writes the result as
// format to results and says the score on standard output. The run's
// artifacts go to out when it is given, else to a temporary folder removed
// once the results are written.
func runUpload(ctx context.Context, cmd *cobra.Command, lab *runner.Lab, e *runner.Entry, iso, out, results, format string) (*result.Result, error) {
	dir := out
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "wirelab-"+format+"-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	entry := e.Path
	if e.Language.IsLua() {
		entry = e.File
	}
	res, err := labRunner(iso)(ctx, lab, entry, dir)
	if err != nil {
		return nil, err
	}
	if err := writeReportFile(results, format, res); err != nil {
		return nil, err
	}
	kept := ""
	if out != "" {
		kept = "; artifacts in " + dir
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %s/%s (%s)%s\n", results, num(res.Score), num(res.MaxScore), res.Status, kept)
	return res, nil
}

// acceptedText says, for a student, what the lab accepts: "a Lua script, a
// Python program or a C program".
func acceptedText(lab *runner.Lab) string {
	var kinds []string
	for _, g := range lab.Submission.Accepted() {
		kinds = append(kinds, g.Title())
	}
	return words.List(kinds, "or")
}

// uploadProblem says, for a student, what is wrong with the uploaded folder.
func uploadProblem(dir string, err error) string {
	ents, rerr := os.ReadDir(dir)
	if rerr != nil {
		return err.Error()
	}
	var names []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, fmt.Sprintf("%q", e.Name()))
		}
	}
	if len(names) == 0 {
		return "the upload was empty"
	}
	return "the upload held " + strings.Join(names, ", ")
}
