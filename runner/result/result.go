// Package result holds what a graded run is: the Result every report format
// renders, its checks' outcomes, the packets shown as evidence, the artifacts a
// run left behind, and the closed sets of outcomes (how the script ended, the
// run's status, a check's status). It imports no other wirelab package, so the
// runner, the reports, grading and the command line all share it.
package result

import (
	"encoding/json"
	"strconv"
	"time"
)

// Version is the version of the Result JSON shape.
const Version = 1

// MaxOutput bounds the script output kept in a Result.
const MaxOutput = 64 << 10

// Result is the outcome of evaluating a lab's checks over one run's artifacts.
// Its JSON form is versioned (Version) and is what every report renders.
type Result struct {
	Version    int            `json:"version"`
	Wirelab    string         `json:"wirelab,omitempty"` // the wirelab that graded it: "v1.2.0", "devel+0123abcd4567"
	Lab        LabInfo        `json:"lab"`
	Submission SubmissionInfo `json:"submission"`
	Start      time.Time      `json:"start"`
	Duration   Seconds        `json:"duration"`
	Status     Status         `json:"status"`
	Reason     string         `json:"reason,omitempty"`
	Score      float64        `json:"score"`
	MaxScore   float64        `json:"max_score"`
	Checks     []CheckResult  `json:"checks"`
	Output     Output         `json:"output"`
	Exit       Exit           `json:"exit"`
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
	// Due is the lab's due date (due:), when it has one: checks with
	// visibility after_due_date are shown to students from then on.
	Due *time.Time `json:"due,omitempty"`
}

// SubmissionInfo identifies what was graded: a script, or a recorded capture.
type SubmissionInfo struct {
	ID     string `json:"id,omitempty"` // a student or file name, as the grader chose
	Path   string `json:"path,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// CheckResult is the outcome of one check.
type CheckResult struct {
	Name       string      `json:"name"`
	Kind       string      `json:"kind"`
	Status     CheckStatus `json:"status"`
	Points     float64     `json:"points"`
	MaxPoints  float64     `json:"max_points"`
	Message    string      `json:"message,omitempty"`
	Hint       string      `json:"hint,omitempty"` // only when the check did not pass
	Visibility Visibility  `json:"visibility"`
	Evidence   []int       `json:"evidence,omitempty"` // frame numbers
	// Packets shows the evidence (and, for a broken sequence, the packets of the
	// stream around the break) as packet lines, for reports.
	Packets []PacketView `json:"packets,omitempty"`
	Steps   []StepResult `json:"steps,omitempty"` // sequence: each step, its frame, the nearest miss
}

// StepResult is how one step of a sequence check went, for reports that show
// the expected steps beside the frames that matched them.
type StepResult struct {
	Name   string `json:"name,omitempty"`
	Filter string `json:"filter"`
	Hint   string `json:"hint,omitempty"`  // only on the step that did not match
	Frame  int    `json:"frame,omitempty"` // the frame that matched the step; 0 when none did
	// Miss is set on the first step that did not match: the frame that came
	// closest, and the conditions of the step it failed.
	Miss *NearMiss `json:"nearest_miss,omitempty"`
}

// NearMiss is the frame that came closest to matching a step that no frame
// matched: the one that meets the most of the step's conditions (the terms of
// its top-level &&, and being in the sequence's stream), the earliest of those
// on a tie.
type NearMiss struct {
	Frame  int      `json:"frame,omitempty"` // 0: no frame came after the previous step
	Met    []string `json:"met,omitempty"`
	Failed []string `json:"failed,omitempty"`
	// Has says what the frame has instead, one entry per failed condition:
	// "tcp.flags.ack is 0", "no http.request.method".
	Has []string `json:"has,omitempty"`
	// Text says it all in a sentence: "frame 5 (10.0.0.80:80 → 10.0.0.10:40000)
	// meets tcp.srcport == 80 but fails tcp.flags.ack == 1: tcp.flags.ack is 0".
	Text string `json:"text"`
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
// MaxOutput bytes, with the original length.
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

// Artifacts is what a run leaves behind for evaluation: files in Dir, and how
// the submission ended. A recorded capture is evaluated with only Capture (and
// perhaps Output) set.
type Artifacts struct {
	Dir     string `json:"dir,omitempty"`
	Capture string `json:"capture,omitempty"` // pcap or pcapng; "" when nothing was captured
	// CaptureFilter is set when Capture holds frames the lab's capture filter
	// drops (a recorded capture): the frames were numbered after it, and a
	// report that reads Capture must drop them too.
	CaptureFilter string `json:"capture_filter,omitempty"`
	Output        string `json:"output,omitempty"`     // what the script printed; "" when none
	Events        string `json:"events,omitempty"`     // events.jsonl (lab.log, lab.check); "" when none
	Submission    string `json:"submission,omitempty"` // the graded script, hashed into the result; "" when none

	Exit     Exit          `json:"-"`
	Start    time.Time     `json:"-"`
	Duration time.Duration `json:"-"`
}

// Exit is how the submission ended.
type Exit struct {
	Reason  ExitReason `json:"reason,omitempty"`
	Message string     `json:"message,omitempty"` // the error text, the limit hit
	// Traceback is the Lua stack when a script's error ended it, as C Lua
	// 5.1 prints it ("stack traceback:" and a line a level); "" otherwise.
	Traceback string `json:"traceback,omitempty"`
	// Code and Signal are a program's exit status (-1 when a signal killed
	// it) and that signal ("SIGSEGV"); 0 and "" for a Lua script.
	Code   int    `json:"code,omitempty"`
	Signal string `json:"signal,omitempty"`
	// Build is set when a program's build failed: it never ran, and no
	// check was evaluated.
	Build bool `json:"build,omitempty"`
}

// Visibility says when a student sees a check's result.
type Visibility string

// Visibilities, as Gradescope names them.
const (
	Visible        Visibility = "visible"
	Hidden         Visibility = "hidden"
	AfterDueDate   Visibility = "after_due_date"
	AfterPublished Visibility = "after_published"
)
