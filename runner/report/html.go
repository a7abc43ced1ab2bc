package report

import (
	"bufio"
	"embed"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// The HTML report is one self-contained file: its style and script are
// embedded from html/ and written inline, it draws the flow diagram as inline
// SVG, and it loads nothing (no fonts, images or scripts from anywhere), so it
// opens offline, from a mail attachment or an LMS download.
//
//go:embed html/report.tmpl html/report.css html/report.js
var htmlAssets embed.FS

var htmlTemplate = template.Must(template.New("report.tmpl").Funcs(template.FuncMap{
	"points": fmtPoints,
}).ParseFS(htmlAssets, "html/report.tmpl"))

// Bounds that keep a report of a large capture (a port scan) to a size a
// browser and a mail system take: the flow diagram and the packet list show
// the first maxHTMLFrames frames, and packet details (fields and bytes) are
// written for the first maxHTMLDetails of them and for every frame a check
// points at.
const (
	maxHTMLFrames  = 200
	maxHTMLDetails = 40
	maxHTMLBytes   = 1024 // bytes of one frame in its hex dump
	maxFieldValue  = 120  // characters of one field value
)

type htmlPage struct {
	Title, LabID, LabTitle, Submission string
	Score, MaxScore                    string
	Outcome, OutcomeWords, Ended       string
	Traceback                          string // the Lua stack of the error that ended the script
	Counts                             string
	Withheld                           string
	Notes                              []string
	Checks                             []htmlCheck
	Flow                               template.HTML
	FlowNote                           string
	Frames                             int // frames in the diagram
	Packets                            []htmlPacket
	PacketNote                         string
	Output                             string
	OutputNote                         string
	Log                                []htmlEvent
	Capture                            string // link to the capture
	CaptureName                        string
	FieldDesc                          template.JS // field name → description, for the fields shown
	CSS                                template.CSS
	JS                                 template.JS
}

type htmlCheck struct {
	ID, Name, Kind, Status, Label string
	Points, MaxPoints             string
	Message, Hint                 string
	Evidence                      []int
	Steps                         []htmlStep
}

type htmlStep struct {
	N            int
	Name, Filter string
	Hint         string
	Frame        int
	Status       string // pass, miss, unseen
	Miss         *result.NearMiss
	Fails        []htmlFail
}

// htmlFail is a condition a near miss failed and what the frame has instead.
type htmlFail struct{ Cond, Has string }

type htmlPacket struct {
	Number                int
	Time, Src, Dst, Proto string
	Len                   int
	Info                  string
	Marks                 []htmlMark
	Look                  bool // a frame a student should look at
	Layers                []htmlLayer
	Hex                   string
	HexNote               string
	NoDetails             bool
}

type htmlMark struct{ Check, Text, Class string }

type htmlLayer struct {
	Name, Title string
	Fields      []htmlField
}

type htmlField struct{ Name, Value string }

type htmlEvent struct{ Kind, Name, Message, Class string }

// writeHTML writes the HTML report: the student view unless opt.Grader.
func writeHTML(w io.Writer, res *result.Result, opt Options) error {
	css, err := htmlAssets.ReadFile("html/report.css")
	if err != nil {
		return err
	}
	js, err := htmlAssets.ReadFile("html/report.js")
	if err != nil {
		return err
	}
	pg := &htmlPage{
		LabID: res.Lab.ID, LabTitle: res.Lab.Title,
		CSS: template.CSS(css), JS: template.JS(js),
		Notes: res.Notes,
	}
	pg.Title = res.Lab.ID
	if res.Lab.Title != "" {
		pg.Title += " — " + res.Lab.Title
	}
	pg.Submission = res.Submission.ID
	if p := res.Submission.Path; p != "" && p != pg.Submission {
		pg.Submission = strings.TrimSpace(pg.Submission + " (" + p + ")")
	}

	// The checks the reader sees (WriteOptions gave the student's view
	// unless opt.Grader), and the score over them.
	shown := res.Checks
	pg.Score, pg.MaxScore = fmtPoints(res.Score), fmtPoints(res.MaxScore)
	pg.Withheld = opt.withheld.sentence()
	pg.Outcome, pg.OutcomeWords = outcomeWords(res, shown)
	if res.Exit.Reason != result.ExitOK {
		pg.Ended = endedLine(res.Exit.Reason, clean(res.Exit.Message))
		pg.Traceback = tracebackText(res.Exit.Traceback, "")
	} else if res.Submission.Path != "" || res.Duration > 0 {
		pg.Ended = "the script ended normally"
	}
	pass, fail, other := 0, 0, 0
	for _, c := range shown {
		switch c.Status {
		case result.CheckPass:
			pass++
		case result.CheckFail:
			fail++
		default:
			other++
		}
	}
	pg.Counts = fmt.Sprintf("%d passed, %d failed", pass, fail)
	if other > 0 {
		pg.Counts += fmt.Sprintf(", %d skipped or in error", other)
	}

	// Frames the shown checks point at: marks in the diagram and the list.
	marks := map[int][]htmlMark{}
	look := map[int]bool{}
	for i, c := range shown {
		hc := htmlCheck{
			ID: "check-" + strconv.Itoa(i+1), Name: c.Name, Kind: c.Kind, Status: c.Status.String(),
			Points: fmtPoints(c.Points), MaxPoints: fmtPoints(c.MaxPoints),
			Message: c.Message, Hint: c.Hint, Evidence: c.Evidence,
		}
		hc.Label = map[result.CheckStatus]string{result.CheckPass: "passed", result.CheckFail: "failed", result.CheckSkip: "skipped", result.CheckError: "error"}[c.Status]
		if len(c.Steps) > 0 {
			broke := false
			for k, st := range c.Steps {
				hs := htmlStep{N: k + 1, Name: st.Name, Filter: st.Filter, Hint: st.Hint, Frame: st.Frame, Miss: st.Miss, Status: "pass"}
				switch {
				case st.Frame != 0:
					text := "step " + strconv.Itoa(k+1)
					if st.Name != "" {
						text += ": " + st.Name
					}
					cls := "ok"
					if c.Status != result.CheckPass {
						cls = "part"
					}
					marks[st.Frame] = append(marks[st.Frame], htmlMark{Check: c.Name, Text: text, Class: cls})
				case !broke:
					broke = true
					hs.Status = "miss"
					if st.Miss != nil {
						for j, f := range st.Miss.Failed {
							hf := htmlFail{Cond: f}
							if j < len(st.Miss.Has) {
								hf.Has = st.Miss.Has[j]
							}
							hs.Fails = append(hs.Fails, hf)
						}
					}
					if st.Miss != nil && st.Miss.Frame != 0 {
						marks[st.Miss.Frame] = append(marks[st.Miss.Frame], htmlMark{Check: c.Name, Text: "nearest miss for step " + strconv.Itoa(k+1), Class: "bad"})
						look[st.Miss.Frame] = true
					}
				default:
					hs.Status = "unseen"
				}
				hc.Steps = append(hc.Steps, hs)
			}
		} else {
			for _, n := range c.Evidence {
				switch c.Status {
				case result.CheckPass:
					marks[n] = append(marks[n], htmlMark{Check: c.Name, Class: "ok"})
				default:
					marks[n] = append(marks[n], htmlMark{Check: c.Name, Class: "bad"})
					look[n] = true
				}
			}
		}
		pg.Checks = append(pg.Checks, hc)
	}

	// The capture: the flow diagram and the packet list.
	if path := res.Artifacts.Capture; path != "" {
		pg.CaptureName = filepath.Base(path)
		pg.Capture = captureHref(res, opt)
		pkts, total, err := readFirst(res.Artifacts, maxHTMLFrames)
		if err != nil && total == 0 {
			pg.PacketNote = fmt.Sprintf("the capture could not be read: %v", err)
		} else {
			if err != nil {
				pg.PacketNote = fmt.Sprintf("the capture is damaged after frame %d: %v", total, err)
			}
			pg.Flow, pg.Frames, pg.FlowNote = flowSVG(pkts, total, marks, look)
			pg.Packets = packetList(pkts, marks, look)
			pg.FieldDesc = fieldDescriptions(pg.Packets)
			if total > maxHTMLFrames {
				pg.PacketNote = strings.TrimSpace(pg.PacketNote + fmt.Sprintf(" The first %d of %d frames are shown; open %s in Wireshark for the rest.", maxHTMLFrames, total, pg.CaptureName))
			}
		}
	}

	// What the script printed, and the lab's log.
	switch {
	case res.Output.Absent:
		pg.OutputNote = "no output file was given"
	case res.Output.Length == 0:
		pg.OutputNote = "the script printed nothing"
	default:
		pg.Output = res.Output.Text
		if res.Output.Truncated {
			pg.OutputNote = fmt.Sprintf("the first %d of %d bytes", len(res.Output.Text), res.Output.Length)
		}
	}
	pg.Log = readLog(res.Artifacts.Events)
	return htmlTemplate.Execute(w, pg)
}

// outcomeWords says how the run went, in a class name and a sentence.
func outcomeWords(res *result.Result, shown []result.CheckResult) (string, string) {
	failed := 0
	for _, c := range shown {
		if c.Status != result.CheckPass {
			failed++
		}
	}
	switch {
	case res.Status == result.StatusTimeout:
		return "timeout", "Out of time: the script was stopped at the lab's deadline and graded on what it had sent."
	case res.Status == result.StatusError:
		return "error", "Not graded completely: " + res.Reason
	case res.Status == result.StatusLabError:
		return "error", "The lab itself failed, not your submission: " + strings.TrimSuffix(res.Reason, ".") + ". It will be graded again."
	case res.Status == result.StatusNotGraded:
		return "error", "Not graded: " + res.Reason
	case res.Exit.Reason != result.ExitOK && res.Exit.Reason != result.ExitError:
		return "stopped", "Stopped: " + exitLine(res.Exit.Reason, clean(res.Exit.Message)) + "."
	case failed == 0 && len(shown) > 0:
		return "passed", "Passed: every check shown passed."
	case failed == 0:
		return "passed", "Passed."
	}
	return "failed", fmt.Sprintf("Not yet: %d of %d %s did not pass.", failed, len(shown), words.Plural(len(shown), "check", "checks"))
}

// captureHref links the capture: by its name when the report is written into
// the run's folder beside it, else by its path.
func captureHref(res *result.Result, opt Options) string {
	path := res.Artifacts.Capture
	dir := opt.Dir
	if dir == "" {
		dir = res.Artifacts.Dir
	}
	if dir != "" {
		if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	if abs, err := filepath.Abs(path); err == nil {
		return "file://" + filepath.ToSlash(abs)
	}
	return filepath.ToSlash(path)
}

// maxLogLines bounds the lab log lines a report shows.
const maxLogLines = 200

// readLog reads the lab's log lines (lab.log, lab.check, the lab's services)
// from events.jsonl.
func readLog(path string) []htmlEvent {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []htmlEvent
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() && len(out) < maxLogLines {
		var e lualib.Event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		cls := "log"
		switch {
		case e.Kind == "check" && e.OK:
			cls = "ok"
		case e.Kind == "check" || (e.Kind == "service" && !e.OK):
			cls = "bad"
		}
		out = append(out, htmlEvent{Kind: e.Kind, Name: e.Name, Message: clean(e.Message), Class: cls})
	}
	return out
}

// Flow diagram geometry, in SVG user units (pixels at 100%).
const (
	flowLeft  = 118 // frame number and time
	flowCol   = 190 // between two hosts' lifelines
	flowTop   = 58  // host names
	flowRow   = 30
	flowMarkW = 360 // check names on the right
)

// readFirst reads the capture as the evaluation numbered it (without the
// frames the lab's capture filter drops, when the capture holds some),
// decodes the first n frames and counts the rest without keeping them, so a
// report on a huge capture holds only what it shows. It returns the frames,
// how many there are before the end or the damage, and the error that
// stopped reading (nil at the end).
func readFirst(art result.Artifacts, n int) ([]*capture.Packet, int, error) {
	var keep capture.FrameFilter
	if art.CaptureFilter != "" {
		f, err := capture.CompileCapture(art.CaptureFilter)
		if err != nil {
			return nil, 0, fmt.Errorf("capture filter %q: %w", art.CaptureFilter, err)
		}
		keep = capture.NewFrameFilter(f)
	}
	src, err := capture.OpenFile(art.Capture)
	if err != nil {
		return nil, 0, err
	}
	defer src.Close()
	dec := capture.NewDecoder()
	var pkts []*capture.Packet
	total := 0
	for {
		fr, err := src.Next()
		if err == io.EOF {
			return pkts, total, nil
		}
		if err != nil {
			return pkts, total, err
		}
		if keep != nil && !keep(fr) {
			continue
		}
		total++
		if len(pkts) < n {
			pkts = append(pkts, dec.Decode(fr))
		}
	}
}

// flowSVG draws the frames as Wireshark's Flow Graph does: a column per host
// (address, or address:port when hosts share an address, as on one loopback),
// time going down, one arrow per frame from its source to its destination
// labelled with the application summary, a text payload's first line or the
// TCP flags. Frames a check points at carry the check's name on the right.
func flowSVG(pkts []*capture.Packet, total int, marks map[int][]htmlMark, look map[int]bool) (template.HTML, int, string) {
	n := min(len(pkts), maxHTMLFrames)
	if n == 0 {
		return "", 0, "the capture holds no frames"
	}
	note := ""
	if total > n {
		note = fmt.Sprintf("The diagram shows the first %d of %d frames.", n, total)
	}
	pkts = pkts[:n]
	byPort := false
	for _, p := range pkts {
		s, d := flowAddr(p)
		if s != "" && s == d {
			byPort = true
			break
		}
	}
	key := func(p *capture.Packet) (string, string) {
		s, d := flowAddr(p)
		if byPort {
			if ps := portOf(p, "src"); ps != "" {
				s += ":" + ps
			}
			if pd := portOf(p, "dst"); pd != "" {
				d += ":" + pd
			}
		}
		if s == "" {
			s = "?"
		}
		if d == "" {
			d = "?"
		}
		return s, d
	}
	col := map[string]int{}
	var cols []string
	for _, p := range pkts {
		s, d := key(p)
		for _, h := range []string{s, d} {
			if _, ok := col[h]; !ok {
				col[h] = len(cols)
				cols = append(cols, h)
			}
		}
	}
	width := flowLeft + flowCol*len(cols) + flowMarkW
	height := flowTop + flowRow*n + 20
	x := func(c int) int { return flowLeft + flowCol*c + flowCol/2 }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="flow-svg" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="flow diagram of %d frames">`, width, height, width, height, n)
	b.WriteString(`<defs><marker id="ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>`)
	fmt.Fprintf(&b, `<text class="colhead" x="%d" y="22">frame</text><text class="colhead" x="%d" y="40">time (s)</text>`, 8, 8)
	for i, h := range cols {
		fmt.Fprintf(&b, `<text class="host" x="%d" y="28">%s</text>`, x(i), html.EscapeString(cut(h, 28)))
		fmt.Fprintf(&b, `<line class="life" x1="%d" y1="40" x2="%d" y2="%d"/>`, x(i), x(i), height-6)
	}
	for i, p := range pkts {
		y := flowTop + flowRow*i + flowRow/2
		s, d := key(p)
		x1, x2 := x(col[s]), x(col[d])
		cls := "arrow"
		if len(marks[p.Number]) > 0 {
			cls += " marked"
		}
		if look[p.Number] {
			cls += " look"
		}
		fmt.Fprintf(&b, `<a href="#frame-%d"><g class="%s" data-frame="%d">`, p.Number, cls, p.Number)
		fmt.Fprintf(&b, `<rect class="hit" x="0" y="%d" width="%d" height="%d"/>`, y-flowRow/2, width, flowRow)
		fmt.Fprintf(&b, `<text class="num" x="8" y="%d">%d</text><text class="time" x="44" y="%d">%.6f</text>`, y+4, p.Number, y+4, p.Relative.Seconds())
		label := flowLabel(p)
		if x1 == x2 { // to itself: a short loop
			fmt.Fprintf(&b, `<path class="line" d="M%d,%d h24 v10 h-22" marker-end="url(#ah)"/>`, x1, y-6)
			fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="start">%s</text>`, x1+30, y, html.EscapeString(cut(label, 30)))
		} else {
			fmt.Fprintf(&b, `<line class="line" x1="%d" y1="%d" x2="%d" y2="%d" marker-end="url(#ah)"/>`, x1, y+4, x2, y+4)
			span := x2 - x1
			if span < 0 {
				span = -span
			}
			fmt.Fprintf(&b, `<text class="label" x="%d" y="%d">%s</text>`, (x1+x2)/2, y, html.EscapeString(cut(label, max(span/7, 8))))
			if ps, pd := portOf(p, "src"), portOf(p, "dst"); ps != "" && !byPort {
				// The ports sit beside the arrow's ends: "44705 ──SYN──▶ 7000".
				a1, a2, o := "end", "start", 5
				if x2 < x1 {
					a1, a2, o = "start", "end", -5
				}
				fmt.Fprintf(&b, `<text class="port" x="%d" y="%d" text-anchor="%s">%s</text>`, x1-o, y+8, a1, html.EscapeString(ps))
				fmt.Fprintf(&b, `<text class="port" x="%d" y="%d" text-anchor="%s">%s</text>`, x2+o, y+8, a2, html.EscapeString(pd))
			}
		}
		if ms := marks[p.Number]; len(ms) > 0 {
			fmt.Fprintf(&b, `<text class="mark %s" x="%d" y="%d">%s</text>`, ms[0].Class, flowLeft+flowCol*len(cols)+8, y+4, html.EscapeString(cut(markText(ms), 54)))
		}
		b.WriteString(`</g></a>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()), n, note
}

func pointsWord(p float64) string {
	if p == 1 {
		return "point"
	}
	return "points"
}

func markText(ms []htmlMark) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.Check
		if m.Text != "" {
			parts[i] += " · " + m.Text
		}
	}
	return strings.Join(parts, "; ")
}

// flowAddr is a frame's source and destination address: IP, else ARP's
// protocol addresses, else Ethernet.
func flowAddr(p *capture.Packet) (string, string) {
	for _, pair := range [][2]string{{"ip.src", "ip.dst"}, {"ipv6.src", "ipv6.dst"}, {"arp.src.proto_ipv4", "arp.dst.proto_ipv4"}, {"eth.src", "eth.dst"}} {
		if s, d := first(p.Strings(pair[0])), first(p.Strings(pair[1])); s != "" || d != "" {
			return s, d
		}
	}
	return "", ""
}

func portOf(p *capture.Packet, dir string) string {
	if s := first(p.Strings("tcp." + dir + "port")); s != "" {
		return s
	}
	return first(p.Strings("udp." + dir + "port"))
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// flowLabel is an arrow's label: as the text ladder's (arrowLabel), from the
// packet itself.
func flowLabel(p *capture.Packet) string {
	s := p.Summary()
	v := result.PacketView{Info: s.Info, Flags: p.TCPFlags(), Text: textLine(p)}
	label := v.Flags
	info := strings.TrimSpace(v.Info)
	switch {
	case info != "" && !strings.Contains(info, " → ") && !strings.Contains(info, "[TCP"):
		label = info
	case v.Text != "":
		label = v.Text
		if v.Flags != "" && v.Flags != "PSH, ACK" && v.Flags != "ACK" {
			label += " [" + v.Flags + "]"
		}
	case label == "":
		label = info
	}
	if label == "" {
		label = s.Protocol
	}
	return label
}

// textLine is the first line of a TCP or UDP payload when it is text.
func textLine(p *capture.Packet) string {
	for _, name := range []string{"tcp.payload", "udp.payload"} {
		f, ok := capture.Fields().Lookup(name)
		if !ok {
			continue
		}
		var buf [1]filter.Value
		vs := p.Values(buf[:0], f)
		if len(vs) == 0 || len(vs[0].B) == 0 {
			continue
		}
		b := vs[0].B
		if len(b) > 256 {
			b = b[:256]
		}
		if i := strings.IndexAny(string(b), "\r\n"); i >= 0 {
			b = b[:i]
		}
		for _, c := range string(b) {
			if c == '\uFFFD' || (c < 0x20 && c != '\t') || c == 0x7f {
				return ""
			}
		}
		return strings.TrimSpace(string(b))
	}
	return ""
}

// layerTitles are the names Wireshark's packet details give the layers.
var layerTitles = map[string]string{
	"frame": "Frame", "eth": "Ethernet II", "vlan": "802.1Q Virtual LAN", "sll": "Linux cooked capture",
	"arp": "Address Resolution Protocol", "ip": "Internet Protocol Version 4", "ipv6": "Internet Protocol Version 6",
	"tcp": "Transmission Control Protocol", "udp": "User Datagram Protocol", "icmp": "Internet Control Message Protocol",
	"icmpv6": "Internet Control Message Protocol v6", "dns": "Domain Name System", "http": "Hypertext Transfer Protocol",
	"data": "Data",
}

// packetList is the packet list with, for the frames that get them, their
// details (layers and fields, with Wireshark's names) and bytes.
func packetList(pkts []*capture.Packet, marks map[int][]htmlMark, look map[int]bool) []htmlPacket {
	n := min(len(pkts), maxHTMLFrames)
	out := make([]htmlPacket, n)
	fields := capture.Fields().Fields()
	var vals []filter.Value
	for i, p := range pkts[:n] {
		s := p.Summary()
		hp := htmlPacket{Number: p.Number, Time: strconv.FormatFloat(p.Relative.Seconds(), 'f', 6, 64),
			Src: s.Source, Dst: s.Destination, Proto: s.Protocol, Len: p.Len, Info: s.Info,
			Marks: marks[p.Number], Look: look[p.Number]}
		if ps, pd := portOf(p, "src"), portOf(p, "dst"); ps != "" && pd != "" {
			hp.Src += ":" + ps
			hp.Dst += ":" + pd
		}
		if i >= maxHTMLDetails && len(marks[p.Number]) == 0 {
			hp.NoDetails = true
			out[i] = hp
			continue
		}
		byLayer := map[string]*htmlLayer{}
		var order []string
		for _, f := range fields {
			vals = p.Values(vals[:0], f)
			if len(vals) == 0 {
				continue
			}
			layer, _, _ := strings.Cut(f.Name, ".")
			l := byLayer[layer]
			if l == nil {
				l = &htmlLayer{Name: layer, Title: layerTitles[layer]}
				if l.Title == "" {
					l.Title = strings.ToUpper(layer)
				}
				byLayer[layer] = l
				order = append(order, layer)
			}
			if f.Type == filter.None && !strings.Contains(f.Name, ".") {
				continue // the layer itself
			}
			strs := make([]string, len(vals))
			for k, v := range vals {
				strs[k] = capture.Format(f, v)
			}
			if s := p.Strings(f.Name); len(s) == len(vals) && (f.Name == "frame.time_epoch" || f.Name == "frame.time_relative") {
				strs = s
			}
			l.Fields = append(l.Fields, htmlField{Name: f.Name, Value: cut(clean(strings.Join(strs, ", ")), maxFieldValue)})
		}
		// Layers in the frame's protocol order (frame.protocols), the rest after.
		rank := map[string]int{"frame": -1}
		for k, pr := range strings.Split(first(p.Strings("frame.protocols")), ":") {
			if _, ok := rank[pr]; !ok {
				rank[pr] = k
			}
		}
		sort.SliceStable(order, func(a, b int) bool {
			ra, oka := rank[order[a]]
			rb, okb := rank[order[b]]
			if !oka {
				ra = 1000
			}
			if !okb {
				rb = 1000
			}
			return ra < rb
		})
		for _, name := range order {
			hp.Layers = append(hp.Layers, *byLayer[name])
		}
		hp.Hex, hp.HexNote = hexDump(p.Data)
		out[i] = hp
	}
	return out
}

// fieldDescriptions maps the names of the fields the packet details show to
// their descriptions, as JSON: the page's script adds them as a column when a
// packet is opened, so each is written once, not once per packet.
func fieldDescriptions(pkts []htmlPacket) template.JS {
	desc := map[string]string{}
	reg := capture.Fields()
	for _, p := range pkts {
		for _, l := range p.Layers {
			for _, f := range l.Fields {
				if _, ok := desc[f.Name]; ok {
					continue
				}
				if fd, ok := reg.Lookup(f.Name); ok {
					desc[f.Name] = fd.Desc
				}
			}
		}
	}
	b, _ := json.Marshal(desc)
	// Inside <script>, "</" must not appear: json.Marshal already writes < as
	// \u003c.
	return template.JS(b)
}

// hexDump is Wireshark's packet bytes pane: offset, 16 bytes in hex, and the
// bytes as ASCII with a dot for the rest.
func hexDump(data []byte) (string, string) {
	note := ""
	if len(data) > maxHTMLBytes {
		note = fmt.Sprintf("the first %d of %d bytes", maxHTMLBytes, len(data))
		data = data[:maxHTMLBytes]
	}
	var b strings.Builder
	const digits = "0123456789abcdef"
	for off := 0; off < len(data); off += 16 {
		row := data[off:min(off+16, len(data))]
		fmt.Fprintf(&b, "%04x  ", off)
		for i := 0; i < 16; i++ {
			if i == 8 {
				b.WriteByte(' ')
			}
			if i < len(row) {
				b.WriteByte(digits[row[i]>>4])
				b.WriteByte(digits[row[i]&15])
				b.WriteByte(' ')
			} else {
				b.WriteString("   ")
			}
		}
		b.WriteByte(' ')
		for _, c := range row {
			if c >= 0x20 && c < 0x7f {
				b.WriteByte(c)
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteByte('\n')
	}
	return b.String(), note
}
