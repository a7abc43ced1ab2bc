package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// The JUnit XML shape CI systems read (Jenkins, GitLab, GitHub actions).
type juSuites struct {
	XMLName  xml.Name  `xml:"testsuites"`
	Name     string    `xml:"name,attr"`
	Tests    int       `xml:"tests,attr"`
	Failures int       `xml:"failures,attr"`
	Errors   int       `xml:"errors,attr"`
	Skipped  int       `xml:"skipped,attr"`
	Time     string    `xml:"time,attr"`
	Suites   []juSuite `xml:"testsuite"`
}

type juSuite struct {
	Name       string       `xml:"name,attr"`
	Tests      int          `xml:"tests,attr"`
	Failures   int          `xml:"failures,attr"`
	Errors     int          `xml:"errors,attr"`
	Skipped    int          `xml:"skipped,attr"`
	Time       string       `xml:"time,attr"`
	Timestamp  string       `xml:"timestamp,attr,omitempty"`
	Properties []juProperty `xml:"properties>property"`
	Cases      []juCase     `xml:"testcase"`
	SystemOut  *juText      `xml:"system-out"`
}

type juProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type juCase struct {
	Name      string     `xml:"name,attr"`
	Classname string     `xml:"classname,attr"`
	Time      string     `xml:"time,attr"`
	Failure   *juProblem `xml:"failure"`
	Error     *juProblem `xml:"error"`
	Skipped   *juProblem `xml:"skipped"`
}

type juProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",innerxml"` // escaped by xmlText
}

type juText struct {
	Text string `xml:",innerxml"` // escaped by xmlText
}

// xmlText escapes s as element text, keeping line breaks readable (encoding/xml
// writes them as &#xA;) and replacing characters XML cannot hold.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			b.WriteString("&#xD;")
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError || (r >= 0xD800 && r <= 0xDFFF):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func writeJUnit(w io.Writer, res *result.Result, opt Options) error {
	suite := junitSuite(res, res.Lab.ID)
	if opt.withheld.checks > 0 {
		suite.Properties = append(suite.Properties,
			juProperty{"withheld_checks", strconv.Itoa(opt.withheld.checks)},
			juProperty{"withheld_points", fmtPoints(opt.withheld.points)})
	}
	return writeSuites(w, []juSuite{suite})
}

// WriteJUnitClass writes the results of a class as one JUnit document: a
// testsuite per result, named after its submission's id (the student), a
// testcase per check.
func WriteJUnitClass(w io.Writer, results []*result.Result) error {
	suites := make([]juSuite, 0, len(results))
	for _, res := range results {
		name := res.Submission.ID
		if name == "" {
			name = res.Lab.ID
		}
		suites = append(suites, junitSuite(res, name))
	}
	return writeSuites(w, suites)
}

// junitSuite is one result as a testsuite called name.
func junitSuite(res *result.Result, name string) juSuite {
	_, fail, skip, errs := counts(res)
	secs := strconv.FormatFloat(float64(res.Duration)/1e9, 'f', 3, 64)
	suite := juSuite{
		Name: name, Tests: len(res.Checks), Failures: fail, Errors: errs, Skipped: skip, Time: secs,
		Properties: []juProperty{
			{"status", res.Status.String()},
			{"score", fmtPoints(res.Score)},
			{"max_score", fmtPoints(res.MaxScore)},
			{"lab_sha256", res.Lab.SHA256},
		},
	}
	if res.Output.Text != "" {
		suite.SystemOut = &juText{xmlText(res.Output.Text)}
	}
	if !res.Start.IsZero() {
		suite.Timestamp = res.Start.UTC().Format("2006-01-02T15:04:05")
	}
	if res.Status != result.StatusNotGraded {
		// how the submission ended, by name (ok too): a property, as JUnit
		// readers show a suite's properties beside its status
		suite.Properties = append(suite.Properties, juProperty{"ended", res.Exit.Reason.String()})
	}
	if res.Submission.ID != "" {
		suite.Properties = append(suite.Properties, juProperty{"submission", res.Submission.ID})
	}
	for _, c := range res.Checks {
		tc := juCase{Name: c.Name, Classname: res.Lab.ID + "." + c.Kind, Time: "0"}
		p := &juProblem{Message: c.Message, Text: xmlText(details(c))}
		switch c.Status {
		case result.CheckFail:
			p.Type = fmt.Sprintf("%s check failed (%s/%s points)", c.Kind, fmtPoints(c.Points), fmtPoints(c.MaxPoints))
			tc.Failure = p
		case result.CheckError:
			p.Type = "error"
			tc.Error = p
		case result.CheckSkip:
			p.Text = ""
			tc.Skipped = p
		}
		suite.Cases = append(suite.Cases, tc)
	}
	if len(res.Checks) == 0 && (res.Status == result.StatusError || res.Status == result.StatusNotGraded) {
		// Not graded at all (a class's row for a submission that could
		// not be run): one erroring case, so the suite is not an empty pass.
		suite.Cases = append(suite.Cases, juCase{Name: "graded", Classname: res.Lab.ID, Time: "0",
			Error: &juProblem{Type: "not graded", Message: res.Reason}})
		suite.Tests, suite.Errors = 1, 1
	}
	return suite
}

// writeSuites writes the suites as one document, with the totals on top.
func writeSuites(w io.Writer, suites []juSuite) error {
	out := juSuites{Name: "wirelab", Suites: suites}
	var secs float64
	for _, s := range suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
		t, _ := strconv.ParseFloat(s.Time, 64)
		secs += t
	}
	out.Time = strconv.FormatFloat(secs, 'f', 3, 64)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
