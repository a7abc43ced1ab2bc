package runner

import (
	"fmt"
	"strings"

	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// KindNone: the display filter no packet may match.
const KindNone = "none"

var noneKind = checkKind{
	name: KindNone,
	decode: func(d *decoder, c *Check, e yamlx.Entry, what string) {
		decodeFilter(d, c, e, what)
	},
	watch: watchFilter,
	eval:  (*evaluation).noneCheck,
	lint: func(lt *linting, c *Check) []string {
		var out []string
		if len(c.Requires) == 0 {
			out = append(out, fmt.Sprintf("check %q: a none check without requires passes on an empty submission, which sends nothing (add requires: [a check the work must pass first])", c.Name))
		}
		if p := lt.keep.dropped(c.Filter); p != "" {
			out = append(out, droppedWarning(lt.lab, c, "", p, "no packet can match "+c.Filter+" and the check passes whatever the submission sends"))
		}
		return out
	},
}

func (ev *evaluation) noneCheck(c *Check, cr *result.CheckResult) {
	m := ev.watch[c].(*matches)
	if m.n == 0 {
		cr.Status = result.CheckPass
		cr.Message = "no packet matches " + c.Filter
		return
	}
	cr.Status = result.CheckFail
	nums := make([]string, 0, maxEvidence+1)
	for _, v := range m.views {
		nums = append(nums, fmt.Sprint(v.Number))
	}
	if m.n > maxEvidence {
		nums = append(nums, "...")
	}
	frames := "frame"
	if m.n > 1 {
		frames = "frames"
	}
	cr.Message = fmt.Sprintf("%s %s, expected none (%s %s)", words.Count(m.n, "packet matches", "packets match"), c.Filter, frames, strings.Join(nums, ", "))
	ev.evidence(cr, m.views, "")
}
