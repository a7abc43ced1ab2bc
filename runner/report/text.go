package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/runner"
)

// ANSI styles for the text report on a terminal.
const (
	cReset  = "\x1b[0m"
	cBold   = "\x1b[1m"
	cDim    = "\x1b[2m"
	cRed    = "\x1b[31m"
	cGreen  = "\x1b[32m"
	cYellow = "\x1b[33m"
)

type painter bool

func (p painter) paint(style, s string) string {
	if !p || s == "" {
		return s
	}
	return style + s + cReset
}

// writeText writes the report for a person at a terminal: one line per check
// with its points, and under each check that did not pass its message, hint,
// the evidence as packet lines and, for a broken sequence, a ladder diagram.
func writeText(w io.Writer, res *runner.Result, opt Options) error {
	p := painter(opt.Color)
	var b bytes.Buffer
	title := res.Lab.ID
	if res.Lab.Title != "" {
		title += " — " + res.Lab.Title
	}
	b.WriteString(p.paint(cBold, title) + "\n")
	if res.Submission.ID != "" || res.Submission.Path != "" {
		sub := res.Submission.ID
		if p := res.Submission.Path; p != "" && p != sub {
			sub = strings.TrimSpace(sub + " (" + p + ")")
		}
		fmt.Fprintf(&b, "submission %s\n", sub)
	}
	if res.Exit.Reason != "" {
		b.WriteString(exitLine(res.Exit.Reason, clean(res.Exit.Message)) + "\n")
	}
	for _, n := range res.Notes {
		b.WriteString(p.paint(cYellow, "note: ") + n + "\n")
	}
	b.WriteString("\n")
	width := 0
	for _, c := range res.Checks {
		width = max(width, len(fmtPoints(c.Points)+"/"+fmtPoints(c.MaxPoints)))
	}
	const indent = "             "
	for _, c := range res.Checks {
		label, style := "PASS ", cGreen
		switch c.Status {
		case runner.CheckFail:
			label, style = "FAIL ", cRed
		case runner.CheckSkip:
			label, style = "SKIP ", cYellow
		case runner.CheckError:
			label, style = "ERROR", cRed
		}
		pts := fmtPoints(c.Points) + "/" + fmtPoints(c.MaxPoints)
		fmt.Fprintf(&b, "  %s  %*s  %s\n", p.paint(style, label), width, pts, c.Name)
		if c.Status == runner.CheckPass {
			continue
		}
		// A message may span lines (a filter's caret, a Lua error): each is
		// indented, so the caret stays under its column.
		b.WriteString(indentLines(clean(c.Message), indent))
		if c.Hint != "" {
			fmt.Fprintf(&b, "%s%s %s\n", indent, p.paint(cBold, "hint:"), c.Hint)
		}
		if c.Kind == runner.KindOutput && c.Status == runner.CheckFail {
			b.WriteString(outputExcerpt(res.Output, indent, p))
		}
		if c.Kind == runner.KindSequence && c.Status == runner.CheckFail {
			if lad := ladder(c.Packets); lad != "" {
				b.WriteString("\n")
				for _, line := range strings.Split(strings.TrimRight(lad, "\n"), "\n") {
					b.WriteString(indent + line + "\n")
				}
			}
		}
		if len(c.Packets) > 0 {
			b.WriteString("\n")
			for _, pk := range c.Packets {
				line := pk.Line
				if pk.Mark != "" {
					line += "   ← " + pk.Mark
				}
				b.WriteString(indent + p.paint(cDim, line) + "\n")
			}
			b.WriteString("\n")
		}
	}
	pass, fail, skip, errs := counts(res)
	status := res.Status
	switch status {
	case runner.StatusPassed:
		status = p.paint(cGreen, status)
	default:
		status = p.paint(cRed, status)
	}
	fmt.Fprintf(&b, "\n%s %s/%s  %s  (%d passed, %d failed", p.paint(cBold, "score"), fmtPoints(res.Score), fmtPoints(res.MaxScore), status, pass, fail)
	if skip > 0 {
		fmt.Fprintf(&b, ", %d skipped", skip)
	}
	if errs > 0 {
		fmt.Fprintf(&b, ", %d %s", errs, plural(errs, "error", "errors"))
	}
	b.WriteString(")\n")
	if res.Reason != "" && res.Status != runner.StatusFailed {
		b.WriteString(res.Reason + "\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// exitLine says how the script ended, in a sentence per reason. The sandbox's
// message for a limit already is one ("the script ran past its 10s deadline
// and was stopped"); another message goes in parentheses after the reason.
func exitLine(reason, msg string) string {
	stopped := map[string]string{
		"timeout": "it ran longer than the lab allows",
		"memory":  "it used more memory than the lab allows",
		"output":  "it printed more output than the lab allows",
		"sockets": "it opened more sockets than the lab allows",
	}
	switch why, limit := stopped[reason]; {
	case limit && strings.HasPrefix(msg, "the script "):
		return msg
	case limit && msg != "":
		return "the script was stopped: " + why + " (" + msg + ")"
	case limit:
		return "the script was stopped: " + why
	case reason == "error" && msg != "":
		return "the script ended with an error: " + msg
	case reason == "error":
		return "the script ended with an error"
	case reason == "crash" && msg != "":
		return "the script's process crashed: " + msg
	case reason == "crash":
		return "the script's process crashed"
	case msg != "":
		return fmt.Sprintf("the script ended (%s): %s", reason, msg)
	}
	return fmt.Sprintf("the script ended (%s)", reason)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ladderWidth is the width of an arrow between the two sides of a ladder.
const ladderWidth = 34

// ladder draws the packets of one conversation as a ladder diagram: the client
// on the left, the server on the right, one arrow per packet labelled with its
// TCP flags or its application summary. Packets of other conversations are
// left out. It returns "" when fewer than two packets fit.
func ladder(pkts []runner.PacketView) string {
	client, server := "", ""
	for _, p := range pkts {
		if p.Flags == "SYN" {
			client, server = p.Src, p.Dst
			break
		}
	}
	if client == "" && len(pkts) > 0 {
		client, server = pkts[0].Src, pkts[0].Dst
	}
	if client == "" || server == "" || client == server {
		return ""
	}
	var rows []string
	num := 0
	for _, p := range pkts {
		num = max(num, len(fmt.Sprint(p.Number)))
	}
	for _, p := range pkts {
		var arrow string
		label := " " + arrowLabel(p) + " "
		switch {
		case p.Src == client && p.Dst == server:
			arrow = "|" + center(label, ladderWidth-1, '-') + ">|"
		case p.Src == server && p.Dst == client:
			arrow = "|<" + center(label, ladderWidth-1, '-') + "|"
		default:
			continue
		}
		row := fmt.Sprintf("%*d  %s", num, p.Number, arrow)
		if p.Mark != "" {
			row += "  " + p.Mark
		}
		rows = append(rows, row)
	}
	if len(rows) < 2 {
		return ""
	}
	left, right := "client "+client, "server "+server
	gap := ladderWidth + 2 - utf8.RuneCountInString(left) - utf8.RuneCountInString(right)
	head := fmt.Sprintf("%*s  %s%s%s", num, "", left, strings.Repeat(" ", max(gap, 2)), right)
	return head + "\n" + strings.Join(rows, "\n") + "\n"
}

// arrowLabel is what an arrow says: the application summary when the packet
// carries one (HTTP), else the TCP flags, else the info column.
func arrowLabel(p runner.PacketView) string {
	label := p.Flags
	if info := strings.TrimSpace(p.Info); info != "" && !strings.Contains(info, " → ") && !strings.Contains(info, "[TCP") {
		label = info
	}
	if label == "" {
		label = strings.TrimSpace(p.Info)
	}
	if max := ladderWidth - 6; utf8.RuneCountInString(label) > max {
		r := []rune(label)
		label = string(r[:max-3]) + "..."
	}
	return label
}

// center pads s with fill to width, s in the middle.
func center(s string, width int, fill rune) string {
	n := width - utf8.RuneCountInString(s)
	if n <= 0 {
		return s
	}
	left := n / 2
	return strings.Repeat(string(fill), left) + s + strings.Repeat(string(fill), n-left)
}

func itoa(n int) string { return fmt.Sprint(n) }

// clean makes control characters in text a submission may have chosen (an
// error message) visible instead of letting them act on the terminal.
// indentLines puts indent before each line of s and ends every line.
func indentLines(s, indent string) string {
	return indent + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent) + "\n"
}

func clean(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if (r < 0x20 && r != '\n') || r == 0x7f {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maxExcerpt is how many lines of the output a failed output check shows.
const maxExcerpt = 10

// outputExcerpt shows the start of what the script printed, under a failed
// output check, with invisible characters made visible.
func outputExcerpt(out runner.Output, indent string, p painter) string {
	var b strings.Builder
	if out.Absent {
		return indent + "no --output file was given, so output checks have nothing to read\n"
	}
	if out.Length == 0 {
		return indent + "the script printed nothing\n"
	}
	lines := strings.SplitAfter(out.Text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	b.WriteString(indent + "the script printed:\n")
	for i, l := range lines {
		if i == maxExcerpt {
			fmt.Fprintf(&b, "%s  ... (%d more lines)\n", indent, len(lines)-maxExcerpt)
			break
		}
		q := strconv.Quote(strings.TrimSuffix(l, "\n"))
		b.WriteString(indent + "  " + p.paint(cDim, q[1:len(q)-1]) + "\n")
	}
	return b.String()
}
