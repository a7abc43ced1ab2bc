package runner

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/report"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// ExecOptions control one execution of a lab.
type ExecOptions struct {
	// Submission is the script or program to run, a file or a folder (see
	// Lab.Resolve); "" runs the lab's reference solution.
	Submission string
	// Entry, when set, is the submission already resolved (Submission is
	// then ignored): `wirelab script` runs any file as Lua.
	Entry *Entry
	// Dir is the run's folder, which must exist: the artifacts are written there.
	Dir string
	// Isolation is "auto" (the default), "namespace" or "none".
	Isolation sandbox.Isolation
	// ScriptArgs, when non-nil, is the script's arg[1..n] (`wirelab script`).
	ScriptArgs []string
	// Grace is how long past the deadline the worker has to wind down before it
	// is killed; 0 means sandbox.defaultGrace.
	Grace time.Duration
}

// Execute runs a submission against the lab in a sandbox: the lab's network in
// a namespace of its own, its services, a live capture, and the script under the
// lab's limits. It returns the artifacts for Evaluate. The error is a
// *sandbox.SetupError when the run could not be carried out (no namespaces, a
// service that would not start); a script that failed or hit a limit is
// reported in result.Artifacts.Exit instead. Warnings (an unisolated run) are
// returned for the caller to show.
func Execute(ctx context.Context, lab *Lab, opt ExecOptions) (result.Artifacts, []string, error) {
	entry := opt.Entry
	if entry == nil {
		var err error
		if entry, err = lab.entryFor(opt.Submission); err != nil {
			return result.Artifacts{}, nil, err
		}
	}
	script := entry.File
	cfg := lab.sandboxConfig()
	cfg.Dir = opt.Dir
	cfg.ScriptArgs = opt.ScriptArgs
	cfg.Isolation = opt.Isolation
	cfg.Grace = opt.Grace
	if entry.Language.IsLua() {
		cfg.Script = script
	} else {
		cleanup, err := programConfig(lab, entry, opt, &cfg)
		if err != nil {
			return result.Artifacts{}, nil, err
		}
		defer cleanup()
	}
	out, err := sandbox.Run(ctx, cfg)
	if err != nil {
		return result.Artifacts{}, nil, err
	}
	return result.Artifacts{
		Dir:        opt.Dir,
		Capture:    out.Capture,
		Output:     out.Output,
		Events:     out.Events,
		Submission: script,
		Exit: result.Exit{Reason: out.Exit.Reason, Message: out.Exit.Message, Traceback: out.Exit.Traceback,
			Code: out.Exit.Code, Signal: out.Exit.Signal, Build: out.Exit.Build},
		Start:    out.Start,
		Duration: out.Duration,
	}, out.Warnings, nil
}

// sandboxConfig is the part of a run's sandbox configuration the lab says:
// its network, hosts, services, capture, arguments and limits.
func (lab *Lab) sandboxConfig() sandbox.Config {
	cfg := sandbox.Config{
		LabDir:        lab.Dir,
		Modules:       lab.Submission.Modules,
		Services:      lab.Services,
		CaptureFilter: lab.Capture.Filter,
		Snaplen:       lab.Capture.Snaplen,
		Capture:       capturePoints(lab.Capture.Interface),
		Network:       lab.Network(),
		Firewalls:     lab.Firewalls,
		Links:         lab.Links,
		Args:          lab.Submission.Args,
		Source:        lab.Submission.Host,
		Limits:        lab.Limits,
	}
	cfg.Hosts = slices.Clone(lab.Hosts)
	if lab.Topology != nil {
		for _, r := range lab.Topology.Routers {
			if len(r.Addrs) > 0 {
				cfg.Hosts = append(cfg.Hosts, Host{Name: r.Name, Addr: r.Addrs[0], More: slices.Clone(r.Addrs[1:])}) // a router's name is its first address
			}
		}
	}
	return cfg
}

// Files a run writes besides the sandbox's artifacts.
const (
	ResultFile = "result.json"
	ReportFile = "report.txt"
	HTMLFile   = "report.html" // the student's view, with the flow diagram and packets
)

// RunOptions control one run: Run's options.
type RunOptions struct {
	Submission string            // the script; "" runs the lab's reference solution
	Dir        string            // the run's folder; created if needed; "" picks defaultDir
	Isolation  sandbox.Isolation // auto (default), namespace or none
	Grace      time.Duration     // see ExecOptions
}

// Finished is a finished run: its result, its folder, and what to warn about.
type Finished struct {
	Result   *result.Result
	Dir      string   // the run's folder
	Warnings []string // e.g. running unisolated
}

// RunsDir is the folder, in the working directory, that runs go to unless
// told otherwise.
const RunsDir = "wirelab-runs"

// defaultDir returns a new folder name for a run of lab under ./wirelab-runs:
// <lab id>-<UTC timestamp>, with a suffix if that exists already. When the
// working directory is the lab's folder or inside it, the run goes under the
// user's cache folder instead (~/.cache/wirelab/runs): a run never writes
// into a lab's folder unless asked (--out), which would change what the lab
// is and make the next grade regrade the class.
func defaultDir(lab *Lab) string {
	id := regexp.MustCompile(`[^A-Za-z0-9._-]+`).ReplaceAllString(lab.ID, "_")
	if id == "" {
		id = "lab"
	}
	runs := RunsDir
	if insideLab(lab) {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		runs = filepath.Join(cache, "wirelab", "runs")
	}
	base := filepath.Join(runs, id+"-"+time.Now().UTC().Format("20060102T150405Z"))
	dir := base
	for i := 2; ; i++ {
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			return dir
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// insideLab reports whether the working directory is lab's folder or below it.
func insideLab(lab *Lab) bool {
	wd, err1 := os.Getwd()
	dir, err2 := filepath.Abs(lab.Dir)
	if err1 != nil || err2 != nil || lab.Dir == "" {
		return false
	}
	if w, err := filepath.EvalSymlinks(wd); err == nil {
		wd = w
	}
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		dir = d
	}
	rel, err := filepath.Rel(dir, wd)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Run carries out one run of a lab end to end: it executes opt.Submission (or
// the reference solution) against lab in the sandbox (Execute), grades the
// artifacts (Evaluate), and leaves ResultFile and ReportFile beside the
// capture, output and events. The error means the run could not be carried out: the folder
// could not be made, the sandbox or a service could not start, the artifacts
// could not be read. A submission that failed, looped or was killed at a limit
// is a Result.
func Run(ctx context.Context, lab *Lab, opt RunOptions) (*Finished, error) {
	dir := opt.Dir
	if dir == "" {
		dir = defaultDir(lab)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the run's folder: %w", err)
	}
	sub := opt.Submission
	if sub != "" {
		if sub, err = filepath.Abs(sub); err != nil {
			return nil, err
		}
		if _, err := os.Stat(sub); err != nil {
			return nil, fmt.Errorf("cannot read submission %q: %w", opt.Submission, err)
		}
	} else if lab.Submission.File == "" {
		return nil, fmt.Errorf("lab %q has no reference solution (submission.file); pass --submission FILE", lab.ID)
	}
	entry, err := lab.entryFor(sub)
	if err != nil {
		return nil, err
	}
	art, warnings, err := Execute(ctx, lab, ExecOptions{Entry: entry, Dir: abs, Isolation: opt.Isolation, Grace: opt.Grace})
	if err != nil {
		return nil, err
	}
	res, err := Evaluate(ctx, lab, art)
	if err != nil {
		return nil, fmt.Errorf("evaluating the run in %s: %w", abs, err)
	}
	res.Notes = append(res.Notes, serviceNotes(art.Events)...)
	markLabError(res, art.Events)
	r := &Finished{Result: res, Dir: abs, Warnings: warnings}
	if err := writeFiles(abs, res); err != nil {
		return r, err
	}
	return r, nil
}

// WriteReports leaves ResultFile, ReportFile and HTMLFile of res in dir, as
// Run does: for a result graded without a run (a recorded capture).
func WriteReports(dir string, res *result.Result) error { return writeFiles(dir, res) }

func writeFiles(dir string, res *result.Result) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, ResultFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, ReportFile))
	if err != nil {
		return err
	}
	if err := report.Write(f, "text", res); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	h, err := os.Create(filepath.Join(dir, HTMLFile))
	if err != nil {
		return err
	}
	if err := report.WriteOptions(h, "html", res, report.Options{Dir: dir}); err != nil {
		h.Close()
		return err
	}
	return h.Close()
}

// maxServiceNotes bounds the notes serviceNotes adds to a result.
const maxServiceNotes = 10

// serviceNotes turns the events in which a client service says it failed
// (kind "service", ok false) into notes of the result, so the report shows
// why the lab's client did not get through: nothing listened, a wrong answer,
// the submission ended first.
func serviceNotes(events string) []string {
	if events == "" {
		return nil
	}
	f, err := os.Open(events)
	if err != nil {
		return nil
	}
	defer f.Close()
	var notes []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() && len(notes) < maxServiceNotes {
		line := sc.Bytes()
		if !bytes.Contains(line, []byte(`"kind":"service"`)) {
			continue
		}
		var e lualib.Event
		if json.Unmarshal(line, &e) != nil || e.Kind != "service" || e.OK {
			continue
		}
		notes = append(notes, fmt.Sprintf("the lab's client %q: %s", e.Name, e.Message))
	}
	return notes
}
