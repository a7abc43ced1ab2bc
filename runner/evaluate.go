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
	if !lab.Due.IsZero() {
		due := lab.Due.UTC()
		res.Lab.Due = &due
	}
	if art.Submission != "" {
		sum, err := hashFile(art.Submission)
		if err != nil {
			return nil, fmt.Errorf("submission: %w", err)
		}
		res.Submission = result.SubmissionInfo{Path: art.Submission, SHA256: sum}
	}
	ev := &evaluation{ctx: ctx, lab: lab, res: res, capture: art.Capture, watch: map[*Check]frameVisitor{}}
	defer ev.closeLua()
	var watch []frameVisitor
	for i := range lab.Checks {
		c := &lab.Checks[i]
		if k, ok := checkKinds.kind(c.Kind); ok && k.watch != nil {
			v := k.watch(ev, c)
			ev.watch[c] = v
			watch = append(watch, v)
		}
	}
	if art.Capture != "" {
		// A recorded capture may hold more than a live run would have kept:
		// the lab's capture filter applies before frames are numbered.
		total, kept, err := ev.scan(watch)
		var re *capture.ReadError
		switch {
		case errors.As(err, &re) && (kept > 0 || re.Frame > 0):
			res.Notes = append(res.Notes, fmt.Sprintf("the capture is damaged (%v): graded on the %d packets before the damage", err, kept))
		case err != nil:
			return nil, fmt.Errorf("capture: %w", err)
		}
		if kept < total {
			res.Artifacts.CaptureFilter = lab.Capture.Filter
			res.Notes = append(res.Notes, fmt.Sprintf("graded the %d of %d packets that match the lab's capture filter %q", kept, total, lab.Capture.Filter))
		}
		ev.npkts = kept
		res.Packets = kept
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
	// What reports show of the checks that asked for it (the frames around a
	// broken sequence, its nearest miss) is read in a second pass.
	if len(ev.again) > 0 {
		v := make([]frameVisitor, len(ev.again))
		for i, a := range ev.again {
			v[i] = a.v
		}
		ev.scan(v) // the first pass met any damage already
		for _, a := range ev.again {
			a.done()
		}
	}
	for _, c := range res.Checks {
		res.Score += c.Points
	}
	status, reason := result.ChecksStatus(res.Checks)
	switch {
	case status == result.StatusLabError:
		// Before a timeout: the grade is the lab's to fix whatever the
		// submission did.
		res.Status, res.Reason = status, reason
	case art.Exit.Build:
		res.Status = result.StatusError
		res.Reason = "the submission's build failed, so no check was evaluated"
	case art.Exit.Reason == result.ExitTimeout:
		res.Status = result.StatusTimeout
		res.Reason = "the submission ran out of time"
		if art.Exit.Message != "" {
			res.Reason += ": " + art.Exit.Message
		}
	default:
		res.Status = status
	}
	return res, nil
}

// evaluation is the state of one Evaluate call. It never holds the
// capture's packets: checks that look at packets watch one pass over the
// capture (checkKind.watch), and what a report shows of them is taken during
// that pass or re-read in a second one (evaluation.later), so the grader's
// memory does not grow with the capture.
type evaluation struct {
	ctx     context.Context
	lab     *Lab
	res     *result.Result
	capture string // the capture file; "" when there is none
	npkts   int    // the packets graded: those the lab's capture filter keeps
	watch   map[*Check]frameVisitor
	again   []secondPass
	output  string
	events  []lualib.Event
	done    []bool
	lua     *sandbox.Checker // the Lua checks' worker, started by the first
}

// frameVisitor sees, in order, every frame of the capture that the lab's
// capture filter keeps. The packet is valid only during the call: its
// buffers are reused for the next frame.
type frameVisitor interface {
	frame(p *capture.Packet)
}

// visitFunc is a frameVisitor.
type visitFunc func(p *capture.Packet)

func (f visitFunc) frame(p *capture.Packet) { f(p) }

// secondPass is a visitor of the second pass and what to do after it.
type secondPass struct {
	v    frameVisitor
	done func()
}

// later has v see the frames again, after every check was evaluated, then
// calls done.
func (ev *evaluation) later(v frameVisitor, done func()) {
	ev.again = append(ev.again, secondPass{v, done})
}

// scan reads the capture once: it drops the frames the lab's capture filter
// does not keep before they are numbered (as a live capture with that filter
// drops them), decodes the others, in order, into one reused packet and
// hands each to every visitor. It returns how many frames it read and kept,
// and the error that stopped it before the end (a *capture.ReadError for a
// damaged file). A cancelled evaluation stops early without an error: its
// checks say so.
func (ev *evaluation) scan(visit []frameVisitor) (total, kept int, err error) {
	if ev.capture == "" {
		return 0, 0, nil
	}
	src, err := capture.OpenFile(ev.capture)
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	var keep capture.FrameFilter
	if ev.lab.captureMatch != nil {
		keep = capture.NewFrameFilter(ev.lab.captureMatch.Clone())
	}
	dec := capture.NewDecoder()
	var p capture.Packet
	for {
		if total%4096 == 0 && ev.ctx.Err() != nil {
			return total, kept, nil
		}
		fr, err := src.Next()
		if err == io.EOF {
			return total, kept, nil
		}
		if err != nil {
			return total, kept, err
		}
		total++
		if keep != nil && !keep(fr) {
			continue
		}
		kept++
		dec.DecodeInto(fr, &p)
		for _, v := range visit {
			v.frame(&p)
		}
	}
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
	if ev.res.Exit.Build {
		cr.Status = result.CheckSkip
		cr.Message = "skipped: the submission's build failed, so it never ran"
		return
	}
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

// matches counts the frames a filter matches and keeps the views of the
// first maxEvidence of them: a packet or none check's watch.
type matches struct {
	m     *filter.Filter
	n     int
	views []capture.View
}

// watchFilter watches the frames c's filter matches. It matches with its own
// copy of the filter: filters keep scratch state and are not safe for
// concurrent use, and Evaluate may run concurrently for one Lab.
func watchFilter(ev *evaluation, c *Check) frameVisitor {
	if c.match == nil {
		return &matches{}
	}
	return &matches{m: c.match.Clone()}
}

func (w *matches) frame(p *capture.Packet) {
	if w.m != nil && w.m.Match(p) {
		w.n++
		if len(w.views) < maxEvidence {
			w.views = append(w.views, p.View())
		}
	}
}

func (ev *evaluation) evidence(cr *result.CheckResult, views []capture.View, mark string) {
	for _, v := range views {
		cr.Evidence = append(cr.Evidence, v.Number)
		cr.Packets = append(cr.Packets, packetView(v, mark))
	}
}

// ofCapture says how many packets a check looked at, and, when the lab has a
// capture filter, that the capture holds only what it lets through: a check
// that finds nothing may be asking for packets the lab never captured.
func (ev *evaluation) ofCapture() string {
	s := "of " + words.Count(ev.npkts, "packet", "packets") + " in the capture"
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
