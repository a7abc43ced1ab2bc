package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/internal/browsertest"
	"github.com/wirelab-dev/wirelab/internal/testcorpus"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// htmlFixture is the report fixture with its capture: http-get.pcap, which
// the fixture's Result was evaluated from.
func htmlFixture(t *testing.T) (*result.Result, string) {
	t.Helper()
	res := fixture(t)
	dir := t.TempDir()
	pcap, err := os.ReadFile(testcorpus.Path(t, "captures/http-get.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	res.Artifacts.Dir = dir
	res.Artifacts.Capture = filepath.Join(dir, "capture.pcap")
	res.Artifacts.Events = filepath.Join(dir, "events.jsonl")
	os.WriteFile(res.Artifacts.Capture, pcap, 0o644)
	os.WriteFile(res.Artifacts.Events, []byte(`{"time":"2026-11-25T12:00:01Z","kind":"log","message":"connecting to the web server"}`+"\n"+
		`{"time":"2026-11-25T12:00:02Z","kind":"check","name":"got a page","ok":false,"message":"404 <not> found"}`+"\n"), 0o644)
	return res, dir
}

func writeHTMLFile(t *testing.T, res *result.Result, dir string, opt Options) (string, string) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteOptions(&b, "html", res, opt); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b.String()
}

// TestHTMLSelfContained: the page loads nothing from anywhere (no src, no
// external href, no url(), no @import), holds what a student must see, and
// stays small.
func TestHTMLSelfContained(t *testing.T) {
	res, dir := htmlFixture(t)
	_, page := writeHTMLFile(t, res, dir, Options{})
	for _, re := range []string{`\ssrc\s*=`, `(?i)href\s*=\s*"(https?:)?//`, `url\([^#]`, `@import`, `(?i)<link[^>]+stylesheet`} {
		if m := regexp.MustCompile(re).FindString(page); m != "" {
			t.Errorf("the page loads something (%q matches %s)", m, re)
		}
	}
	for _, want := range []string{
		"server closes the second connection", "Read the whole response before you close the socket.",
		"Nearest miss:", "tcp.flags.fin is 0", `href="capture.pcap"`, "HTTP/1.0 404 Not Found",
		"connecting to the web server", "404 &lt;not&gt; found", "ended: error — ",
		"Transmission Control Protocol", "tcp.srcport", "0000  ",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if len(page) > 300<<10 {
		t.Errorf("the page is %d KB, more than 300 KB for 22 frames", len(page)>>10)
	}
}

// TestHTMLStudentView: a hidden check (and one shown only after the due date)
// is absent from the student view, its name nowhere in the page; the grader's
// view has it.
func TestHTMLStudentView(t *testing.T) {
	res, dir := htmlFixture(t)
	var hidden []string
	for _, c := range res.Checks {
		if c.Visibility != result.Visible {
			hidden = append(hidden, c.Name)
		}
	}
	if len(hidden) == 0 {
		t.Fatal("the fixture has no hidden check")
	}
	_, student := writeHTMLFile(t, res, dir, Options{})
	_, grader := writeHTMLFile(t, res, dir, Options{Grader: true})
	for _, name := range hidden {
		if strings.Contains(student, name) {
			t.Errorf("the student view names hidden check %q", name)
		}
		if !strings.Contains(grader, name) {
			t.Errorf("the grader view lacks check %q", name)
		}
	}
	if !strings.Contains(student, "2 more checks (2 points) are graded but not shown") {
		t.Error("the student view does not say that checks are withheld")
	}
}

// TestHTMLEscapes: what a submission chose (its output, a payload line, a log
// message) is text in the page, never markup.
func TestHTMLEscapes(t *testing.T) {
	res, dir := htmlFixture(t)
	res.Output.Text = "<script>alert(1)</script>\n"
	res.Exit.Message = "<img src=x onerror=alert(1)>"
	_, page := writeHTMLFile(t, res, dir, Options{})
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") {
		t.Error("submission text reached the page as markup")
	}
}

// TestHTMLInBrowser renders the report in headless Chromium: one arrow per
// frame of the capture, the hidden checks absent, clicking an arrow opens the
// frame's details, and no console errors. A screenshot is kept.
func TestHTMLInBrowser(t *testing.T) {
	res, dir := htmlFixture(t)
	path, _ := writeHTMLFile(t, res, dir, Options{})
	pkts, err := capture.ReadFile(res.Artifacts.Capture)
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	for _, vp := range []struct {
		name          string
		width, height int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(vp.name, func(t *testing.T) {
			p := b.Open(t, browsertest.FileURL(t, path), vp.width, vp.height)
			if n := p.Count("#flow-svg .arrow"); n != len(pkts) {
				t.Errorf("%d arrows in the flow diagram, want %d (the capture's frames)", n, len(pkts))
			}
			if n := p.Count("details.pkt"); n != len(pkts) {
				t.Errorf("%d packets in the list, want %d", n, len(pkts))
			}
			text := browsertest.Eval[string](p, "document.body.innerText")
			for _, c := range res.Checks {
				if c.Visibility != result.Visible && strings.Contains(text, c.Name) {
					t.Errorf("hidden check %q is on the page", c.Name)
				}
			}
			if !strings.Contains(text, "Nearest miss") {
				t.Error("no nearest miss on the page")
			}
			// Clicking frame 17's arrow (the nearest miss) opens its details.
			if browsertest.Eval[bool](p, `document.getElementById("frame-17").open`) {
				t.Fatal("frame 17's details are open before any click")
			}
			p.Do(chromedp.ScrollIntoView(chromedp.CSS(`#flow-svg .arrow[data-frame="17"] .label`)), chromedp.Click(chromedp.CSS(`#flow-svg .arrow[data-frame="17"] .label`)))
			if !p.WaitTrue(`document.getElementById("frame-17").open`, 10*time.Second) {
				t.Error("clicking frame 17's arrow did not open its details")
			}
			if browsertest.Eval[string](p, `(document.querySelector("#frame-17 .layer tr .fd") || {}).textContent || ""`) == "" {
				t.Error("the opened frame's fields have no descriptions")
			}
			// The page fits the phone's width: only the flow diagram scrolls.
			if browsertest.Eval[bool](p, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
				t.Errorf("the page is wider than a %dpx screen", vp.width)
			}
			if errs := p.ConsoleErrors(); len(errs) > 0 {
				t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
			}
			p.Screenshot(filepath.Join(browsertest.ArtifactDir(t, "report"), "fixture-"+vp.name+".png"))
		})
	}
}

// TestHTMLOutcomeWords: the page says in words how the run went, a lab's own
// failure apart from the student's.
func TestHTMLOutcomeWords(t *testing.T) {
	for _, tc := range []struct {
		status result.Status
		reason string
		want   string
	}{
		{result.StatusFailed, "", "Not yet: "},
		{result.StatusTimeout, "", "Out of time"},
		{result.StatusLabError, "the lab's service \"web\" raised an error", "The lab itself failed, not your submission"},
		{result.StatusNotGraded, "no submission file", "Not graded: no submission file"},
	} {
		res, dir := htmlFixture(t)
		res.Status, res.Reason = tc.status, tc.reason
		_, page := writeHTMLFile(t, res, dir, Options{})
		if !strings.Contains(page, tc.want) {
			t.Errorf("%s: the page does not say %q", tc.status, tc.want)
		}
	}
}
