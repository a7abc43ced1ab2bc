// Package labrun carries out one run of a lab end to end: execute the
// submission in the sandbox (runner.Execute), evaluate the checks over the
// artifacts (runner.Evaluate), and leave result.json and report.txt beside the
// capture, output and events. It lives apart from package runner because the
// text report (runner/report) imports runner.
package labrun

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/report"
)

// Files a run writes besides the sandbox's artifacts.
const (
	ResultFile = "result.json"
	ReportFile = "report.txt"
)

// Options control one run.
type Options struct {
	Submission string            // the script; "" runs the lab's reference solution
	Dir        string            // the run's folder; created if needed; "" picks DefaultDir
	Isolation  sandbox.Isolation // auto (default), namespace or none
	Grace      time.Duration     // see runner.ExecOptions
}

// Run is a finished run.
type Run struct {
	Result   *runner.Result
	Dir      string   // the run's folder
	Warnings []string // e.g. running unisolated
}

// DefaultDir returns a new folder name for a run of lab under ./wirelab-runs:
// <lab id>-<UTC timestamp>, with a suffix if that exists already.
func DefaultDir(lab *runner.Lab) string {
	id := regexp.MustCompile(`[^A-Za-z0-9._-]+`).ReplaceAllString(lab.ID, "_")
	if id == "" {
		id = "lab"
	}
	base := filepath.Join("wirelab-runs", id+"-"+time.Now().UTC().Format("20060102T150405Z"))
	dir := base
	for i := 2; ; i++ {
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			return dir
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// Execute runs opt.Submission (or the reference solution) against lab and
// grades it. The error means the run could not be carried out: the folder
// could not be made, the sandbox or a service could not start, the artifacts
// could not be read. A submission that failed, looped or was killed at a limit
// is a Result.
func Execute(ctx context.Context, lab *runner.Lab, opt Options) (*Run, error) {
	dir := opt.Dir
	if dir == "" {
		dir = DefaultDir(lab)
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
	art, warnings, err := runner.Execute(ctx, lab, runner.ExecOptions{Submission: sub, Dir: abs, Isolation: opt.Isolation, Grace: opt.Grace})
	if err != nil {
		return nil, err
	}
	res, err := runner.Evaluate(ctx, lab, art)
	if err != nil {
		return nil, fmt.Errorf("evaluating the run in %s: %w", abs, err)
	}
	res.Notes = append(res.Notes, serviceNotes(art.Events)...)
	r := &Run{Result: res, Dir: abs, Warnings: warnings}
	if err := writeFiles(abs, res); err != nil {
		return r, err
	}
	return r, nil
}

func writeFiles(dir string, res *runner.Result) error {
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
	return f.Close()
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
