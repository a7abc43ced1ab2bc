package grade

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestFlakyColumn: summary.csv's last column names each check whose outcome
// changed between --repeat runs, with the outcomes in run order; empty when
// the runs agreed.
func TestFlakyColumn(t *testing.T) {
	runs := func(statuses ...result.CheckStatus) []*result.Result {
		var out []*result.Result
		for _, st := range statuses {
			out = append(out, &result.Result{Checks: []result.CheckResult{
				{Name: "handshake", Status: result.CheckPass}, {Name: "no resets", Status: st}}})
		}
		return out
	}
	s := &Summary{Students: []Row{
		{Student: "ana", Status: result.StatusPassed, Checks: []CheckCell{{Name: "handshake"}, {Name: "no resets"}},
			Flaky: flakes(runs(result.CheckPass, result.CheckFail, result.CheckPass))},
		{Student: "bo", Status: result.StatusPassed, Checks: []CheckCell{{Name: "handshake"}, {Name: "no resets"}},
			Flaky: flakes(runs(result.CheckPass, result.CheckPass, result.CheckPass))},
	}}
	recs, err := csv.NewReader(strings.NewReader(string(s.csv()))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := func(r []string) string { return r[len(r)-2] } // flaky, then reason
	if last(recs[0]) != "flaky" || last(recs[1]) != "no resets: pass fail pass" || last(recs[2]) != "" {
		t.Errorf("summary.csv: %q", recs)
	}
}
