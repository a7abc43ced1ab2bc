package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/runner/result"
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
func writeText(w io.Writer, res *result.Result, opt Options) error {
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
		fmt.Fprintf(&b, "submission %s\n", clean(strings.ReplaceAll(sub, "\n", `\n`)))
	}
	if res.Exit.Reason != result.ExitOK {
		b.WriteString(endedLine(res.Exit.Reason, clean(res.Exit.Message)) + "\n")
		b.WriteString(tracebackText(res.Exit.Traceback, "  "))
	}
	for _, n := range res.Notes {
		b.WriteString(p.paint(cYellow, "note: ") + clean(n) + "\n")
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
		case result.CheckFail:
			label, style = "FAIL ", cRed
		case result.CheckSkip:
			label, style = "SKIP ", cYellow
		case result.CheckError:
			label, style = "ERROR", cRed
		}
		pts := fmtPoints(c.Points) + "/" + fmtPoints(c.MaxPoints)
		fmt.Fprintf(&b, "  %s  %*s  %s\n", p.paint(style, label), width, pts, c.Name)
		if c.Status == result.CheckPass {
			continue
		}
		// A message may span lines (a filter's caret, a Lua error): each is
		// indented, so the caret stays under its column.
		msg := clean(c.Message)
		if c.Status == result.CheckFail {
			msg = wrap(msg, textWidth-len(indent), "")
		}
		b.WriteString(indentLines(msg, indent))
		if c.Hint != "" {
			h := wrap("hint: "+clean(c.Hint), textWidth-len(indent), "      ")
			b.WriteString(indentLines(p.paint(cBold, "hint:")+strings.TrimPrefix(h, "hint:"), indent))
		}
		if c.Kind == kindOutput && c.Status == result.CheckFail {
			b.WriteString(outputExcerpt(res.Output, indent, p))
		}
		laddered := false
		if c.Kind == kindSequence && c.Status == result.CheckFail {
			b.WriteString(stepLines(c, indent, p))
			if lad := ladder(c.Packets, stepNames(c)); lad != "" {
				laddered = true
				b.WriteString("\n")
				for _, line := range strings.Split(strings.TrimRight(lad, "\n"), "\n") {
					b.WriteString(indent + line + "\n")
				}
				b.WriteString("\n")
			}
		}
		// The ladder shows a broken sequence's packets; other evidence is
		// listed as packet lines, cut to the report's width.
		if len(c.Packets) > 0 && !laddered {
			b.WriteString("\n")
			for _, pk := range c.Packets {
				line := pk.Line
				if pk.Mark != "" {
					line += "   ← " + pk.Mark
				}
				b.WriteString(indent + p.paint(cDim, cut(line, textWidth-len(indent))) + "\n")
			}
			b.WriteString("\n")
		}
	}
	pass, fail, skip, errs := counts(res)
	status := res.Status.String()
	switch res.Status {
	case result.StatusPassed:
		status = p.paint(cGreen, status)
	default:
		status = p.paint(cRed, status)
	}
	fmt.Fprintf(&b, "\n%s %s/%s  %s  (%d passed, %d failed", p.paint(cBold, "score"), fmtPoints(res.Score), fmtPoints(res.MaxScore), status, pass, fail)
	if skip > 0 {
		fmt.Fprintf(&b, ", %d skipped", skip)
	}
	if errs > 0 {
		fmt.Fprintf(&b, ", %d %s", errs, words.Plural(errs, "error", "errors"))
	}
	b.WriteString(")\n")
	if res.Reason != "" && res.Status != result.StatusFailed {
		b.WriteString(clean(res.Reason) + "\n")
	}
	if ws := opt.withheld.sentence(); ws != "" {
		b.WriteString(wrap(ws, textWidth, "") + "\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// The check kinds whose failures the text report shows more of: the script's
// output under an output check, the ladder under a sequence check.
const (
	kindOutput   = "output"
	kindSequence = "sequence"
)

// endedLine names how the script ended, then says it: "ended: memory — the
// script was stopped: it used more memory than the lab allows", "ended:
// error — solution.lua:4: attempt to index a nil value". Every format that
// speaks of the run carries it (text, html, and the summary of tap,
// gradescope and prairielearn; junit and github as a property and a key),
// so a reader tells a wrong answer from a crash in each.
func endedLine(reason result.ExitReason, msg string) string {
	say := exitLine(reason, msg)
	if reason == result.ExitError && msg != "" && say == "the script ended with an error: "+msg {
		say = msg // the name already says it ended with an error
	}
	return "ended: " + reason.String() + " — " + say
}

// tracebackText is the Lua stack traceback of the error that ended a
// script, a line a level as C Lua prints it, each line under indent (its
// tabs made spaces); "" when there is none.
func tracebackText(tb, indent string) string {
	if tb == "" {
		return ""
	}
	var b strings.Builder
	for _, l := range strings.Split(clean(strings.ReplaceAll(strings.TrimRight(tb, "\n"), "\t", "  ")), "\n") {
		b.WriteString(indent + l + "\n")
	}
	return b.String()
}

// exitLine says how the script ended, in a sentence per reason. The sandbox's
// message for a limit already is one ("the script ran past its 10s deadline
// and was stopped"); another message goes in parentheses after the reason.
func exitLine(reason result.ExitReason, msg string) string {
	stopped := map[result.ExitReason]string{
		result.ExitTimeout:   "it ran longer than the lab allows",
		result.ExitMemory:    "it used more memory than the lab allows",
		result.ExitOutput:    "it printed more output than the lab allows",
		result.ExitSockets:   "it opened more sockets than the lab allows",
		result.ExitProcesses: "it started more processes than the lab allows",
	}
	switch why, limit := stopped[reason]; {
	case limit && (strings.HasPrefix(msg, "the script ") || strings.HasPrefix(msg, "the program ")):
		return msg
	case limit && msg != "":
		return "the script was stopped: " + why + " (" + msg + ")"
	case limit:
		return "the script was stopped: " + why
	case (reason == result.ExitError || reason == result.ExitCrash) && (strings.HasPrefix(msg, "the build ") || strings.HasPrefix(msg, "the program ")):
		return msg // a program's end, said by the sandbox in a sentence
	case reason == result.ExitError && msg != "":
		return "the script ended with an error: " + msg
	case reason == result.ExitError:
		return "the script ended with an error"
	case reason == result.ExitCrash && msg != "":
		return "the script's process crashed: " + msg
	case reason == result.ExitCrash:
		return "the script's process crashed"
	case msg != "":
		return fmt.Sprintf("the script ended (%s): %s", reason, msg)
	}
	return fmt.Sprintf("the script ended (%s)", reason)
}

// textWidth is the widest line the text report writes (a filter error's own
// lines and a word longer than a line aside): it fits a 100-column terminal.
const textWidth = 100

// ladderWidth is the width of an arrow between the two sides of a ladder.
const ladderWidth = 36

// ladder draws the packets of one conversation as a ladder diagram: the client
// on the left, the server on the right, one arrow per packet, pointing the way
// the packet went, labelled with its application summary, the first line of
// its text payload or its TCP flags. marks (by frame number) replace the
// packets' own marks when given. Packets of other conversations are left out.
// It returns "" when fewer than two packets fit.
func ladder(pkts []result.PacketView, marks map[int]string) string {
	client, server := sides(pkts)
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
		mark := p.Mark
		if marks != nil {
			mark = marks[p.Number]
		}
		if mark != "" {
			row += "  " + mark
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

// sides tells the client from the server of the packets' conversation: the
// client sent the first SYN (or received the SYN-ACK); without either, the
// server is the side on a well-known or registered port when the other is
// not, else the first packet's sender is the client. A server-first protocol
// (an SMTP greeting) thus still has its greeting drawn from server to client.
func sides(pkts []result.PacketView) (client, server string) {
	for _, p := range pkts {
		if p.Flags == "SYN" {
			return p.Src, p.Dst
		}
	}
	for _, p := range pkts {
		if p.Flags == "SYN, ACK" {
			return p.Dst, p.Src
		}
	}
	if len(pkts) == 0 {
		return "", ""
	}
	a, b := pkts[0].Src, pkts[0].Dst
	pa, pb := port(a), port(b)
	for _, limit := range []int{1024, 32768} { // well-known, then below the ephemeral range
		switch {
		case pa > 0 && pb > 0 && pa < limit && pb >= limit:
			return b, a
		case pa > 0 && pb > 0 && pb < limit && pa >= limit:
			return a, b
		}
	}
	return a, b
}

// port is the port of an "addr:port" or "[addr]:port" endpoint, or 0.
func port(ep string) int {
	i := strings.LastIndexByte(ep, ':')
	if i < 0 || strings.Count(ep, ":") > 1 && !strings.Contains(ep, "]:") {
		return 0
	}
	n, err := strconv.Atoi(ep[i+1:])
	if err != nil {
		return 0
	}
	return n
}

// arrowLabel is what an arrow says: the application summary when the packet
// carries one (HTTP, DNS), else the first line of a text payload ("EHLO lab",
// "220 mail.lab.test ESMTP"), else the TCP flags, else the info column.
func arrowLabel(p result.PacketView) string {
	label := p.Flags
	info := strings.TrimSpace(p.Info)
	switch {
	case info != "" && !strings.Contains(info, " → ") && !strings.Contains(info, "[TCP"):
		label = info
	case p.Text != "":
		label = p.Text
	case label == "":
		label = info
	}
	return cut(label, ladderWidth-6)
}

// cut shortens s to width runes, ending it with "..." when it was longer.
func cut(s string, width int) string {
	if utf8.RuneCountInString(s) <= width || width < 4 {
		return s
	}
	r := []rune(s)
	return string(r[:width-3]) + "..."
}

// stepNames labels a sequence's frames by the steps they matched ("step 2:
// the request"), the frame after which the first unmatched step was expected,
// and that step's nearest miss. It returns nil when the result lists no steps.
func stepNames(c result.CheckResult) map[int]string {
	if len(c.Steps) == 0 {
		return nil
	}
	marks := map[int]string{}
	add := func(frame int, s string) {
		if frame == 0 {
			return
		}
		if marks[frame] != "" {
			s = marks[frame] + "; " + s
		}
		marks[frame] = s
	}
	last := 0
	for i, st := range c.Steps {
		if st.Frame != 0 {
			add(st.Frame, stepLabel(i, st))
			last = st.Frame
			continue
		}
		add(last, fmt.Sprintf("step %d expected after this", i+1))
		if st.Miss != nil && st.Miss.Frame != 0 {
			add(st.Miss.Frame, fmt.Sprintf("nearest miss for step %d", i+1))
		}
		break
	}
	// A match that came too late keeps the evaluation's own mark.
	for _, p := range c.Packets {
		if strings.Contains(p.Mark, "too late") {
			marks[p.Number] = p.Mark
		}
	}
	return marks
}

// stepLabel is "step 2" or, for a named step, "step 2: the request".
func stepLabel(i int, st result.StepResult) string {
	if st.Name != "" {
		return fmt.Sprintf("step %d: %s", i+1, st.Name)
	}
	return fmt.Sprintf("step %d", i+1)
}

// stepLines lists a failed sequence's steps: each with the frame that matched
// it, the first unmatched one with its hint and its nearest miss.
func stepLines(c result.CheckResult, indent string, p painter) string {
	if len(c.Steps) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n")
	width := textWidth - len(indent)
	for i, st := range c.Steps {
		frame := "frame " + strconv.Itoa(st.Frame)
		switch {
		case st.Frame == 0 && (i == 0 || c.Steps[i-1].Frame != 0):
			frame = p.paint(cRed, "missing ")
		case st.Frame == 0:
			frame = "        "
		}
		what := st.Filter
		if st.Name != "" {
			what = st.Name + ": " + st.Filter
		}
		lead := fmt.Sprintf("step %d  %-8s  ", i+1, frame)
		if st.Frame == 0 && !(i == 0 || c.Steps[i-1].Frame != 0) {
			lead = fmt.Sprintf("step %d            ", i+1)
		}
		pad := strings.Repeat(" ", 18)
		b.WriteString(indentLines(wrap(lead+what, width, pad), indent))
		if st.Frame != 0 {
			continue
		}
		if st.Hint != "" {
			b.WriteString(indentLines(wrap(pad+"hint: "+clean(st.Hint), width, pad+"      "), indent))
		}
		if st.Miss != nil {
			b.WriteString(indentLines(wrap(pad+"nearest miss: "+st.Miss.Text, width, pad+"  "), indent))
		}
		// Steps after the first unmatched one were never looked for.
		break
	}
	return b.String()
}

// wrap breaks each line of s longer than width at spaces; continuation lines
// start with pad. A word longer than a line stays whole.
func wrap(s string, width int, pad string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for utf8.RuneCountInString(line) > width {
			r := []rune(line)
			at := -1
			for i := width; i > len(pad); i-- {
				if r[i] == ' ' {
					at = i
					break
				}
			}
			if at < 0 {
				break
			}
			out = append(out, strings.TrimRight(string(r[:at]), " "))
			line = pad + strings.TrimLeft(string(r[at:]), " ")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
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

// indentLines puts indent before each line of s and ends every line.
func indentLines(s, indent string) string {
	return indent + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent) + "\n"
}

// clean makes control characters in text a submission may have chosen (an
// error message, its output) visible instead of letting them act on the
// terminal; its lines stay lines.
func clean(s string) string { return words.Visible(s, true) }

// maxExcerpt is how many lines of the output a failed output check shows.
const maxExcerpt = 10

// outputExcerpt shows the start of what the script printed, under a failed
// output check, with invisible characters made visible.
func outputExcerpt(out result.Output, indent string, p painter) string {
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
