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
// holds the frames of the steps matched (in step order), broke is the step
// that did not match (len(c.Steps) when all did), late a match that came
// after the step's within (or nil), and streamID the attempt's stream (or
// -1). The broken step's nearest miss is found in the second pass.
func (ev *evaluation) stepResults(c *Check, matched []seqMatch, broke int, late *seqMatch, streamID int) []result.StepResult {
	out := make([]result.StepResult, len(c.Steps))
	for i, st := range c.Steps {
		out[i] = result.StepResult{Filter: st.Filter, Name: st.Name}
		if i < len(matched) {
			out[i].Frame = int(matched[i].num)
		}
	}
	if broke >= len(c.Steps) {
		return out
	}
	var after *seqMatch
	if len(matched) > 0 {
		after = &matched[len(matched)-1]
	}
	out[broke].Hint = c.Steps[broke].Hint
	ev.nearestMiss(c, broke, after, late, streamID, &out[broke].Miss)
	return out
}

// nearestMiss has the second pass find the frame after the frame after (nil:
// from the start) that comes closest to matching step s, and sets *miss.
func (ev *evaluation) nearestMiss(c *Check, s int, after, late *seqMatch, streamID int, miss **result.NearMiss) {
	st := c.Steps[s]
	if late != nil {
		prev := *after
		brief := ""
		ev.later(visitFunc(func(p *capture.Packet) {
			if p.Number == int(late.num) {
				brief = frameBrief(p)
			}
		}), func() {
			gap := late.since(prev)
			*miss = &result.NearMiss{
				Frame:  int(late.num),
				Met:    []string{st.Filter},
				Failed: []string{"within " + fmtDur(st.Within) + " of step " + strconv.Itoa(s)},
				Has:    []string{fmtDur(gap) + " after frame " + strconv.Itoa(int(prev.num))},
				Text: fmt.Sprintf("frame %d %s matches step %d, but comes %s after frame %d, later than its within %s",
					late.num, brief, s+1, fmtDur(gap), prev.num, fmtDur(st.Within)),
			}
		})
		return
	}
	if st.match == nil {
		return
	}
	terms := st.match.Terms()
	where := "the capture"
	if after != nil {
		where = "frame " + strconv.Itoa(int(after.num))
	}
	inStream := func(p *capture.Packet) bool {
		return c.stream == nil || streamID < 0 || streamOf(c, p) == streamID
	}
	var best *result.NearMiss
	bestScore, seen, stopped := -1, 0, false
	ev.later(visitFunc(func(p *capture.Packet) {
		if stopped || (after != nil && p.Number <= int(after.num)) {
			return
		}
		if seen++; seen%256 == 0 && ev.ctx.Err() != nil {
			stopped = true
			return
		}
		score := 0
		for _, t := range terms {
			if t.Match(p) {
				score++
			}
		}
		in := inStream(p)
		if in {
			score++
		}
		// The score rises at most len(terms)+1 times: describing each new
		// best on the spot keeps no packet for later.
		if score > bestScore {
			bestScore = score
			best = describeMiss(c, s, p, terms, in, streamID, where)
		}
	}), func() {
		if best == nil {
			best = &result.NearMiss{Text: fmt.Sprintf("no frame comes after %s", where)}
		}
		*miss = best
	})
}

// describeMiss says which of step s's conditions frame p meets and fails.
func describeMiss(c *Check, s int, p *capture.Packet, terms []*filter.Filter, inStream bool, streamID int, where string) *result.NearMiss {
	nm := &result.NearMiss{Frame: p.Number}
	for _, t := range terms {
		if t.Match(p) {
			nm.Met = append(nm.Met, t.String())
			continue
		}
		nm.Failed = append(nm.Failed, t.String())
		nm.Has = append(nm.Has, hasValues(p, t.Fields()))
	}
	if !inStream {
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
