package grade

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// DashboardFile is the class dashboard grade writes beside summary.csv.
const DashboardFile = "index.html"

// The dashboard is one self-contained page, as the run report is: its style
// and script are inline and it loads nothing.
//
//go:embed dashboard/index.tmpl
var dashboardTmpl string

var dashboardTemplate = template.Must(template.New("index").Parse(dashboardTmpl))

type dashPage struct {
	Lab, Title     string
	Students       int
	Mean, Median   string
	MaxScore       string
	Outcomes       []dashCount
	Histogram      []dashBar
	HistMax        int
	Checks         []dashCheck
	Rows           []dashRow
	Flaky          int
	ReportsMissing bool
}

type dashCount struct {
	Name, Class string
	N           int
}

type dashBar struct {
	Label  string
	N      int
	Height int // percent of the tallest bar
}

type dashCheck struct {
	Name          string
	Passed, Total int
	Rate          string // "83%", as a number with no fraction digits
	Percent       int
	MaxPoints     string
}

type dashRow struct {
	Student, Score, MaxScore string
	ScoreSort                float64
	Status, Ended            string
	Duration                 string
	DurationSort             float64
	Flaky                    string
	Failed                   string // the checks that did not pass
	Report                   string // link to the student's report.html, "" when none
}

// outcomeName is how the dashboard names a student's outcome: the run's
// status, or how the script ended when that tells more (memory, output,
// sockets, crash).
func outcomeName(r Row) string {
	switch {
	case r.Status == result.StatusFailed && r.Ended != result.ExitOK && r.Ended != result.ExitError:
		return r.Ended.String()
	case r.Status == result.StatusFailed && r.Ended == result.ExitError:
		return "failed (script error)"
	}
	return r.Status.String()
}

// passRate is the share of students whose check passed: the students whose
// points in summary.csv are the check's full points, for a check worth any.
func passRate(passed, total int) (string, int) {
	if total == 0 {
		return "–", 0
	}
	p := float64(passed) / float64(total) * 100
	return fmt.Sprintf("%.0f%%", p), int(math.Round(p))
}

// dashboard renders index.html for the summary written into dir: links go to
// the students' report.html files found there.
func (s *Summary) dashboard(dir string) ([]byte, error) {
	pg := &dashPage{Lab: s.Lab.ID, Title: s.Lab.Title, Students: len(s.Students)}
	var scores []float64
	maxScore := 0.0
	outcomes := map[string]int{}
	for _, r := range s.Students {
		scores = append(scores, r.Score)
		maxScore = math.Max(maxScore, r.MaxScore)
		outcomes[outcomeName(r)]++
		row := dashRow{Student: r.Student, Score: num(r.Score), MaxScore: num(r.MaxScore), ScoreSort: r.Score,
			Status: outcomeName(r), Duration: fmt.Sprintf("%.1fs", r.Duration), DurationSort: r.Duration}
		if r.Ended != result.ExitOK {
			row.Ended = r.Ended.String()
		}
		if len(r.Flaky) > 0 {
			var names []string
			for _, f := range r.Flaky {
				names = append(names, f.Check+" ("+strings.Join(f.Outcomes, ", ")+")")
			}
			row.Flaky = strings.Join(names, "; ")
			pg.Flaky++
		}
		var failed []string
		for _, c := range r.Checks {
			if c.Status != result.CheckPass {
				failed = append(failed, c.Name)
			}
		}
		row.Failed = strings.Join(failed, ", ")
		rel := filepath.Join(FolderName(r.Student), "report.html")
		if st, err := os.Stat(filepath.Join(dir, rel)); err == nil && st.Mode().IsRegular() {
			row.Report = (&url.URL{Path: filepath.ToSlash(rel)}).String()
		} else {
			pg.ReportsMissing = true
		}
		pg.Rows = append(pg.Rows, row)
	}
	pg.MaxScore = num(maxScore)
	if n := len(scores); n > 0 {
		sum := 0.0
		for _, v := range scores {
			sum += v
		}
		sorted := append([]float64(nil), scores...)
		sort.Float64s(sorted)
		med := sorted[n/2]
		if n%2 == 0 {
			med = (sorted[n/2-1] + sorted[n/2]) / 2
		}
		pg.Mean, pg.Median = fmt.Sprintf("%.2f", sum/float64(n)), num(med)
	}
	for _, name := range []string{"passed", "failed", "failed (script error)", "timeout", "memory", "output", "sockets", "processes", "crash", "error", "lab-error", "not-graded"} {
		if outcomes[name] > 0 {
			pg.Outcomes = append(pg.Outcomes, dashCount{Name: name, N: outcomes[name], Class: outcomeClass(name)})
			delete(outcomes, name)
		}
	}
	var rest []string
	for name := range outcomes {
		rest = append(rest, name)
	}
	sort.Strings(rest)
	for _, name := range rest {
		pg.Outcomes = append(pg.Outcomes, dashCount{Name: name, N: outcomes[name], Class: "bad"})
	}
	pg.Histogram, pg.HistMax = histogram(scores, maxScore)
	for _, name := range s.checkNames() {
		dc := dashCheck{Name: name}
		maxPts := 0.0
		for _, r := range s.Students {
			for _, c := range r.Checks {
				if c.Name != name {
					continue
				}
				dc.Total++
				maxPts = math.Max(maxPts, c.MaxPoints)
				if c.Status == result.CheckPass {
					dc.Passed++
				}
			}
		}
		dc.MaxPoints = num(maxPts)
		dc.Rate, dc.Percent = passRate(dc.Passed, dc.Total)
		pg.Checks = append(pg.Checks, dc)
	}
	var b bytes.Buffer
	if err := dashboardTemplate.Execute(&b, pg); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func outcomeClass(name string) string {
	switch name {
	case "passed":
		return "ok"
	case "failed", "failed (script error)":
		return "warn"
	}
	return "bad"
}

// histogram counts the scores in up to ten bins of equal width from 0 to the
// maximum score, one bin per point when the maximum is small.
func histogram(scores []float64, maxScore float64) ([]dashBar, int) {
	if maxScore <= 0 {
		return nil, 0
	}
	bins := 10
	if maxScore <= 10 && maxScore == math.Trunc(maxScore) {
		bins = int(maxScore) + 1 // 0, 1, ..., max
	}
	bars := make([]dashBar, bins)
	width := maxScore / float64(bins)
	for i := range bars {
		if bins == int(maxScore)+1 {
			bars[i].Label = num(float64(i))
		} else {
			bars[i].Label = fmt.Sprintf("%s–%s", num(math.Round(width*float64(i)*10)/10), num(math.Round(width*float64(i+1)*10)/10))
		}
	}
	for _, v := range scores {
		var k int
		if bins == int(maxScore)+1 {
			k = int(math.Floor(v))
		} else {
			k = int(v / width)
		}
		k = max(0, min(k, bins-1))
		bars[k].N++
	}
	top := 0
	for _, b := range bars {
		top = max(top, b.N)
	}
	for i := range bars {
		if top > 0 {
			bars[i].Height = bars[i].N * 100 / top
		}
	}
	return bars, top
}
