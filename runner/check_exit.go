package runner

import (
	"fmt"
	"strings"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// KindExit: how the submission ended: ok, an exit reason, or a text its
// error must contain.
const KindExit = "exit"

var exitKind = checkKind{
	name: KindExit,
	decode: func(d *decoder, c *Check, e yamlx.Entry, what string) {
		v := yamlx.Resolve(e.V)
		if v == nil || yamlx.IsNull(v) {
			c.Exit = "ok"
			return
		}
		if s, ok := d.Str(e.V, what+" exit"); ok {
			if s == "" {
				s = "ok"
			}
			c.Exit = s
		}
	},
	eval: (*evaluation).exitCheck,
	lint: func(lab *Lab, c *Check) []string {
		if c.Exit == "ok" && len(c.Requires) == 0 && c.Points > 0 {
			return []string{fmt.Sprintf("check %q: exit: ok without requires passes on an empty submission, which ends without an error (add requires: [a check the work must pass first])", c.Name)}
		}
		return nil
	},
}

func (ev *evaluation) exitCheck(c *Check, cr *result.CheckResult) {
	ex := ev.res.Exit
	how := "ended normally"
	if ex.Reason != result.ExitOK {
		how = "ended with " + ex.Reason.String()
		if ex.Message != "" {
			how += ": " + ex.Message
		}
	}
	reason, named := result.ParseExitReason(c.Exit)
	ok := false
	switch {
	case named:
		ok = ex.Reason == reason
	default:
		ok = ex.Reason != result.ExitOK && strings.Contains(ex.Message, c.Exit)
	}
	cr.Status = result.CheckFail
	if ok {
		cr.Status = result.CheckPass
	}
	switch {
	case ok:
		cr.Message = "the submission " + how
	case named:
		cr.Message = fmt.Sprintf("the submission %s, expected %s", how, exitWant(c.Exit))
	default:
		cr.Message = fmt.Sprintf("the submission %s, expected an error mentioning %q", how, c.Exit)
	}
}

func exitWant(w string) string {
	if w == "ok" {
		return "a normal end"
	}
	return "it to end with " + w
}
