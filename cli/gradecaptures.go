package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/grade"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// captureRunner grades a recorded capture (grade --captures) with verify's
// engine: nothing is run. The capture, and output.txt beside it in a
// student's folder, are copied into the run's folder, so that the student's
// folder in --out holds what was graded, with result.json and the reports.
// A file that is no capture is the student's to fix: a result, not-graded,
// not an error of the batch.
func captureRunner() grade.RunFunc {
	return func(ctx context.Context, lab *runner.Lab, entry, dir string) (*result.Result, error) {
		start := time.Now()
		capt := filepath.Join(dir, "capture"+filepath.Ext(entry))
		if err := runner.CopyFile(entry, capt); err != nil {
			return nil, err
		}
		art := result.Artifacts{Dir: dir, Capture: capt, Submission: capt}
		if out := filepath.Join(filepath.Dir(entry), grade.OutputFile); onlyCapture(filepath.Dir(entry)) && isFile(out) {
			art.Output = filepath.Join(dir, grade.OutputFile)
			if err := runner.CopyFile(out, art.Output); err != nil {
				return nil, err
			}
		}
		res, err := runner.Evaluate(ctx, lab, art)
		if err != nil {
			if !capture.IsNotCapture(err) {
				return nil, err
			}
			res = &result.Result{Version: result.Version, Wirelab: version(), Lab: result.LabInfo{ID: lab.ID, Title: lab.Title, SHA256: lab.SHA256},
				Start: start.UTC(), Status: result.StatusNotGraded, MaxScore: lab.MaxScore(),
				Reason: fmt.Sprintf("%s is not a capture Wireshark or tcpdump wrote (%v): save the capture again (File > Save As, pcapng) and hand that in", filepath.Base(entry), err)}
		}
		res.Submission.Path = entry
		if err := runner.WriteReports(dir, res); err != nil {
			return nil, err
		}
		return res, nil
	}
}

// onlyCapture reports whether dir holds one capture file: a student's folder,
// whose output.txt is that student's.
func onlyCapture(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	n := 0
	for _, e := range ents {
		if e.Type().IsRegular() && grade.IsCaptureFile(e.Name()) {
			n++
		}
	}
	return n == 1
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
