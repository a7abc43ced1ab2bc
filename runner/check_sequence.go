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
	eval:    (*evaluation).sequenceCheck,
	lint: func(lab *Lab, c *Check) []string {
		var out []string
		if len(lab.Hosts) > 1 {
			for n, s := range c.Steps {
				if !pinsEndpoint(s.Filter) {
					out = append(out, fmt.Sprintf("check %q: step %d pins neither source nor destination (ip.src, ip.dst): any host's packet matches, the submission's own too", c.Name, n+1))
				}
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

// seqAttempt is one try at matching a sequence from a given first packet.
type seqAttempt struct {
	matched []int // packet indexes of the steps matched, in order
	broke   int   // index of the step that broke; len(steps) when all matched
	late    int   // packet index of a match that came too late, or -1
	slow    bool  // every step matched, but first to last exceeded the check's within
	stream  int
}

// maxContext bounds the packets shown around a broken sequence.
const maxContext = 16

// sequenceCheck finds the steps in order. Each step's filter runs once per
// packet and the matches are kept per stream; a backward pass marks the
// matches from which the rest of the sequence can still be completed within
// the steps' time limits, so the search is a binary search per step and
// start, never a backtracking one. The earliest start whose earliest
// completion also fits the check's within wins.
func (ev *evaluation) sequenceCheck(c *Check, cr *result.CheckResult) {
	pkts, steps := ev.pkts, c.Steps
	stream := make([]int, len(pkts))
	if c.stream != nil {
		var buf [1]filter.Value
		for i, p := range pkts {
			stream[i] = -1
			if vs := p.Values(buf[:0], c.stream); len(vs) > 0 {
				stream[i] = int(vs[0].N)
			}
		}
	}
	lists := make([]map[int][]int, len(steps))
	var starts []int
	for s, st := range steps {
		lists[s] = map[int][]int{}
		m := st.match.Clone()
		for i, p := range pkts {
			if stream[i] < 0 || !m.Match(p) {
				continue
			}
			lists[s][stream[i]] = append(lists[s][stream[i]], i)
			if s == 0 {
				starts = append(starts, i)
			}
		}
	}
	try := func(i0 int) seqAttempt {
		a := seqAttempt{matched: []int{i0}, late: -1, stream: stream[i0]}
		prev := i0
		for s := 1; s < len(steps); s++ {
			l := lists[s][a.stream]
			j := searchAfter(l, prev)
			if j == len(l) {
				a.broke = s
				return a
			}
			next := l[j]
			if w := steps[s].Within; w > 0 && pkts[next].Time.Sub(pkts[prev].Time) > w {
				a.broke, a.late = s, next
				return a
			}
			a.matched = append(a.matched, next)
			prev = next
		}
		a.broke = len(steps)
		if c.Within > 0 && pkts[prev].Time.Sub(pkts[i0].Time) > c.Within {
			a.slow = true
		}
		return a
	}
	// feasible[s] keeps, per stream, the packets matching step s from which
	// steps s+1... can still be completed within their time limits. The
	// earliest feasible packet after a step's packet is the best next one: any
	// later one is further away.
	feasible := make([]map[int][]int, len(steps))
	feasible[len(steps)-1] = lists[len(steps)-1]
	for s := len(steps) - 2; s >= 0; s-- {
		feasible[s] = map[int][]int{}
		for st, l := range lists[s] {
			next := feasible[s+1][st]
			for _, j := range l {
				x := searchAfter(next, j)
				if x == len(next) {
					continue
				}
				if w := steps[s+1].Within; w > 0 && pkts[next[x]].Time.Sub(pkts[j].Time) > w {
					continue
				}
				feasible[s][st] = append(feasible[s][st], j)
			}
		}
	}
	// The earliest start whose earliest completion fits the check's within wins.
	var firsts []int
	for _, l := range feasible[0] {
		firsts = append(firsts, l...)
	}
	sort.Ints(firsts)
	for _, i0 := range firsts {
		path := []int{i0}
		for s := 1; s < len(steps); s++ {
			l := feasible[s][stream[i0]]
			path = append(path, l[searchAfter(l, path[s-1])])
		}
		if c.Within > 0 && pkts[path[len(path)-1]].Time.Sub(pkts[i0].Time) > c.Within {
			continue
		}
		cr.Status = result.CheckPass
		cr.Message = fmt.Sprintf("all %d steps matched: %s%s", len(steps), ev.frames(path), ev.inStream(c, stream[i0]))
		for k, i := range path {
			cr.Evidence = append(cr.Evidence, pkts[i].Number)
			cr.Packets = append(cr.Packets, view(pkts[i], fmt.Sprintf("step %d", k+1)))
		}
		cr.Steps = ev.stepResults(c, path, len(steps), -1, stream, stream[i0])
		return
	}

	// No match: explain the attempt (earliest first match at every step) that
	// got furthest.
	var best *seqAttempt
	for _, i0 := range starts {
		if ev.ctx.Err() != nil {
			break
		}
		a := try(i0)
		if best == nil || a.broke > best.broke {
			b := a
			best = &b
		}
	}
	cr.Status = result.CheckFail
	if best == nil {
		cr.Message = fmt.Sprintf("step 1 of %d never matched: no packet matches %s (%s)", len(steps), steps[0].Filter, ev.ofCapture())
		for i, p := range pkts {
			if i == 8 {
				break
			}
			cr.Packets = append(cr.Packets, view(p, ""))
		}
		cr.Steps = ev.stepResults(c, nil, 0, -1, stream, -1)
		return
	}
	a := *best
	for _, i := range a.matched {
		cr.Evidence = append(cr.Evidence, pkts[i].Number)
	}
	last := a.matched[len(a.matched)-1]
	switch {
	case a.slow:
		took := pkts[last].Time.Sub(pkts[a.matched[0]].Time)
		cr.Message = fmt.Sprintf("all %d steps matched (%s%s) but took %s from first to last, more than within %s",
			len(steps), ev.frames(a.matched), ev.inStream(c, a.stream), fmtDur(took), fmtDur(c.Within))
	case a.late >= 0:
		gap := pkts[a.late].Time.Sub(pkts[last].Time)
		cr.Message = fmt.Sprintf("matched %d of %d steps (%s%s); step %d (%s) matched frame %d, %s after step %d: later than its within %s",
			len(a.matched), len(steps), ev.frames(a.matched), ev.inStream(c, a.stream), a.broke+1, steps[a.broke].Filter,
			pkts[a.late].Number, fmtDur(gap), a.broke, fmtDur(steps[a.broke].Within))
	default:
		cr.Message = fmt.Sprintf("matched %d of %d steps (%s%s); step %d (%s) never followed frame %d",
			len(a.matched), len(steps), ev.frames(a.matched), ev.inStream(c, a.stream), a.broke+1, steps[a.broke].Filter, pkts[last].Number)
	}
	cr.Packets = ev.context(c, a, stream)
	cr.Steps = ev.stepResults(c, a.matched, a.broke, a.late, stream, a.stream)
}

// context picks the packets shown for a broken sequence: the matched steps and
// the packets of the same stream around the break.
func (ev *evaluation) context(c *Check, a seqAttempt, stream []int) []result.PacketView {
	pkts := ev.pkts
	last := a.matched[len(a.matched)-1]
	var same []int // packet indexes in the attempt's stream, from its first step
	for i := a.matched[0]; i < len(pkts); i++ {
		if c.stream == nil || stream[i] == a.stream {
			same = append(same, i)
		}
	}
	pick := map[int]bool{}
	for _, i := range a.matched {
		pick[i] = true
	}
	if a.late >= 0 {
		pick[a.late] = true
	}
	// Up to 6 packets after the break, and as many before it as fit.
	at := sort.SearchInts(same, last)
	for k := at + 1; k < len(same) && k <= at+6; k++ {
		pick[same[k]] = true
	}
	for k := at - 1; k >= 0 && len(pick) < maxContext; k-- {
		pick[same[k]] = true
	}
	idx := make([]int, 0, len(pick))
	for i := range pick {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	step := map[int]int{}
	for k, i := range a.matched {
		step[i] = k + 1
	}
	out := make([]result.PacketView, 0, len(idx))
	for _, i := range idx {
		mark := ""
		if k, ok := step[i]; ok {
			mark = fmt.Sprintf("step %d", k)
		}
		if i == last && a.broke < len(c.Steps) {
			mark += fmt.Sprintf("; step %d expected after this", a.broke+1)
			mark = strings.TrimPrefix(mark, "; ")
		}
		if i == a.late {
			mark = fmt.Sprintf("step %d, too late", a.broke+1)
		}
		out = append(out, view(pkts[i], mark))
	}
	return out
}

func (ev *evaluation) frames(idx []int) string {
	s := make([]string, len(idx))
	for k, i := range idx {
		s[k] = strconv.Itoa(ev.pkts[i].Number)
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
