package runner

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
	"strings"
)

// KindPacket: the display filter some packets must match, between min and
// max of them (count: exactly).
const KindPacket = "packet"

var packetKind = checkKind{
	name: KindPacket,
	keys: []string{"count", "min", "max"},
	decode: func(d *decoder, c *Check, e yamlx.Entry, what string) {
		switch e.Key {
		case KindPacket:
			decodeFilter(d, c, e, what)
		case "count":
			if v, ok := d.Integer(e.V, what+" count", 0, 1<<30); ok {
				c.Min, c.Max = int(v), int(v)
				c.countSet = true
			}
		case "min":
			if v, ok := d.Integer(e.V, what+" min", 0, 1<<30); ok {
				c.Min = int(v)
				c.minSet = true
			}
		case "max":
			if v, ok := d.Integer(e.V, what+" max", 0, 1<<30); ok {
				c.Max = int(v)
				c.maxSet = true
			}
		}
	},
	finish: func(d *decoder, c *Check, n *yaml.Node, what string) {
		if c.countSet && (c.minSet || c.maxSet) {
			d.Errorf(n, "%s: give either count or min/max, not both", what)
		}
		if c.maxSet && c.Max < c.Min {
			d.Errorf(n, "%s: max %d is below min %d", what, c.Max, c.Min)
		}
		if c.maxSet && !c.minSet && !c.countSet {
			c.Min = 0 // `max: 3` alone means "at most three"
		}
	},
	watch: watchFilter,
	eval:  (*evaluation).packetCheck,
	lint: func(lt *linting, c *Check) []string {
		lab := lt.lab
		var out []string
		if len(lab.Hosts) > 1 && !pinsEndpoint(c.Filter) {
			out = append(out, fmt.Sprintf("check %q: the filter pins neither source nor destination (ip.src, ip.dst): any host's packet matches, the submission's own too (add && ip.src == ... or ip.dst == ...)", c.Name))
		}
		if p := lt.keep.dropped(c.Filter); p != "" {
			out = append(out, droppedWarning(lab, c, "", p, "no packet can match "+c.Filter+" and the check never passes"))
		}
		return out
	},
}

// decodeFilter decodes the display filter of a packet or none check.
func decodeFilter(d *decoder, c *Check, e yamlx.Entry, what string) {
	if s, ok := d.Str(e.V, what+" filter"); ok {
		if strings.TrimSpace(s) == "" {
			d.Errorf(e.V, "%s: the %s filter is empty", what, e.Key)
			return
		}
		c.Filter = s
		c.match = d.filter(e.V, s, what+" filter", false)
	}
}

func (ev *evaluation) packetCheck(c *Check, cr *result.CheckResult) {
	m := ev.watch[c].(*matches)
	n := m.n
	ok := n >= c.Min && (c.Max < 0 || n <= c.Max)
	want := ""
	switch {
	case c.Max >= 0 && c.Min == c.Max:
		want = fmt.Sprintf("exactly %d", c.Min)
	case c.Max >= 0 && c.Min > 0:
		want = fmt.Sprintf("between %d and %d", c.Min, c.Max)
	case c.Max >= 0:
		want = fmt.Sprintf("at most %d", c.Max)
	default:
		want = fmt.Sprintf("at least %d", c.Min)
	}
	switch {
	case ok:
		cr.Status = result.CheckPass
		cr.Message = fmt.Sprintf("%s %s", words.Count(n, "packet matches", "packets match"), c.Filter)
	case n == 0:
		cr.Status = result.CheckFail
		cr.Message = fmt.Sprintf("no packet matches %s (%s)", c.Filter, ev.ofCapture())
	default:
		cr.Status = result.CheckFail
		cr.Message = fmt.Sprintf("%s %s, expected %s", words.Count(n, "packet matches", "packets match"), c.Filter, want)
	}
	ev.evidence(cr, m.views, "")
}
