package result

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOutcomeNames pins every outcome's name: they are what result.json,
// summary.csv and every report print, so renaming one changes output.
func TestOutcomeNames(t *testing.T) {
	var exits []string
	for _, r := range ExitReasons() {
		exits = append(exits, r.String())
		if back, ok := ParseExitReason(r.String()); !ok || back != r {
			t.Errorf("ParseExitReason(%q) = %v, %v", r, back, ok)
		}
	}
	if got := strings.Join(exits, " "); got != "ok error timeout memory output sockets processes crash" {
		t.Errorf("exit reasons %q", got)
	}
	var sts []string
	for _, s := range Statuses() {
		sts = append(sts, s.String())
		if back, ok := ParseStatus(s.String()); !ok || back != s {
			t.Errorf("ParseStatus(%q) = %v, %v", s, back, ok)
		}
	}
	if got := strings.Join(sts, " "); got != "passed failed error timeout lab-error not-graded" {
		t.Errorf("statuses %q", got)
	}
	for s, want := range map[CheckStatus]string{CheckPass: "pass", CheckFail: "fail", CheckSkip: "skip", CheckError: "error", CheckUnset: ""} {
		if s.String() != want {
			t.Errorf("check status %d is %q, want %q", s, s, want)
		}
	}
}

// TestOutcomeJSON checks the JSON form: names as strings, ExitOK left out of a
// Result, unknown names rejected instead of read as a zero value.
func TestOutcomeJSON(t *testing.T) {
	r := Result{Status: StatusTimeout, Exit: Exit{Reason: ExitTimeout}, Checks: []CheckResult{{Status: CheckSkip}}}
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"status":"timeout"`, `"exit":{"reason":"timeout"}`, `"status":"skip"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil || back.Status != StatusTimeout || back.Exit.Reason != ExitTimeout || back.Checks[0].Status != CheckSkip {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	b, _ = json.Marshal(&Result{Status: StatusPassed})
	if !strings.Contains(string(b), `"exit":{}`) {
		t.Errorf("ExitOK is written: %s", b)
	}
	for _, bad := range []string{`{"status":"passd"}`, `{"exit":{"reason":"oom"}}`, `{"checks":[{"status":"ok"}]}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if _, err := json.Marshal(Status(200)); err == nil {
		t.Error("an invalid status marshals")
	}
}
