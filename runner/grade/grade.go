// Package grade grades a class: many submissions of one lab, each in its own
// sandboxed run, in parallel, resumably, with per-student artifacts and class
// summaries (CSV, JSON, JUnit) that graders hand to their systems.
//
// A student's folder is replaced atomically: a run happens in a staging folder
// and is renamed into place only when its result is written, so an interrupted
// batch (Ctrl-C, kill -9) loses at most the students in flight and never leaves
// a torn result.
package grade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/wirelab-dev/wirelab/internal/version"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// RunFunc runs one submission of lab with its artifacts in dir (which exists and
// is empty) and evaluates it. An error means the run could not be carried out
// (the machine or the lab is at fault); a submission that crashed, looped or
// failed checks is a Result, not an error.
type RunFunc func(ctx context.Context, lab *runner.Lab, entry, dir string) (*result.Result, error)

// Options control a batch.
type Options struct {
	Out    string  // the output folder; created if needed
	Jobs   int     // runs at once; 0 means the number of CPUs
	Force  bool    // regrade students whose stored result is current
	Repeat int     // run each submission this many times (flakiness guard); 0 or 1 once
	Shard  Shard   // grade only this slice of the class
	Run    RunFunc // how one submission is run
	// Progress is told about each student as it starts and ends; it is called
	// from several goroutines, one call at a time.
	Progress func(Event)
}

// Event is one step of a batch, for progress display.
type Event struct {
	Done, Total int
	Student     string
	Row         *Row // nil when the student is starting
	Reused      bool // the stored result was current
}

// key identifies what a stored result was graded from.
type key struct {
	Version    int    `json:"version"`
	Lab        string `json:"lab"`        // hash of the lab folder
	Submission string `json:"submission"` // hash of the submission
	Runs       int    `json:"runs"`
	// Flaky lists checks whose outcome changed between repeated runs.
	Flaky []Flake `json:"flaky,omitempty"`
	// Ungraded marks a result that records why the submission could not be
	// graded: it is in the summaries, and never kept as current.
	Ungraded bool `json:"ungraded,omitempty"`
}

const keyVersion = 1

// Files in a student's folder and in the class folder.
const (
	ResultFile  = "result.json"
	KeyFile     = "grade.json"
	SummaryCSV  = "summary.csv"
	SummaryJSON = "summary.json"
	JUnitFile   = "junit.xml"
	ShardFile   = "shard.json" // a completed shard's marker: which slice of how many
	stagingDir  = ".staging"
)

// LabHash hashes a lab's folder: the lab file and everything it may read,
// leaving out testdata/ (a catalogue's recorded submissions), the runs a
// `wirelab run --out` put in it (wirelab-runs/) and dot-files: what the lab
// is, not what was run with it.
func LabHash(lab *runner.Lab) (string, error) {
	return hashTree(lab.Dir, map[string]bool{"testdata": true, runner.RunsDir: true})
}

// Grade grades subs and writes the class summaries from every student result
// in opts.Out (including those kept from an earlier batch). It returns the
// summary of the students it was given.
func Grade(ctx context.Context, lab *runner.Lab, subs []Submission, opts Options) (*Summary, error) {
	if opts.Run == nil {
		return nil, errors.New("grade: no RunFunc")
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.Repeat <= 0 {
		opts.Repeat = 1
	}
	subs = opts.Shard.Select(subs)
	labHash, err := LabHash(lab)
	if err != nil {
		return nil, fmt.Errorf("hashing the lab: %w", err)
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockOut(opts.Out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// A shard's marker says its batch completed: gone while it runs, so a
	// shard killed midway is missing to merge until it is retried.
	if err := os.Remove(filepath.Join(opts.Out, ShardFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	staging := filepath.Join(opts.Out, stagingDir)
	if err := os.RemoveAll(staging); err != nil { // what an interrupted batch left
		return nil, err
	}
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)

	rows := make([]Row, len(subs))
	var (
		mu   sync.Mutex
		done int
	)
	report := func(ev Event) {
		if opts.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if ev.Row != nil {
			done++
		}
		ev.Done, ev.Total = done, len(subs)
		opts.Progress(ev)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < opts.Jobs && w < len(subs); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				report(Event{Student: subs[i].ID})
				row, reused := gradeOne(ctx, lab, labHash, subs[i], opts, staging)
				rows[i] = row
				report(Event{Student: subs[i].ID, Row: &rows[i], Reused: reused})
			}
		}()
	}
feed:
	for i := range subs {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	all, err := Collect([]string{opts.Out})
	if err != nil {
		return nil, err
	}
	if err := all.Write(opts.Out); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, interrupted{ctx.Err()}
	}
	if opts.Shard.N > 1 {
		if err := writeJSON(filepath.Join(opts.Out, ShardFile), shardMark{Version: keyVersion, Shard: opts.Shard.String(), Lab: labHash, Students: len(subs)}); err != nil {
			return nil, err
		}
	}
	return &Summary{Version: SummaryVersion, Lab: all.Lab, Students: rows}, nil
}

// gradeOne grades one student, or keeps the stored result when it is current.
func gradeOne(ctx context.Context, lab *runner.Lab, labHash string, sub Submission, opts Options, staging string) (Row, bool) {
	final := filepath.Join(opts.Out, FolderName(sub.ID))
	want := key{Version: keyVersion, Lab: labHash, Runs: opts.Repeat}
	// ungraded records why the submission could not be graded, so that it
	// has its row in every summary (the next batch tries it again), unless a
	// current result is stored: a machine fault under --force keeps it.
	ungraded := func(msg string) (Row, bool) {
		row := errorRow(sub.ID, lab, msg)
		if _, ok := stored(final, want, sub.ID); ok || ctx.Err() != nil {
			return row, false
		}
		res := &result.Result{Version: result.Version, Wirelab: version.String(), Lab: result.LabInfo{ID: lab.ID, Title: lab.Title, SHA256: lab.SHA256},
			Submission: result.SubmissionInfo{ID: sub.ID}, Start: time.Now().UTC(), Status: result.StatusError, Reason: msg, MaxScore: lab.MaxScore()}
		k := want
		k.Ungraded = true
		dir, err := os.MkdirTemp(staging, "run-")
		if err == nil {
			err = writeJSON(filepath.Join(dir, ResultFile), res)
		}
		if err == nil {
			err = writeJSON(filepath.Join(dir, KeyFile), k)
		}
		if err == nil {
			err = swapIn(dir, final, staging)
		}
		if err != nil {
			row.Reason += fmt.Sprintf(" (and recording it failed: %v)", err)
		}
		return row, false
	}
	subHash, err := sub.Hash()
	if err != nil {
		return ungraded(fmt.Sprintf("reading the submission: %v", err))
	}
	want.Submission = subHash
	if !opts.Force {
		if row, ok := stored(final, want, sub.ID); ok {
			return row, true
		}
	}
	if sub.NotGraded != "" {
		return notGradedRow(lab, sub, want, final, staging)
	}
	var (
		first   *result.Result
		results []*result.Result
		keep    string
	)
	for r := 0; r < opts.Repeat; r++ {
		dir, err := os.MkdirTemp(staging, "run-")
		if err != nil {
			return ungraded(err.Error())
		}
		res, err := opts.Run(ctx, lab, sub.Entry, dir)
		if err != nil {
			os.RemoveAll(dir)
			if ctx.Err() != nil {
				return errorRow(sub.ID, lab, "interrupted"), false
			}
			// The run could not be carried out: report it, and record it
			// as ungraded, so the next batch tries again.
			return ungraded(err.Error())
		}
		res.Submission.ID = sub.ID
		results = append(results, res)
		if first == nil {
			first, keep = res, dir
		} else {
			os.RemoveAll(dir)
		}
	}
	want.Flaky = flakes(results)
	if err := writeJSON(filepath.Join(keep, ResultFile), first); err != nil {
		return ungraded(err.Error())
	}
	if err := writeJSON(filepath.Join(keep, KeyFile), want); err != nil {
		return ungraded(err.Error())
	}
	if err := swapIn(keep, final, staging); err != nil {
		return ungraded(err.Error())
	}
	return rowOf(sub.ID, first, want.Flaky), false
}

// notGradedRow records a submission the lab cannot run (NotGraded says why)
// as a result of its own, status not-graded: a row in every summary, kept
// until the submission or the lab changes.
func notGradedRow(lab *runner.Lab, sub Submission, want key, final, staging string) (Row, bool) {
	res := &result.Result{Version: result.Version, Lab: result.LabInfo{ID: lab.ID, Title: lab.Title, SHA256: lab.SHA256},
		Submission: result.SubmissionInfo{ID: sub.ID, Path: sub.Entry}, Start: time.Now().UTC(), Status: result.StatusNotGraded,
		Reason: sub.NotGraded, MaxScore: lab.MaxScore()}
	row := rowOf(sub.ID, res, nil)
	dir, err := os.MkdirTemp(staging, "run-")
	if err == nil {
		err = writeJSON(filepath.Join(dir, ResultFile), res)
	}
	if err == nil {
		err = writeJSON(filepath.Join(dir, KeyFile), want)
	}
	if err == nil {
		err = swapIn(dir, final, staging)
	}
	if err != nil {
		row.Reason += fmt.Sprintf(" (and recording it failed: %v)", err)
	}
	return row, false
}

// stored returns the row of student id's stored result when it was graded from
// the same lab and submission.
func stored(dir string, want key, id string) (Row, bool) {
	var k key
	if err := readJSON(filepath.Join(dir, KeyFile), &k); err != nil {
		return Row{}, false
	}
	if k.Ungraded || k.Version != want.Version || k.Lab != want.Lab || k.Submission != want.Submission || k.Runs != want.Runs {
		return Row{}, false
	}
	var res result.Result
	if err := readJSON(filepath.Join(dir, ResultFile), &res); err != nil {
		return Row{}, false
	}
	if res.Status == result.StatusLabError {
		return Row{}, false // the lab failed, not the student: grade again
	}
	return rowOf(id, &res, k.Flaky), true
}

// swapIn replaces final with the staged folder. The old folder is moved aside
// first, into the staging folder (never beside final, where it could be
// another student's folder), so at every moment final is either the old
// result or the new one.
func swapIn(staged, final, staging string) error {
	aside, err := os.MkdirTemp(staging, "old-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(aside)
	old := filepath.Join(aside, "old")
	if err := os.Rename(final, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.Rename(staged, final)
}

// interrupted is a batch stopped by its context (Ctrl-C): said for a person,
// and still errors.Is(err, context.Canceled).
type interrupted struct{ err error }

func (e interrupted) Error() string {
	return "interrupted: the students graded so far are kept; run the same command again to finish"
}

func (e interrupted) Unwrap() error { return e.err }

func errorRow(id string, lab *runner.Lab, msg string) Row {
	return Row{Student: id, MaxScore: lab.MaxScore(), Status: result.StatusError, Reason: msg}
}

// writeJSON writes v to path atomically: a temporary file renamed over it.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(b, '\n'))
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
