package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/report"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// PrairieLearn's external grader layout (its docs, "The Grading Process"): the
// student's files in student/, the question's data object as data/data.json,
// and the results the grader must write, results/results.json, a folder it
// has to make itself.
const (
	plStudent = "student"
	plData    = "data/data.json"
	plResults = "results/results.json"
)

// plDataFile is what wirelab reads of data.json: the submitted files, for a
// question whose element puts them there (base64, in
// submitted_answers._files) rather than in student/.
type plDataFile struct {
	SubmittedAnswers struct {
		Files []struct {
			Name     string `json:"name"`
			Contents string `json:"contents"`
		} `json:"_files"`
	} `json:"submitted_answers"`
}

// runPrairieLearn grades the one submission of a PrairieLearn external
// grading job rooted at root (/grade) and writes root/results/results.json.
// The submission is root/student, or, when that holds nothing, the files of
// data.json's submitted_answers._files. An upload the lab cannot run is not
// gradable (the student keeps the attempt); so is a run graded lab-error.
// The run's artifacts go to out when it is given, else to a temporary folder
// removed once results.json is written.
func runPrairieLearn(ctx context.Context, cmd *cobra.Command, lab *runner.Lab, iso, root, out string, extra []string) error {
	if len(extra) > 0 {
		return usagef("--prairielearn reads the submission from %s, not from arguments", filepath.Join(root, plStudent))
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		if err == nil {
			err = errors.New("not a folder")
		}
		return fmt.Errorf("prairielearn job folder %q: %w", root, err)
	}
	results := filepath.Join(root, plResults)
	if err := os.MkdirAll(filepath.Dir(results), 0o755); err != nil {
		return err
	}
	subDir, cleanup, err := plSubmission(root)
	if err != nil {
		// data.json that cannot be read is the job's fault, not the
		// student's: fail the job, PrairieLearn reports it.
		return err
	}
	defer cleanup()
	e, err := lab.Resolve(subDir)
	if err != nil {
		res := &result.Result{
			Version: result.Version, Wirelab: version(),
			Lab:    result.LabInfo{ID: lab.ID, Title: lab.Title},
			Status: result.StatusNotGraded, MaxScore: lab.MaxScore(),
			Reason: fmt.Sprintf("nothing was graded: %s. This lab takes %s: submit one such file (beside other files, name it %s); %s",
				err, acceptedText(lab), lab.MainNames(), uploadProblem(subDir, err)),
		}
		if werr := writeReportFile(results, "prairielearn", res); werr != nil {
			return werr
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s: not gradable (no submission: %v)\n", results, err)
		return nil
	}
	res, err := runUpload(ctx, cmd, lab, e, iso, out, results, "prairielearn")
	if err != nil {
		return err
	}
	if res.Status == result.StatusLabError {
		fmt.Fprintf(cmd.ErrOrStderr(), "lab error: %s\n", res.Reason)
		return exitCode(ExitRetry)
	}
	return nil
}

// plSubmission returns the folder holding the submission: root/student when
// it holds a file, else a temporary folder with data.json's submitted files
// (cleanup removes it).
func plSubmission(root string) (dir string, cleanup func(), err error) {
	student := filepath.Join(root, plStudent)
	cleanup = func() {}
	if ents, err := os.ReadDir(student); err == nil && len(ents) > 0 {
		return student, cleanup, nil
	}
	b, err := os.ReadFile(filepath.Join(root, plData))
	if errors.Is(err, os.ErrNotExist) {
		return student, cleanup, nil // nothing submitted: said as a bad upload
	}
	if err != nil {
		return "", nil, err
	}
	var data plDataFile
	if err := json.Unmarshal(b, &data); err != nil {
		return "", nil, fmt.Errorf("prairielearn %s: %w", plData, err)
	}
	tmp, err := os.MkdirTemp("", "wirelab-prairielearn-student-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	for _, f := range data.SubmittedAnswers.Files {
		// Only plain names: a name with a folder in it cannot place a
		// file outside the folder.
		name := filepath.Base(f.Name)
		if name != f.Name || strings.HasPrefix(name, ".") {
			continue
		}
		contents, err := base64.StdEncoding.DecodeString(f.Contents)
		if err != nil {
			cleanup()
			return "", nil, fmt.Errorf("prairielearn %s: file %q: contents are not base64: %w", plData, f.Name, err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), contents, 0o644); err != nil {
			cleanup()
			return "", nil, err
		}
	}
	return tmp, cleanup, nil
}

// writeReportFile writes res as format to path.
func writeReportFile(path, format string, res *result.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.Write(f, format, res); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
