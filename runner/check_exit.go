package runner

import (
	"fmt"
	"strings"

	"github.com/wirelab-dev/wirelab/internal/suggest"
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
	lint: func(lt *linting, c *Check) []string {
		lab := lt.lab
		var out []string
		if c.Exit == "ok" && len(c.Requires) == 0 && c.Points > 0 {
			out = append(out, fmt.Sprintf("check %q: exit: ok without requires passes on an empty submission, which ends without an error (add requires: [a check the work must pass first])", c.Name))
		}
		if msg := exitValueLint(lab, c.Exit); msg != "" {
			out = append(out, fmt.Sprintf("check %q: %s", c.Name, msg))
		}
		return out
	},
}

// exitValueLint says what is wrong with an exit: value that cannot mean what
// its author meant: a misspelt ending ("crashed", "timed out", "Timeout"),
// which is read as a text the error must contain and so never matches the
// ending it names; or processes in a lab that takes Lua alone, where no
// script can start a process.
func exitValueLint(lab *Lab, v string) string {
	names := make([]string, 0, len(result.ExitReasons()))
	for _, r := range result.ExitReasons() {
		names = append(names, r.String())
	}
	if r, ok := result.ParseExitReason(v); ok {
		if r != result.ExitProcesses {
			return ""
		}
		for _, g := range lab.Submission.Accepted() {
			if !g.IsLua() {
				return ""
			}
		}
		return "exit: processes never passes: the lab takes Lua scripts alone, which cannot start processes (a program's fork bomb ends processes)"
	}
	squashed := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(v)))
	if near, d := suggest.Closest(squashed, names); d <= 2 && len(squashed) <= len(near)+3 {
		return fmt.Sprintf("exit: %q is not an ending (%s), so it is read as a text the error message must contain, and a run that ended with %s fails it; did you mean exit: %s?", v, strings.Join(names, ", "), near, near)
	}
	return ""
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
