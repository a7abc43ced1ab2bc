package runner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
	"go.yaml.in/yaml/v3"
)

// KindSequence: display filters that must match packets in order.
const KindSequence = "sequence"

var sequenceKind = checkKind{
	name: KindSequence,
	keys: []string{"within", "same_stream"},
	decode: func(d *decoder, c *Check, e yamlx.Entry, what string) {
		switch e.Key {
		case KindSequence:
			d.steps(e.V, what, c)
		case "within":
			c.Within, _ = d.Duration(e.V, what+" within")
		case "same_stream":
			if b, ok := d.Boolean(e.V, what+" same_stream"); ok {
				c.sameStreamSet = &b
				c.sameStreamNode = e.K
			}
		}
	},
	compile: (*decoder).sequenceStream,
	watch:   watchSequence,
	eval:    (*evaluation).sequenceCheck,
	lint: func(lt *linting, c *Check) []string {
		lab := lt.lab
		var out []string
		if len(lab.Hosts) > 1 {
			for n, s := range c.Steps {
				if !pinsEndpoint(s.Filter) {
					out = append(out, fmt.Sprintf("check %q: step %d pins neither source nor destination (ip.src, ip.dst): any host's packet matches, the submission's own too", c.Name, n+1))
				}
			}
		}
		for n, s := range c.Steps {
			if p := lt.keep.dropped(s.Filter); p != "" {
				out = append(out, droppedWarning(lab, c, fmt.Sprintf("step %d: ", n+1), p, "no packet can match "+s.Filter+" and the sequence is never seen"))
				break
			}
		}
		return out
	},
}

func (d *decoder) steps(n *yaml.Node, what string, c *Check) {
	n = yamlx.Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.Errorf(n, "%s: sequence must be a list of steps (filters, or {match: FILTER, within: DURATION}), not %s", what, yamlx.Describe(n))
		return
	}
	if len(n.Content) > maxSteps {
		d.Errorf(n, "%s: %d steps are more than the %d a sequence may have", what, len(n.Content), maxSteps)
		return
	}
	for i, sn := range n.Content {
		sw := fmt.Sprintf("%s step %d", what, i+1)
		sn = yamlx.Resolve(sn)
		var st Step
		var fnode *yaml.Node
		switch {
		case sn != nil && sn.Kind == yaml.ScalarNode && !yamlx.IsNull(sn):
			st.Filter, fnode = sn.Value, sn
		case sn != nil && sn.Kind == yaml.MappingNode:
			for _, e := range d.Mapping(sn, sw, stepKeys) {
				switch e.Key {
				case "match":
					if s, ok := d.Str(e.V, sw+" match"); ok {
						st.Filter, fnode = s, yamlx.Resolve(e.V)
					}
				case "within":
					st.Within, _ = d.Duration(e.V, sw+" within")
				case "name":
					st.Name, _ = d.Str(e.V, sw+" name")
				case "hint":
					st.Hint, _ = d.Str(e.V, sw+" hint")
				}
			}
			if fnode == nil {
				d.Errorf(sn, "%s has no filter: add `match: FILTER`", sw)
			}
		default:
			d.Errorf(sn, "%s must be a filter or {match: FILTER, within: DURATION}, not %s", sw, yamlx.Describe(sn))
		}
		if fnode != nil {
			if strings.TrimSpace(st.Filter) == "" {
				d.Errorf(fnode, "%s: the filter is empty", sw)
			} else {
				st.match = d.filter(fnode, st.Filter, sw, false)
			}
		}
		st.node = fnode
		c.Steps = append(c.Steps, st)
	}
}

// sequenceStream decides whether a sequence's steps must share one stream:
// by default when every step names a TCP field (tcp.stream), or every step a
// UDP field (udp.stream).
func (d *decoder) sequenceStream(c *Check) {
	proto := ""
	for i, st := range c.Steps {
		p := stepProto(st.match)
		if i == 0 {
			proto = p
		} else if p != proto {
			proto = ""
		}
		if proto == "" {
			break
		}
	}
	if proto != "" {
		c.stream, _ = capture.Fields().Lookup(proto + ".stream")
	}
	if c.sameStreamSet != nil {
		want := *c.sameStreamSet
		if want && proto == "" {
			at := c.Pos
			if c.sameStreamNode != nil {
				at = d.Pos(c.sameStreamNode)
			}
			d.Errs.Add(at, "check %q: same_stream needs every step to name tcp fields (or every step udp fields), so the stream is known", c.Name)
		}
		if !want {
			c.stream = nil
		}
	}
	c.SameStream = c.stream != nil
}

func stepProto(m *filter.Filter) string {
	if m == nil {
		return ""
	}
	tcp, udp := false, false
	for _, f := range m.Fields() {
		switch {
		case f.Name == "tcp" || strings.HasPrefix(f.Name, "tcp."),
			f.Name == "http" || strings.HasPrefix(f.Name, "http."): // HTTP rides on TCP here
			tcp = true
		case f.Name == "udp" || strings.HasPrefix(f.Name, "udp."):
			udp = true
		}
	}
	switch {
	case tcp && !udp:
		return "tcp"
	case udp && !tcp:
		return "udp"
	}
	return ""
}

// seqMatch is a frame that matched a step: its number, its stream (0 when
// the steps need not share one) and its time. A sequence check keeps these 16
// bytes per match, not the packets.
type seqMatch struct {
	num    uint32
	stream uint32
	t      int64 // Unix nanoseconds
}

// since is the time from o to m.
func (m seqMatch) since(o seqMatch) time.Duration { return time.Duration(m.t - o.t) }

// seqWatch collects, in the capture's one pass, the frames each step of a
// sequence check matches, in frame order.
//
// Of the last step's matches it keeps only those the search can reach: the
// first in a stream after a match of the step before. The search asks the
// last step only for its first match after a given frame (a later one is
// further away and there are no steps after it to favour it), so the others
// of a run — every pure ACK of a conversation after its handshake's — would
// only take memory: on a 256 MiB capture of correct handshakes, 2.2 million
// records (bench/README.md "Grader memory").
type seqWatch struct {
	stream  *filter.Field // nil: the steps need not share a stream
	steps   []*filter.Filter
	lists   [][]seqMatch
	buf     [1]filter.Value
	pending []uint64 // bit per stream: the step before the last matched since the last's kept match
}

func watchSequence(ev *evaluation, c *Check) frameVisitor {
	w := &seqWatch{stream: c.stream, steps: make([]*filter.Filter, len(c.Steps)), lists: make([][]seqMatch, len(c.Steps))}
	for s, st := range c.Steps {
		w.steps[s] = st.match.Clone()
	}
	return w
}

func (w *seqWatch) frame(p *capture.Packet) {
	var stream uint32
	if w.stream != nil {
		vs := p.Values(w.buf[:0], w.stream)
		if len(vs) == 0 {
			return // a frame outside every stream belongs to no attempt
		}
		stream = uint32(vs[0].N)
	}
	// Last step first, so that a frame matching the step before it too does
	// not open the way for itself (a step's next match is a later frame).
	last := len(w.steps) - 1
	for s := last; s >= 0; s-- {
		m := w.steps[s]
		if m == nil || !m.Match(p) {
			continue
		}
		if s > 0 && s == last && !w.takePending(stream) {
			continue
		}
		w.lists[s] = append(w.lists[s], seqMatch{num: uint32(p.Number), stream: stream, t: p.Time.UnixNano()})
		if s == last-1 {
			w.setPending(stream)
		}
	}
}

// setPending records that the step before the last matched in stream.
func (w *seqWatch) setPending(stream uint32) {
	i := int(stream / 64)
	if i >= len(w.pending) {
		w.pending = append(w.pending, make([]uint64, i+1-len(w.pending))...)
	}
	w.pending[i] |= 1 << (stream % 64)
}

// takePending reports whether the step before the last matched in stream
// since the last step's previous kept match there, and clears the mark.
func (w *seqWatch) takePending(stream uint32) bool {
	i := int(stream / 64)
	if i >= len(w.pending) || w.pending[i]&(1<<(stream%64)) == 0 {
		return false
	}
	w.pending[i] &^= 1 << (stream % 64)
	return true
}

// streamOf is p's stream for check c, or -1 when it has none.
func streamOf(c *Check, p *capture.Packet) int {
	var buf [1]filter.Value
	if vs := p.Values(buf[:0], c.stream); len(vs) > 0 {
		return int(vs[0].N)
	}
	return -1
}

// seqSet is some of a step's matches, sorted by stream, then frame: all of
// l, or those at the positions pos.
type seqSet struct {
	l   []seqMatch
	pos []int32
	all bool
}

func (f *seqSet) len() int {
	if f.all {
		return len(f.l)
	}
	return len(f.pos)
}

func (f *seqSet) at(k int) seqMatch {
	if f.all {
		return f.l[k]
	}
	return f.l[f.pos[k]]
}

// after returns the set's first match in stream after frame num.
func (f *seqSet) after(stream, num uint32) (seqMatch, bool) {
	n := f.len()
	k := sort.Search(n, func(k int) bool {
		m := f.at(k)
		return m.stream > stream || m.stream == stream && m.num > num
	})
	if k < n {
		if m := f.at(k); m.stream == stream {
			return m, true
		}
	}
	return seqMatch{}, false
}

// seqAttempt is one try at matching a sequence from a given first packet.
type seqAttempt struct {
	matched []seqMatch // the frames of the steps matched, in order
	broke   int        // index of the step that broke; len(steps) when all matched
	late    *seqMatch  // a match that came too late, or nil
	slow    bool       // every step matched, but first to last exceeded the check's within
	stream  uint32
}

// maxContext bounds the packets shown around a broken sequence.
const maxContext = 16

// sequenceCheck finds the steps in order. Each step's filter ran once per
// packet in the capture's one pass, and the matches were kept; a backward
// pass marks the matches from which the rest of the sequence can still be
// completed, in the same stream, within the steps' time limits, so the
// search is a binary search per step and start, never a backtracking one.
// The earliest start whose earliest completion also fits the check's within
// wins. The frames a report shows are read in the second pass.
func (ev *evaluation) sequenceCheck(c *Check, cr *result.CheckResult) {
	steps := c.Steps
	w := ev.watch[c].(*seqWatch)
	// lists[s] are step s's matches by stream, then frame; the first step's
	// stay in frame order (they are only ever walked, in that order).
	lists := make([]seqSet, len(steps))
	for s, l := range w.lists {
		if s > 0 && c.stream != nil {
			sort.Slice(l, func(i, j int) bool {
				return l[i].stream < l[j].stream || l[i].stream == l[j].stream && l[i].num < l[j].num
			})
		}
		lists[s] = seqSet{l: l, all: true}
	}
	try := func(m0 seqMatch) seqAttempt {
		a := seqAttempt{matched: []seqMatch{m0}, stream: m0.stream}
		prev := m0
		for s := 1; s < len(steps); s++ {
			next, ok := lists[s].after(a.stream, prev.num)
			if !ok {
				a.broke = s
				return a
			}
			if w := steps[s].Within; w > 0 && next.since(prev) > w {
				a.broke, a.late = s, &next
				return a
			}
			a.matched = append(a.matched, next)
			prev = next
		}
		a.broke = len(steps)
		if c.Within > 0 && prev.since(m0) > c.Within {
			a.slow = true
		}
		return a
	}
	// feasible[s] keeps the matches of step s from which steps s+1... can
	// still be completed, in the same stream, within their time limits. The
	// earliest feasible match after a step's match is the best next one: any
	// later one is further away.
	feasible := make([]seqSet, len(steps))
	feasible[len(steps)-1] = lists[len(steps)-1]
	for s := len(steps) - 2; s >= 0; s-- {
		f := seqSet{l: lists[s].l}
		for k, j := range lists[s].l {
			next, ok := feasible[s+1].after(j.stream, j.num)
			if !ok {
				continue
			}
			if w := steps[s+1].Within; w > 0 && next.since(j) > w {
				continue
			}
			f.pos = append(f.pos, int32(k))
		}
		feasible[s] = f
	}
	// The earliest start whose earliest completion fits the check's within
	// wins; the first step's matches are in frame order.
	for k := 0; k < feasible[0].len(); k++ {
		m0 := feasible[0].at(k)
		path := []seqMatch{m0}
		for s := 1; s < len(steps); s++ {
			next, _ := feasible[s].after(m0.stream, path[s-1].num)
			path = append(path, next)
		}
		if c.Within > 0 && path[len(path)-1].since(m0) > c.Within {
			continue
		}
		cr.Status = result.CheckPass
		cr.Message = fmt.Sprintf("all %d steps matched: %s%s", len(steps), frames(path), ev.inStream(c, int(m0.stream)))
		for _, m := range path {
			cr.Evidence = append(cr.Evidence, int(m.num))
		}
		ev.showFrames(cr, path)
		cr.Steps = ev.stepResults(c, path, len(steps), nil, int(m0.stream))
		return
	}

	// No match: explain the attempt (earliest first match at every step) that
	// got furthest.
	var best *seqAttempt
	for k := 0; k < lists[0].len(); k++ {
		if ev.ctx.Err() != nil {
			break
		}
		a := try(lists[0].at(k))
		if best == nil || a.broke > best.broke {
			b := a
			best = &b
		}
	}
	cr.Status = result.CheckFail
	if best == nil {
		cr.Message = fmt.Sprintf("step 1 of %d never matched: no packet matches %s (%s)", len(steps), steps[0].Filter, ev.ofCapture())
		var views []result.PacketView
		ev.later(visitFunc(func(p *capture.Packet) {
			if len(views) < 8 {
				views = append(views, view(p, ""))
			}
		}), func() { cr.Packets = views })
		cr.Steps = ev.stepResults(c, nil, 0, nil, -1)
		return
	}
	a := *best
	for _, m := range a.matched {
		cr.Evidence = append(cr.Evidence, int(m.num))
	}
	last := a.matched[len(a.matched)-1]
	switch {
	case a.slow:
		took := last.since(a.matched[0])
		cr.Message = fmt.Sprintf("all %d steps matched (%s%s) but took %s from first to last, more than within %s",
			len(steps), frames(a.matched), ev.inStream(c, int(a.stream)), fmtDur(took), fmtDur(c.Within))
	case a.late != nil:
		gap := a.late.since(last)
		cr.Message = fmt.Sprintf("matched %d of %d steps (%s%s); step %d (%s) matched frame %d, %s after step %d: later than its within %s",
			len(a.matched), len(steps), frames(a.matched), ev.inStream(c, int(a.stream)), a.broke+1, steps[a.broke].Filter,
			a.late.num, fmtDur(gap), a.broke, fmtDur(steps[a.broke].Within))
	default:
		cr.Message = fmt.Sprintf("matched %d of %d steps (%s%s); step %d (%s) never followed frame %d",
			len(a.matched), len(steps), frames(a.matched), ev.inStream(c, int(a.stream)), a.broke+1, steps[a.broke].Filter, last.num)
	}
	ev.showContext(c, cr, a)
	cr.Steps = ev.stepResults(c, a.matched, a.broke, a.late, int(a.stream))
}

// showFrames has the second pass show the frames of a matched sequence, each
// marked with its step.
func (ev *evaluation) showFrames(cr *result.CheckResult, path []seqMatch) {
	step := map[int]int{}
	for k, m := range path {
		step[int(m.num)] = k + 1
	}
	views := map[int]result.PacketView{}
	ev.later(visitFunc(func(p *capture.Packet) {
		if k, ok := step[p.Number]; ok {
			views[p.Number] = view(p, fmt.Sprintf("step %d", k))
		}
	}), func() {
		for _, m := range path {
			if v, ok := views[int(m.num)]; ok {
				cr.Packets = append(cr.Packets, v)
			}
		}
	})
}

// showContext has the second pass pick the packets shown for a broken
// sequence: the matched steps and the packets of the same stream around the
// break (up to 6 after it, and as many before it as fit in maxContext).
func (ev *evaluation) showContext(c *Check, cr *result.CheckResult, a seqAttempt) {
	first, last := int(a.matched[0].num), int(a.matched[len(a.matched)-1].num)
	late := -1
	if a.late != nil {
		late = int(a.late.num)
	}
	step := map[int]int{}
	for k, m := range a.matched {
		step[int(m.num)] = k + 1
	}
	// ring holds the latest views of the stream before the break: the walk
	// back from it passes at most maxContext of them that are not steps.
	ring := make([]capture.View, maxContext+len(a.matched))
	next, held := 0, 0 // ring[next] is overwritten next; held are valid
	var after []capture.View
	got := map[int]capture.View{} // the steps' and the late match's views
	ev.later(visitFunc(func(p *capture.Packet) {
		n := p.Number
		if n < first || (c.stream != nil && streamOf(c, p) != int(a.stream)) {
			return
		}
		switch {
		case n < last:
			v := p.View()
			ring[next] = v
			next, held = (next+1)%len(ring), min(held+1, len(ring))
			if _, ok := step[n]; ok {
				got[n] = v
			}
		case n == last:
			got[n] = p.View()
		case len(after) < 6 || n == late:
			v := p.View()
			if len(after) < 6 {
				after = append(after, v)
			}
			if n == late {
				got[n] = v
			}
		}
	}), func() {
		pick := map[int]capture.View{}
		for n, v := range got {
			pick[n] = v
		}
		for _, v := range after {
			pick[v.Number] = v
		}
		for k := 1; k <= held && len(pick) < maxContext; k++ {
			v := ring[(next-k+len(ring))%len(ring)]
			pick[v.Number] = v
		}
		nums := make([]int, 0, len(pick))
		for n := range pick {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		out := make([]result.PacketView, 0, len(nums))
		for _, n := range nums {
			mark := ""
			if k, ok := step[n]; ok {
				mark = fmt.Sprintf("step %d", k)
			}
			if n == last && a.broke < len(c.Steps) {
				mark += fmt.Sprintf("; step %d expected after this", a.broke+1)
				mark = strings.TrimPrefix(mark, "; ")
			}
			if n == late {
				mark = fmt.Sprintf("step %d, too late", a.broke+1)
			}
			out = append(out, packetView(pick[n], mark))
		}
		cr.Packets = out
	})
}

func frames(ms []seqMatch) string {
	s := make([]string, len(ms))
	for k, m := range ms {
		s[k] = strconv.Itoa(int(m.num))
	}
	if len(s) == 1 {
		return "frame " + s[0]
	}
	return "frames " + strings.Join(s, ", ")
}

func (ev *evaluation) inStream(c *Check, s int) string {
	if c.stream == nil {
		return ""
	}
	return fmt.Sprintf(" in %s %d", c.stream.Name, s)
}

// fmtDur prints a duration the way a lab writes one, without noise digits.
func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Microsecond).String()
	}
	return d.String()
}
