package runner

import (
	"fmt"
	"strings"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
	"go.yaml.in/yaml/v3"
	"regexp"
)

// KindOutput: conditions on what the submission printed.
const KindOutput = "output"

var outputKind = checkKind{
	name: KindOutput,
	decode: func(d *decoder, c *Check, e yamlx.Entry, what string) {
		c.Output = d.output(e.V, what, c)
	},
	eval: (*evaluation).outputCheck,
}

func (d *decoder) output(n *yaml.Node, what string, c *Check) *OutputCheck {
	o := &OutputCheck{}
	v := yamlx.Resolve(n)
	if v != nil && v.Kind == yaml.ScalarNode && !yamlx.IsNull(v) {
		// `output: "200 OK"` is short for {contains: "200 OK"}.
		o.Contains = []string{v.Value}
		return o
	}
	entries := d.Mapping(n, what+" output", outputKeys)
	if len(entries) == 0 {
		d.Errorf(n, "%s: output needs a condition: one of %s", what, strings.Join(outputKeys[:5], ", "))
		return o
	}
	for _, e := range entries {
		switch e.Key {
		case "contains":
			o.Contains, _ = d.StrList(e.V, what+" contains")
		case "not_contains":
			o.NotContains, _ = d.StrList(e.V, what+" not_contains")
		case "matches":
			if s, ok := d.Str(e.V, what+" matches"); ok {
				re, err := regexp.Compile(s)
				if err != nil {
					d.Errorf(e.V, "%s: matches %q is not a regular expression: %v", what, s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
					continue
				}
				o.Matches, c.outMatches = s, re
			}
		case "equals":
			if s, ok := d.Str(e.V, what+" equals"); ok {
				o.Equals = &s
			}
		case "lines":
			o.Lines, _ = d.StrList(e.V, what+" lines")
		case "ordered":
			o.Ordered, _ = d.Boolean(e.V, what+" ordered")
		}
	}
	if o.Ordered && len(o.Lines) == 0 {
		d.Errorf(n, "%s: ordered applies to lines: add `lines: [...]`", what)
	}
	return o
}

func (ev *evaluation) outputCheck(c *Check, cr *result.CheckResult) {
	o, out := c.Output, ev.output
	fail := func(format string, args ...any) {
		cr.Status = result.CheckFail
		cr.Message = fmt.Sprintf(format, args...)
	}
	cr.Status = result.CheckPass
	if o == nil {
		return
	}
	for _, s := range o.Contains {
		if !strings.Contains(out, s) {
			fail("the output does not contain %q", s)
			return
		}
	}
	for _, s := range o.NotContains {
		if strings.Contains(out, s) {
			fail("the output contains %q, which it should not", s)
			return
		}
	}
	if c.outMatches != nil && !c.outMatches.MatchString(out) {
		fail("the output does not match /%s/", o.Matches)
		return
	}
	if o.Equals != nil && strings.TrimRight(out, "\r\n") != strings.TrimRight(*o.Equals, "\r\n") {
		fail("the output is not exactly %q (first difference at byte %d)", *o.Equals, firstDiff(out, *o.Equals))
		return
	}
	if len(o.Lines) > 0 {
		lines := strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n")
		at := 0
		for _, want := range o.Lines {
			found := -1
			start := 0
			if o.Ordered {
				start = at
			}
			for j := start; j < len(lines); j++ {
				if strings.TrimRight(lines[j], " \t\r") == strings.TrimRight(want, " \t\r") {
					found = j
					break
				}
			}
			if found < 0 {
				if o.Ordered && at > 0 {
					fail("the output has no line %q after line %d", want, at)
				} else {
					fail("the output has no line %q", want)
				}
				return
			}
			at = found + 1
		}
	}
	cr.Message = "the output is as expected"
}

func firstDiff(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
