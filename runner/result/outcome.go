package result

import "fmt"

// ExitReason is how the submission's script ended: a closed set of values.
// The zero value is ExitOK.
type ExitReason int

// Exit reasons.
const (
	ExitOK        ExitReason = iota // the script finished
	ExitError                       // the script raised an error, or the run could not start
	ExitTimeout                     // stopped at the wall-clock deadline
	ExitMemory                      // stopped at the memory limit
	ExitOutput                      // stopped at the output limit (or the capture's)
	ExitSockets                     // stopped at the open sockets and files limit
	ExitProcesses                   // stopped at the process limit (a program submission)
	ExitCrash                       // the worker died for another reason
	numExitReasons
)

var exitNames = [numExitReasons]string{"ok", "error", "timeout", "memory", "output", "sockets", "processes", "crash"}

// ExitReasons lists every exit reason, ExitOK first.
func ExitReasons() []ExitReason {
	out := make([]ExitReason, numExitReasons)
	for i := range out {
		out[i] = ExitReason(i)
	}
	return out
}

// String is the reason's name: "ok", "error", "timeout", ...
func (r ExitReason) String() string {
	if r < numExitReasons {
		return exitNames[r]
	}
	return fmt.Sprintf("ExitReason(%d)", int(r))
}

// ParseExitReason returns the reason named s ("" is ExitOK).
func ParseExitReason(s string) (ExitReason, bool) {
	if s == "" {
		return ExitOK, true
	}
	for i, n := range exitNames {
		if n == s {
			return ExitReason(i), true
		}
	}
	return 0, false
}

// MarshalText writes the reason's name. A Result omits ExitOK (reason,omitempty).
func (r ExitReason) MarshalText() ([]byte, error) {
	if r >= numExitReasons {
		return nil, fmt.Errorf("invalid exit reason %d", int(r))
	}
	return []byte(exitNames[r]), nil
}

// UnmarshalText reads a reason's name; "" is ExitOK.
func (r *ExitReason) UnmarshalText(b []byte) error {
	v, ok := ParseExitReason(string(b))
	if !ok {
		return fmt.Errorf("unknown exit reason %q", b)
	}
	*r = v
	return nil
}

// Status is the outcome of a whole run: a closed set of values. The zero
// value is StatusUnset, a result not evaluated yet.
type Status int

// Run statuses.
const (
	StatusUnset     Status = iota
	StatusPassed           // every check passed
	StatusFailed           // some check did not pass
	StatusError            // the run could not be carried out (the grading machine failed)
	StatusTimeout          // the submission ran out of time
	StatusLabError         // the lab's own services or checks failed (a check could not be evaluated): not the submission's fault
	StatusNotGraded        // the submission could not be graded (Reason says why)
	numStatuses
)

var statusNames = [numStatuses]string{"", "passed", "failed", "error", "timeout", "lab-error", "not-graded"}

// Statuses lists every status but StatusUnset.
func Statuses() []Status {
	out := make([]Status, 0, numStatuses-1)
	for s := StatusUnset + 1; s < numStatuses; s++ {
		out = append(out, s)
	}
	return out
}

// String is the status's name: "passed", "failed", ...; "" for StatusUnset.
func (s Status) String() string {
	if s < numStatuses {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// ParseStatus returns the status named s ("" is StatusUnset).
func ParseStatus(s string) (Status, bool) {
	for i, n := range statusNames {
		if n == s {
			return Status(i), true
		}
	}
	return 0, false
}

// MarshalText writes the status's name.
func (s Status) MarshalText() ([]byte, error) {
	if s >= numStatuses {
		return nil, fmt.Errorf("invalid status %d", int(s))
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText reads a status's name.
func (s *Status) UnmarshalText(b []byte) error {
	v, ok := ParseStatus(string(b))
	if !ok {
		return fmt.Errorf("unknown status %q", b)
	}
	*s = v
	return nil
}

// CheckStatus is the outcome of one check: a closed set of values. The zero
// value is CheckUnset, a check not evaluated yet.
type CheckStatus int

// Check statuses.
const (
	CheckUnset CheckStatus = iota
	CheckPass
	CheckFail
	CheckSkip  // a check it requires did not pass
	CheckError // it could not be evaluated
	numCheckStatuses
)

var checkNames = [numCheckStatuses]string{"", "pass", "fail", "skip", "error"}

// String is the status's name: "pass", "fail", "skip", "error"; "" for CheckUnset.
func (s CheckStatus) String() string {
	if s < numCheckStatuses {
		return checkNames[s]
	}
	return fmt.Sprintf("CheckStatus(%d)", int(s))
}

// ParseCheckStatus returns the check status named s ("" is CheckUnset).
func ParseCheckStatus(s string) (CheckStatus, bool) {
	for i, n := range checkNames {
		if n == s {
			return CheckStatus(i), true
		}
	}
	return 0, false
}

// MarshalText writes the status's name.
func (s CheckStatus) MarshalText() ([]byte, error) {
	if s >= numCheckStatuses {
		return nil, fmt.Errorf("invalid check status %d", int(s))
	}
	return []byte(checkNames[s]), nil
}

// UnmarshalText reads a check status's name.
func (s *CheckStatus) UnmarshalText(b []byte) error {
	v, ok := ParseCheckStatus(string(b))
	if !ok {
		return fmt.Errorf("unknown check status %q", b)
	}
	*s = v
	return nil
}

// ChecksStatus is the status the checks alone give a run, and its reason:
// StatusLabError (naming the first check that could not be evaluated) when
// one could not be, else StatusPassed when every check passed, else
// StatusFailed. A check that cannot be evaluated (a lua check that raised,
// returned nonsense or overstayed its deadline) is the lab's fault, not the
// submission's: the run is regraded once the lab is fixed.
func ChecksStatus(checks []CheckResult) (Status, string) {
	pass := true
	for _, c := range checks {
		if c.Status == CheckError {
			return StatusLabError, fmt.Sprintf("check %q could not be evaluated: %s (the lab is at fault, not the submission: fix the lab, then run again)", c.Name, c.Message)
		}
		pass = pass && c.Status == CheckPass
	}
	if pass {
		return StatusPassed, ""
	}
	return StatusFailed, ""
}
