package runner

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// stepResults describes a sequence check's steps after an attempt: matched
// holds the packet indexes of the steps matched (in step order), broke is the
// step that did not match (len(c.Steps) when all did), late the packet index
// of a match that came after the step's within (or -1), and streamID the
// attempt's stream (or -1).
func (ev *evaluation) stepResults(c *Check, matched []int, broke, late int, stream []int, streamID int) []result.StepResult {
	out := make([]result.StepResult, len(c.Steps))
	for i, st := range c.Steps {
		out[i] = result.StepResult{Filter: st.Filter, Name: st.Name}
		if i < len(matched) {
			out[i].Frame = ev.pkts[matched[i]].Number
		}
	}
	if broke >= len(c.Steps) {
		return out
	}
	after := -1
	if len(matched) > 0 {
		after = matched[len(matched)-1]
	}
	out[broke].Hint = c.Steps[broke].Hint
	out[broke].Miss = ev.nearestMiss(c, broke, after, late, stream, streamID)
	return out
}

// nearestMiss finds the frame after packet index after that comes closest to
// matching step s.
func (ev *evaluation) nearestMiss(c *Check, s, after, late int, stream []int, streamID int) *result.NearMiss {
	st := c.Steps[s]
	if late >= 0 {
		p := ev.pkts[late]
		prev := ev.pkts[after]
		return &result.NearMiss{
			Frame:  p.Number,
			Met:    []string{st.Filter},
			Failed: []string{"within " + fmtDur(st.Within) + " of step " + strconv.Itoa(s)},
			Has:    []string{fmtDur(p.Time.Sub(prev.Time)) + " after frame " + strconv.Itoa(prev.Number)},
			Text: fmt.Sprintf("frame %d %s matches step %d, but comes %s after frame %d, later than its within %s",
				p.Number, frameBrief(p), s+1, fmtDur(p.Time.Sub(prev.Time)), prev.Number, fmtDur(st.Within)),
		}
	}
	if st.match == nil {
		return nil
	}
	terms := st.match.Terms()
	inStream := func(i int) bool { return c.stream == nil || streamID < 0 || stream[i] == streamID }
	best, bestScore := -1, -1
	for i := after + 1; i < len(ev.pkts); i++ {
		if ev.ctx.Err() != nil {
			break
		}
		score := 0
		for _, t := range terms {
			if t.Match(ev.pkts[i]) {
				score++
			}
		}
		if inStream(i) {
			score++
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	where := "the capture"
	if after >= 0 {
		where = "frame " + strconv.Itoa(ev.pkts[after].Number)
	}
	if best < 0 {
		return &result.NearMiss{Text: fmt.Sprintf("no frame comes after %s", where)}
	}
	p := ev.pkts[best]
	nm := &result.NearMiss{Frame: p.Number}
	for _, t := range terms {
		if t.Match(p) {
			nm.Met = append(nm.Met, t.String())
			continue
		}
		nm.Failed = append(nm.Failed, t.String())
		nm.Has = append(nm.Has, hasValues(p, t.Fields()))
	}
	if !inStream(best) {
		nm.Failed = append(nm.Failed, fmt.Sprintf("in %s %d", c.stream.Name, streamID))
		if vs := p.Strings(c.stream.Name); len(vs) > 0 {
			nm.Has = append(nm.Has, fmt.Sprintf("it is in %s %s", c.stream.Name, vs[0]))
		} else {
			nm.Has = append(nm.Has, "no "+c.stream.Name)
		}
	}
	if len(nm.Met) == 0 {
		// Not one condition holds anywhere: no frame is near, and the first
		// one after the previous step says the most.
		nm.Text = fmt.Sprintf("no frame after %s meets any condition of step %d; frame %d %s fails %s",
			strings.TrimPrefix(where, "the "), s+1, p.Number, frameBrief(p), failures(nm))
		return nm
	}
	nm.Text = fmt.Sprintf("frame %d %s meets %s but fails %s", p.Number, frameBrief(p), strings.Join(nm.Met, " and "), failures(nm))
	return nm
}

// failures lists a near miss's failed conditions, each with what the frame has.
func failures(nm *result.NearMiss) string {
	parts := make([]string, len(nm.Failed))
	for i, f := range nm.Failed {
		parts[i] = f
		if i < len(nm.Has) && nm.Has[i] != "" {
			parts[i] += " (" + nm.Has[i] + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// frameBrief is "(10.0.0.80:80 → 10.0.0.10:40000, SYN, ACK)".
func frameBrief(p *capture.Packet) string {
	src, dst := p.Endpoint("src"), p.Endpoint("dst")
	var parts []string
	if src != "" || dst != "" {
		parts = append(parts, src+" → "+dst)
	}
	if f := p.TCPFlags(); f != "" {
		parts = append(parts, f)
	} else if info := strings.TrimSpace(p.Summary().Info); info != "" && len(parts) == 0 {
		parts = append(parts, info)
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// maxHasValue bounds a value quoted in a near miss.
const maxHasValue = 40

// hasValues says what p has for fields: "tcp.flags.ack is 0",
// "http.request.method is \"POST\"", "no http.request".
func hasValues(p *capture.Packet, fields []*filter.Field) string {
	var parts []string
	var buf [4]filter.Value
	for _, f := range fields {
		vs := p.Values(buf[:0], f)
		if len(vs) == 0 {
			parts = append(parts, "no "+f.Name)
			continue
		}
		if f.Type == filter.None {
			parts = append(parts, "has "+f.Name)
			continue
		}
		strs := make([]string, 0, len(vs))
		for _, v := range vs {
			s := capture.Format(f, v)
			if f.Type == filter.String {
				s = strconv.Quote(s)
			}
			if utf8.RuneCountInString(s) > maxHasValue {
				s = string([]rune(s)[:maxHasValue-3]) + "..."
			}
			strs = append(strs, s)
		}
		parts = append(parts, f.Name+" is "+strings.Join(strs, ", "))
	}
	return strings.Join(parts, ", ")
}
