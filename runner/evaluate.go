package runner

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/internal/version"
	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// Limits on what evaluation reads, so a hostile run cannot exhaust the grader.
const (
	maxOutputRead = 16 << 20 // bytes of output the output checks see
	maxEvents     = 10000    // events.jsonl records
	maxEvidence   = 10       // frames listed as evidence of one check
)

// Evaluate grades a run's artifacts against the lab's checks. It fails only when
// the artifacts cannot be read at all (an unopenable capture or output); a
// damaged capture is graded on the packets before the damage, with a note.
// Evaluate may be called concurrently for one Lab.
func Evaluate(ctx context.Context, lab *Lab, art result.Artifacts) (*result.Result, error) {
	res := &result.Result{
		Version:   result.Version,
		Wirelab:   version.String(),
		Lab:       result.LabInfo{ID: lab.ID, Title: lab.Title, Path: lab.Path, SHA256: lab.SHA256},
		Start:     art.Start,
		Duration:  result.Seconds(art.Duration),
		Exit:      art.Exit,
		MaxScore:  lab.MaxScore(),
		Artifacts: art,
	}
	if res.Start.IsZero() {
		res.Start = time.Now().UTC()
	}
	if art.Submission != "" {
		sum, err := hashFile(art.Submission)
		if err != nil {
			return nil, fmt.Errorf("submission: %w", err)
		}
		res.Submission = result.SubmissionInfo{Path: art.Submission, SHA256: sum}
	}
	ev := &evaluation{ctx: ctx, lab: lab, res: res}
	defer ev.closeLua()
	if art.Capture != "" {
		// A recorded capture may hold more than a live run would have kept:
		// the lab's capture filter applies before frames are numbered.
		pkts, total, err := readCapture(art.Capture, lab.captureMatch)
		var re *capture.ReadError
		switch {
		case errors.As(err, &re) && (len(pkts) > 0 || re.Frame > 0):
			res.Notes = append(res.Notes, fmt.Sprintf("the capture is damaged (%v): graded on the %d packets before the damage", err, len(pkts)))
		case err != nil:
			return nil, fmt.Errorf("capture: %w", err)
		}
		if len(pkts) < total {
			res.Artifacts.CaptureFilter = lab.Capture.Filter
			res.Notes = append(res.Notes, fmt.Sprintf("graded the %d of %d packets that match the lab's capture filter %q", len(pkts), total, lab.Capture.Filter))
		}
		ev.pkts = pkts
		res.Packets = len(pkts)
	}
	if art.Output != "" {
		out, n, err := readBounded(art.Output, maxOutputRead)
		if err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
		ev.output = out
		res.Output = result.Output{Text: out, Length: n}
		if len(out) > result.MaxOutput {
			res.Output.Text = truncateUTF8(out, result.MaxOutput)
		}
		res.Output.Truncated = int64(len(res.Output.Text)) < n
	} else {
		res.Output.Absent = true
	}
	if art.Events != "" {
		events, err := readEvents(art.Events)
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("events: %v", err))
		}
		ev.events = events
	}

	res.Checks = make([]result.CheckResult, len(lab.Checks))
	ev.done = make([]bool, len(lab.Checks))
	for i := range lab.Checks {
		ev.run(i)
	}
	pass, errored := true, ""
	for _, c := range res.Checks {
		res.Score += c.Points
		pass = pass && c.Status == result.CheckPass
		if c.Status == result.CheckError && errored == "" {
			errored = fmt.Sprintf("check %q could not be evaluated: %s", c.Name, c.Message)
		}
	}
	switch {
	case art.Exit.Reason == result.ExitTimeout:
		res.Status = result.StatusTimeout
		res.Reason = "the submission ran out of time"
		if art.Exit.Message != "" {
			res.Reason += ": " + art.Exit.Message
		}
	case errored != "":
		res.Status = result.StatusError
		res.Reason = errored
	case pass:
		res.Status = result.StatusPassed
	default:
		res.Status = result.StatusFailed
	}
	return res, nil
}

// evaluation is the state of one Evaluate call.
type evaluation struct {
	ctx    context.Context
	lab    *Lab
	res    *result.Result
	pkts   []*capture.Packet
	output string
	events []lualib.Event
	done   []bool
	lua    *sandbox.Checker // the Lua checks' worker, started by the first
}

// run evaluates check i after the checks it requires.
func (ev *evaluation) run(i int) {
	if ev.done[i] {
		return
	}
	ev.done[i] = true // cycles are rejected by Load; this also guards recursion
	c := &ev.lab.Checks[i]
	cr := &ev.res.Checks[i]
	*cr = result.CheckResult{Name: c.Name, Kind: c.Kind, MaxPoints: c.Points, Visibility: c.Visibility}
	for _, k := range c.requires {
		ev.run(k)
		if st := ev.res.Checks[k].Status; st != result.CheckPass {
			cr.Status = result.CheckSkip
			cr.Message = fmt.Sprintf("skipped: it requires %q, which did not pass", ev.lab.Checks[k].Name)
			return
		}
	}
	if err := ev.ctx.Err(); err != nil {
		cr.Status, cr.Message = result.CheckError, "evaluation was cancelled: "+err.Error()
		return
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				cr.Status, cr.Message = result.CheckError, fmt.Sprintf("internal error evaluating the check: %v", r)
			}
		}()
		k, ok := checkKinds.kind(c.Kind)
		if !ok {
			cr.Status, cr.Message = result.CheckError, fmt.Sprintf("unknown check kind %q", c.Kind)
			return
		}
		k.eval(ev, c, cr)
	}()
	own := false
	if k, ok := checkKinds.kind(c.Kind); ok {
		own = k.ownPoints
	}
	switch cr.Status {
	case result.CheckPass:
		if !own {
			cr.Points = c.Points
		}
	default:
		if cr.Status != result.CheckFail || !own {
			cr.Points = 0
		}
		cr.Hint = c.Hint
	}
}

// matching returns the packets m matches. It matches with its own copy of m:
// filters keep scratch state and are not safe for concurrent use, and Evaluate
// may run concurrently for one Lab.
func (ev *evaluation) matching(m *filter.Filter) []*capture.Packet {
	m = m.Clone()
	var out []*capture.Packet
	for _, p := range ev.pkts {
		if m.Match(p) {
			out = append(out, p)
		}
	}
	return out
}

func (ev *evaluation) evidence(cr *result.CheckResult, pkts []*capture.Packet, mark string) {
	for i, p := range pkts {
		if i == maxEvidence {
			break
		}
		cr.Evidence = append(cr.Evidence, p.Number)
		cr.Packets = append(cr.Packets, view(p, mark))
	}
}

// ofCapture says how many packets a check looked at, and, when the lab has a
// capture filter, that the capture holds only what it lets through: a check
// that finds nothing may be asking for packets the lab never captured.
func (ev *evaluation) ofCapture() string {
	s := "of " + words.Count(len(ev.pkts), "packet", "packets") + " in the capture"
	if f := ev.lab.Capture.Filter; f != "" {
		s += "; the lab captures only `" + f + "`"
	}
	return s
}

// view is a packet as reports show it, with mark.
func view(p *capture.Packet, mark string) result.PacketView {
	return packetView(p.View(), mark)
}

func packetView(v capture.View, mark string) result.PacketView {
	return result.PacketView{Number: v.Number, Time: v.Relative.Seconds(), Line: v.Line, Src: v.Src, Dst: v.Dst,
		Flags: v.Flags, Info: v.Info, Text: v.Text, Mark: mark}
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readBounded reads at most limit bytes of a file and returns them with the
// file's full length.
func readBounded(path string, limit int64) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return "", 0, err
	}
	n := int64(len(b))
	if st, err := f.Stat(); err == nil && st.Size() > n {
		n = st.Size()
	}
	return string(b), n, nil
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// readEvents parses events.jsonl: one lualib.Event per line. Bad lines are
// skipped and counted in the error.
func readEvents(path string) ([]lualib.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []lualib.Event
	bad := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() && len(out) < maxEvents {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var e lualib.Event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			bad++
			continue
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return out, err
	}
	if bad > 0 {
		return out, fmt.Errorf("%d lines of %s are not events", bad, path)
	}
	return out, nil
}

// searchAfter returns the index in a sorted list of the first value after
// after, or len(list).
func searchAfter(list []int, after int) int {
	return sort.SearchInts(list, after+1)
}
