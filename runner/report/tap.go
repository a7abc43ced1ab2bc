package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// tapDiag is the YAML diagnostics block of a test point that did not pass.
type tapDiag struct {
	Message   string   `yaml:"message"`
	Severity  string   `yaml:"severity"`
	Points    float64  `yaml:"points"`
	MaxPoints float64  `yaml:"max_points"`
	Hint      string   `yaml:"hint,omitempty"`
	Evidence  []int    `yaml:"evidence,omitempty,flow"`
	Packets   []string `yaml:"packets,omitempty"`
}

// writeTAP writes TAP version 14: one test point per check, a YAML block under
// each that did not pass, skips as `# SKIP`.
func writeTAP(w io.Writer, res *result.Result, opt Options) error {
	var b bytes.Buffer
	b.WriteString("TAP version 14\n")
	fmt.Fprintf(&b, "1..%d\n", len(res.Checks))
	for i, c := range res.Checks {
		name := tapEscape(c.Name)
		switch c.Status {
		case result.CheckPass:
			fmt.Fprintf(&b, "ok %d - %s\n", i+1, name)
			continue
		case result.CheckSkip:
			fmt.Fprintf(&b, "ok %d - %s # SKIP %s\n", i+1, name, tapEscape(c.Message))
			continue
		}
		fmt.Fprintf(&b, "not ok %d - %s\n", i+1, name)
		d := tapDiag{Message: c.Message, Severity: c.Status.String(), Points: c.Points, MaxPoints: c.MaxPoints, Hint: c.Hint, Evidence: c.Evidence}
		for _, p := range c.Packets {
			d.Packets = append(d.Packets, strings.TrimSpace(p.Line))
		}
		var y bytes.Buffer
		enc := yaml.NewEncoder(&y)
		enc.SetIndent(2)
		if err := enc.Encode(d); err != nil {
			return err
		}
		enc.Close()
		b.WriteString("  ---\n")
		for _, line := range strings.SplitAfter(strings.TrimRight(y.String(), "\n"), "\n") {
			b.WriteString("  " + line)
		}
		b.WriteString("\n  ...\n")
	}
	fmt.Fprintf(&b, "# %s\n", strings.ReplaceAll(summary(res), "\n", "\n# "))
	if ws := opt.withheld.sentence(); ws != "" {
		fmt.Fprintf(&b, "# %s\n", ws)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// tapEscape keeps a description on one line and escapes what TAP reads
// specially in it.
func tapEscape(s string) string {
	s = strings.NewReplacer("\\", "\\\\", "#", "\\#", "\n", " ", "\r", " ").Replace(s)
	return s
}
