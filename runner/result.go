package runner

import (
	"encoding/json"
	"strconv"
	"time"
)

// ResultVersion is the version of the Result JSON shape.
const ResultVersion = 1

// MaxResultOutput bounds the script output kept in a Result.
const MaxResultOutput = 64 << 10

// Run statuses (Result.Status).
const (
	StatusPassed  = "passed"
	StatusFailed  = "failed"
	StatusError   = "error"
	StatusTimeout = "timeout"
)

// Check statuses (CheckResult.Status).
const (
	CheckPass  = "pass"
	CheckFail  = "fail"
	CheckSkip  = "skip"
	CheckError = "error"
)

// Result is the outcome of evaluating a lab's checks over one run's artifacts.
// Its JSON form is versioned (Version) and is what every report renders.
type Result struct {
	Version    int            `json:"version"`
	Lab        LabInfo        `json:"lab"`
	Submission SubmissionInfo `json:"submission"`
	Start      time.Time      `json:"start"`
	Duration   Seconds        `json:"duration"`
	Status     string         `json:"status"` // passed, failed, error, timeout
	Reason     string         `json:"reason,omitempty"`
	Score      float64        `json:"score"`
	MaxScore   float64        `json:"max_score"`
	Checks     []CheckResult  `json:"checks"`
	Output     Output         `json:"output"`
	Exit       ExitStatus     `json:"exit"`
	Packets    int            `json:"packets"`         // frames read from the capture
	Notes      []string       `json:"notes,omitempty"` // e.g. a damaged capture
	Artifacts  Artifacts      `json:"artifacts"`
}

// LabInfo identifies the lab a result belongs to.
type LabInfo struct {
	ID     string `json:"id"`
	Title  string `json:"title,omitempty"`
	Path   string `json:"path,omitempty"`
	SHA256 string `json:"sha256"`
}

// SubmissionInfo identifies what was graded: a script, or a recorded capture.
type SubmissionInfo struct {
	ID     string `json:"id,omitempty"` // a student or file name, as the grader chose
	Path   string `json:"path,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// CheckResult is the outcome of one check.
type CheckResult struct {
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	Status     string     `json:"status"` // pass, fail, skip, error
	Points     float64    `json:"points"`
	MaxPoints  float64    `json:"max_points"`
	Message    string     `json:"message,omitempty"`
	Hint       string     `json:"hint,omitempty"` // only when the check did not pass
	Visibility Visibility `json:"visibility"`
	Evidence   []int      `json:"evidence,omitempty"` // frame numbers
	// Packets shows the evidence (and, for a broken sequence, the packets of the
	// stream around the break) as packet lines, for reports.
	Packets []PacketView `json:"packets,omitempty"`
	Steps   []StepResult `json:"steps,omitempty"` // sequence: each step, its frame, the nearest miss
}

// PacketView is a packet as a report shows it.
type PacketView struct {
	Number int     `json:"number"`
	Time   float64 `json:"time"` // seconds since the first packet
	Line   string  `json:"line"` // `wirelab packets` layout
	Src    string  `json:"src,omitempty"`
	Dst    string  `json:"dst,omitempty"`
	Flags  string  `json:"flags,omitempty"` // TCP flags as Wireshark writes them: "SYN, ACK"
	Info   string  `json:"info,omitempty"`
	Text   string  `json:"text,omitempty"` // a text payload's first line: "EHLO lab", "GET / HTTP/1.1"
	Mark   string  `json:"mark,omitempty"` // "step 1", "expected step 3 here", ...
}

// Output is the script's output as a result carries it: at most
// MaxResultOutput bytes, with the original length.
type Output struct {
	Text      string `json:"text"`
	Length    int64  `json:"length"`
	Truncated bool   `json:"truncated,omitempty"`
	// Absent is true when the evaluation was given no output file (verify
	// without --output): output checks had nothing to read.
	Absent bool `json:"absent,omitempty"`
}

// Seconds is a duration that marshals to JSON as a number of seconds.
type Seconds time.Duration

// MarshalJSON writes the duration in seconds.
func (s Seconds) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, time.Duration(s).Seconds(), 'f', -1, 64), nil
}

// UnmarshalJSON reads a number of seconds.
func (s *Seconds) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*s = Seconds(f * float64(time.Second))
	return nil
}

// Passed reports whether every check passed.
func (r *Result) Passed() bool { return r.Status == StatusPassed }
