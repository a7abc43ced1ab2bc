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
	eval: (*evaluation).noneCheck,
	lint: func(lab *Lab, c *Check) []string {
		if len(c.Requires) == 0 {
			return []string{fmt.Sprintf("check %q: a none check without requires passes on an empty submission, which sends nothing (add requires: [a check the work must pass first])", c.Name)}
		}
		return nil
	},
}

func (ev *evaluation) noneCheck(c *Check, cr *result.CheckResult) {
	m := ev.matching(c.match)
	if len(m) == 0 {
		cr.Status = result.CheckPass
		cr.Message = "no packet matches " + c.Filter
		return
	}
	cr.Status = result.CheckFail
	nums := make([]string, 0, maxEvidence)
	for i, p := range m {
		if i == maxEvidence {
			nums = append(nums, "...")
			break
		}
		nums = append(nums, fmt.Sprint(p.Number))
	}
	frames := "frame"
	if len(m) > 1 {
		frames = "frames"
	}
	cr.Message = fmt.Sprintf("%s %s, expected none (%s %s)", words.Count(len(m), "packet matches", "packets match"), c.Filter, frames, strings.Join(nums, ", "))
	ev.evidence(cr, m, "")
}
