package grade

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/internal/version"
	"github.com/wirelab-dev/wirelab/runner/report"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// SummaryVersion is the version of summary.json's shape.
const SummaryVersion = 1

// Summary is the class's results: one row per student, in student order. It is
// a pure function of the students' stored results, so shards merged with
// Collect give the same summary as one batch.
type Summary struct {
	Version  int            `json:"version"`
	Wirelab  string         `json:"wirelab,omitempty"` // the wirelab that wrote the summary
	Lab      result.LabInfo `json:"lab"`
	Students []Row          `json:"students"`
	Totals   Totals         `json:"totals"`

	results []*result.Result // the stored results, in student order, for junit.xml

	// Replaced says, for each student found in more than one folder (a
	// retried or duplicated shard), which result was kept: the newer.
	Replaced []string `json:"-"`
}

// newerResult reports whether a was graded after b: it started later (its
// end breaks a tie).
func newerResult(a, b *result.Result) bool {
	if !a.Start.Equal(b.Start) {
		return a.Start.After(b.Start)
	}
	return time.Duration(a.Duration) > time.Duration(b.Duration)
}

// Totals counts the students by status.
type Totals struct {
	Students int `json:"students"`
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Error    int `json:"error"`
	Timeout  int `json:"timeout"`
	// LabError counts the runs the lab's own code failed: not the
	// students' fault, and graded again by the next batch.
	LabError int `json:"lab_error"`
	// NotGraded counts submissions the lab cannot run (a file of no known
	// language, or of one the lab does not accept).
	NotGraded int `json:"not_graded"`
}

// Row is one student's line in the summary.
type Row struct {
	Student  string        `json:"student"`
	Score    float64       `json:"score"`
	MaxScore float64       `json:"max_score"`
	Status   result.Status `json:"status"`
	Reason   string        `json:"reason,omitempty"`
	// Ended names how the submission ended when it did not end normally:
	// error, timeout, memory, output, sockets, processes, crash (absent: ok,
	// or not run when Status is not-graded).
	Ended    result.ExitReason `json:"ended,omitempty"`
	Duration float64           `json:"duration"` // seconds the submission ran
	Checks   []CheckCell       `json:"checks"`
	Flaky    []Flake           `json:"flaky,omitempty"`
}

// CheckCell is one check's outcome for one student.
type CheckCell struct {
	Name      string             `json:"name"`
	Status    result.CheckStatus `json:"status"`
	Points    float64            `json:"points"`
	MaxPoints float64            `json:"max_points"`
	Message   string             `json:"message,omitempty"`
}

// Flake is a check whose outcome changed between repeated runs.
type Flake struct {
	Check    string   `json:"check"`
	Outcomes []string `json:"outcomes"` // one per run
}

func rowOf(id string, res *result.Result, flaky []Flake) Row {
	r := Row{Student: id, Score: res.Score, MaxScore: res.MaxScore, Status: res.Status, Reason: res.Reason, Ended: res.Exit.Reason,
		Duration: time.Duration(res.Duration).Seconds(), Flaky: flaky}
	for _, c := range res.Checks {
		r.Checks = append(r.Checks, CheckCell{Name: c.Name, Status: c.Status, Points: c.Points, MaxPoints: c.MaxPoints, Message: c.Message})
	}
	return r
}

// flakes compares the check outcomes of repeated runs of one submission.
func flakes(results []*result.Result) []Flake {
	if len(results) < 2 {
		return nil
	}
	var out []Flake
	for i, c := range results[0].Checks {
		outcomes := []string{c.Status.String()}
		changed := false
		for _, r := range results[1:] {
			s := "missing"
			if i < len(r.Checks) && r.Checks[i].Name == c.Name {
				s = r.Checks[i].Status.String()
			}
			outcomes = append(outcomes, s)
			changed = changed || s != c.Status.String()
		}
		if changed {
			out = append(out, Flake{Check: c.Name, Outcomes: outcomes})
		}
	}
	return out
}

// Collect reads the stored student results under each class folder (a batch's
// or a shard's --out) into one summary. A student found in two folders (a
// shard retried into a new folder, a shard copied twice) gets the newer
// result, said in Replaced. It is an error, across several folders, results graded
// from different versions of the lab (a shard graded before a lab fix): the
// merged summary would compare scores that do not compare.
func Collect(dirs []string) (*Summary, error) {
	s := &Summary{Version: SummaryVersion, Wirelab: version.String()}
	from := map[string]int{}         // student id → index in s.Students and s.results
	var at []string                  // the folder each of s.results comes from
	var firstVersion, firstAt string // a lab version, and the student folder graded with it
	var labAt string                 // the student folder s.Lab comes from
	for _, dir := range dirs {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			// Dot-folders are the grader's (staging); a plain name ending
			// in .old is what an older wirelab left beside a folder it
			// replaced (a student named so has a folder starting with @).
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || (strings.HasSuffix(e.Name(), ".old") && !strings.HasPrefix(e.Name(), "@")) {
				continue
			}
			sd := filepath.Join(dir, e.Name())
			var res result.Result
			if err := readJSON(filepath.Join(sd, ResultFile), &res); err != nil {
				if errors.Is(err, os.ErrNotExist) {
					continue // not a student folder
				}
				return nil, fmt.Errorf("%s: %w", filepath.Join(sd, ResultFile), err)
			}
			var k key
			_ = readJSON(filepath.Join(sd, KeyFile), &k)
			id := res.Submission.ID // the student's own name; the folder's is made safe
			if id == "" || FolderName(id) != e.Name() {
				id = e.Name()
			}
			version := k.Lab // the lab folder's hash; result.json has lab.yaml's alone
			if version == "" {
				version = res.Lab.SHA256
			}
			// Different labs first: their hashes differ too, and "different
			// versions of the lab" would send the grader looking for a change.
			if s.Lab.ID == "" {
				s.Lab = res.Lab
				s.Lab.Path = ""
				labAt = sd
			} else if res.Lab.ID != s.Lab.ID {
				return nil, fmt.Errorf("%s and %s were graded for different labs (%q and %q): merge the folders of one lab only", labAt, sd, s.Lab.ID, res.Lab.ID)
			}
			if len(dirs) > 1 && version != "" {
				if firstVersion == "" {
					firstVersion, firstAt = version, sd
				} else if version != firstVersion {
					return nil, fmt.Errorf("%s and %s were graded with different versions of the lab (it changed between the runs): grade the out-of-date folder again with the current lab, then merge", firstAt, sd)
				}
			}
			res.Submission.ID = id
			// A student in two folders is a retried or duplicated shard:
			// the newer result wins, and the summary says so.
			if i, ok := from[id]; ok {
				prev := s.results[i]
				older, newer, newerDir := prev, &res, dir
				if !newerResult(&res, prev) {
					older, newer, newerDir = &res, prev, at[i]
				}
				s.Replaced = append(s.Replaced, fmt.Sprintf("student %q is in both %s and %s: kept the newer result (%s, graded %s; the other %s)",
					id, at[i], dir, newerDir, newer.Start.UTC().Format(time.RFC3339), older.Start.UTC().Format(time.RFC3339)))
				if newer == &res {
					s.Students[i], s.results[i], at[i] = rowOf(id, &res, k.Flaky), &res, dir
				}
				continue
			}
			from[id] = len(s.results)
			at = append(at, dir)
			s.Students = append(s.Students, rowOf(id, &res, k.Flaky))
			s.results = append(s.results, &res)
		}
	}
	sort.Strings(s.Replaced)
	sort.Slice(s.Students, func(i, j int) bool { return s.Students[i].Student < s.Students[j].Student })
	sort.Slice(s.results, func(i, j int) bool { return s.results[i].Submission.ID < s.results[j].Submission.ID })
	for _, r := range s.Students {
		s.Totals.Students++
		switch r.Status {
		case result.StatusPassed:
			s.Totals.Passed++
		case result.StatusFailed:
			s.Totals.Failed++
		case result.StatusTimeout:
			s.Totals.Timeout++
		case result.StatusLabError:
			s.Totals.LabError++
		case result.StatusNotGraded:
			s.Totals.NotGraded++
		default:
			s.Totals.Error++
		}
	}
	return s, nil
}

// Write writes summary.csv, summary.json, junit.xml and the dashboard
// (index.html) into dir, each atomically.
func (s *Summary) Write(dir string) error {
	j, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	var jb bytes.Buffer
	if err := report.WriteJUnitClass(&jb, s.results); err != nil {
		return err
	}
	junit := jb.Bytes()
	dash, err := s.dashboard(dir)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{
		{SummaryCSV, s.csv()},
		{SummaryJSON, append(j, '\n')},
		{JUnitFile, junit},
		{DashboardFile, dash},
	} {
		if err := writeAtomic(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}

// checkNames lists every check in the order the results give them.
func (s *Summary) checkNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, r := range s.Students {
		for _, c := range r.Checks {
			if !seen[c.Name] {
				seen[c.Name] = true
				names = append(names, c.Name)
			}
		}
	}
	return names
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// flakyCell is summary.csv's flaky column: each check whose outcome changed
// between --repeat runs with its outcomes, "no resets: pass fail pass; ...";
// "" when the runs agreed (or ran once).
func flakyCell(flaky []Flake) string {
	var parts []string
	for _, f := range flaky {
		parts = append(parts, f.Check+": "+strings.Join(f.Outcomes, " "))
	}
	return strings.Join(parts, "; ")
}

// csv is student, score, max, status, ended (how the submission ended: ok,
// error, timeout, memory, output, sockets, processes, crash; empty when it
// was not run), the points of each check, then flaky
// (the checks whose outcome changed between --repeat runs) and reason (why
// a submission was not graded, ran out of time, or could not be evaluated).
func (s *Summary) csv() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	names := s.checkNames()
	head := []string{"student", "score", "max", "status", "ended"}
	for _, n := range names {
		head = append(head, cell(n))
	}
	head = append(head, "flaky")
	head = append(head, "reason")
	w.Write(head)
	for _, r := range s.Students {
		ended := r.Ended.String()
		if r.Status == result.StatusNotGraded {
			ended = ""
		}
		rec := []string{cell(r.Student), num(r.Score), num(r.MaxScore), r.Status.String(), ended}
		pts := map[string]string{}
		for _, c := range r.Checks {
			pts[c.Name] = num(c.Points)
		}
		for _, n := range names {
			rec = append(rec, pts[n])
		}
		rec = append(rec, cell(flakyCell(r.Flaky)))
		rec = append(rec, cell(r.Reason))
		w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

// cell keeps a text cell of summary.csv text in a spreadsheet: one starting
// with = + - @ or a tab or carriage return would be read as a formula (a
// student named =HYPERLINK("http://...") would put a link in the grader's
// sheet), so it gets a leading apostrophe, as OWASP advises.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Shard is the K-th of N deterministic slices of a class (K from 1). The zero
// Shard is the whole class.
type Shard struct{ K, N int }

// ParseShard parses "K/N".
func ParseShard(s string) (Shard, error) {
	var sh Shard
	if _, err := fmt.Sscanf(s, "%d/%d", &sh.K, &sh.N); err != nil || sh.N < 1 || sh.K < 1 || sh.K > sh.N || fmt.Sprintf("%d/%d", sh.K, sh.N) != s {
		return Shard{}, fmt.Errorf("shard %q: want K/N with 1 <= K <= N, e.g. 1/4", s)
	}
	return sh, nil
}

// Select keeps the submissions of this shard. A student's shard depends only on
// the student id, so adding a student never moves another to a different shard.
func (sh Shard) Select(subs []Submission) []Submission {
	if sh.N <= 1 {
		return subs
	}
	var out []Submission
	for _, s := range subs {
		h := fnv.New32a()
		h.Write([]byte(s.ID))
		if int(h.Sum32()%uint32(sh.N)) == sh.K-1 {
			out = append(out, s)
		}
	}
	return out
}
