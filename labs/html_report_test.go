package labs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/internal/browsertest"
	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// maxReportSize bounds a catalogue lab's report.html: a few hundred KB.
const maxReportSize = 400 << 10

// TestCatalogueReportsInBrowser runs every catalogue lab's reference solution
// and recorded submissions and renders each run's report.html in headless
// Chromium: it loads without console errors, its flow diagram has one arrow
// per frame of the run's capture, no hidden check's name is on the page (nor
// in the file), every failed sequence check shows a nearest miss, and clicking
// an arrow opens that frame's details. A screenshot of each is kept (set
// WIRELAB_ARTIFACTS to keep them past the test).
func TestCatalogueReportsInBrowser(t *testing.T) {
	needSandbox(t)
	if testing.Short() {
		t.Skip("-short: the catalogue runs take a while")
	}
	b := browsertest.New(t)
	shots := browsertest.ArtifactDir(t, "catalogue-reports")
	type job struct{ lab, name, sub string }
	var jobs []job
	for _, dir := range catalogue(t) {
		jobs = append(jobs, job{dir, "solution", ""})
		for _, ref := range references(t, dir) {
			jobs = append(jobs, job{dir, filepath.Base(ref), ref})
		}
		for _, s := range submissions(t, dir) {
			jobs = append(jobs, job{dir, s.name, s.script})
		}
	}
	sem := make(chan struct{}, 3)
	var mu sync.Mutex
	loaded := map[string]*runner.Lab{}
	for _, j := range jobs {
		t.Run(j.lab+"/"+j.name, func(t *testing.T) {
			t.Parallel()
			needTools(t, j.sub)
			sem <- struct{}{}
			defer func() { <-sem }()
			mu.Lock()
			lab, ok := loaded[j.lab]
			if !ok {
				var err error
				if lab, err = runner.Load(j.lab); err != nil {
					mu.Unlock()
					t.Fatal(err)
				}
				loaded[j.lab] = lab
			}
			mu.Unlock()
			dir := t.TempDir()
			run, err := runner.Run(context.Background(), lab, runner.RunOptions{Submission: j.sub, Dir: dir, Isolation: sandbox.IsolationNamespace})
			if err != nil {
				t.Fatalf("the run could not be carried out: %v", err)
			}
			res := run.Result
			path := filepath.Join(dir, runner.HTMLFile)
			page, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("the run left no report.html: %v", err)
			}
			if len(page) > maxReportSize {
				t.Errorf("report.html is %d KB, more than %d KB", len(page)>>10, maxReportSize>>10)
			}
			frames := 0
			if res.Artifacts.Capture != "" {
				pkts, err := capture.ReadFile(res.Artifacts.Capture)
				if err != nil {
					t.Fatal(err)
				}
				frames = len(pkts)
			}
			var hidden []string
			failedSeq := 0
			for _, c := range res.Checks {
				if c.Visibility != result.Visible {
					hidden = append(hidden, c.Name)
					continue
				}
				if c.Kind == runner.KindSequence && c.Status == result.CheckFail {
					failedSeq++
				}
			}
			for _, name := range hidden {
				if strings.Contains(string(page), name) {
					t.Errorf("report.html names hidden check %q", name)
				}
			}

			p := b.Open(t, browsertest.FileURL(t, path), 1280, 900)
			arrows := p.Count("#flow-svg .arrow")
			// A large capture (a port scan) is drawn up to a bound the page names.
			drawn := browsertest.Eval[int](p, `+(document.getElementById("flowbox") || {dataset: {frames: 0}}).dataset.frames`)
			switch {
			case arrows != drawn:
				t.Errorf("%d arrows, but the page says it draws %d", arrows, drawn)
			case drawn < frames && !strings.Contains(string(page), fmt.Sprintf("first %d of %d frames", drawn, frames)):
				t.Errorf("%d arrows for %d frames, and the page does not say why", arrows, frames)
			case drawn > frames || (drawn < frames && drawn < 200):
				t.Errorf("%d arrows, want one per frame (the capture has %d)", arrows, frames)
			}
			if n := p.Count("details.pkt"); n != arrows {
				t.Errorf("%d packets listed, %d arrows drawn", n, arrows)
			}
			if n := p.Count("article.check"); n != len(res.Checks)-len(hidden) {
				t.Errorf("%d checks on the page, want %d", n, len(res.Checks)-len(hidden))
			}
			if n := p.Count("tr.step.miss .miss"); n != failedSeq {
				t.Errorf("%d nearest misses on the page, want one per failed sequence check (%d)", n, failedSeq)
			}
			text := browsertest.Eval[string](p, "document.body.innerText")
			for _, name := range hidden {
				if strings.Contains(text, name) {
					t.Errorf("hidden check %q is on the page", name)
				}
			}
			if arrows > 0 {
				n := browsertest.Eval[int](p, `(() => { const a = document.querySelectorAll("#flow-svg .arrow"); return +a[a.length-1].dataset.frame })()`)
				p.Do(chromedp.ScrollIntoView(chromedp.CSS(fmt.Sprintf(`#flow-svg .arrow[data-frame="%d"] .label`, n))),
					chromedp.Click(chromedp.CSS(fmt.Sprintf(`#flow-svg .arrow[data-frame="%d"] .label`, n))))
				if !p.WaitTrue(fmt.Sprintf(`document.getElementById("frame-%d").open`, n), 10*time.Second) {
					t.Errorf("clicking frame %d's arrow did not open its details", n)
				}
			}
			if errs := p.ConsoleErrors(); len(errs) > 0 {
				t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
			}
			p.Screenshot(filepath.Join(shots, filepath.Base(j.lab)+"-"+j.name+".png"))
			t.Logf("%s: %d KB, %d frames", path, len(page)>>10, frames)
		})
	}
}
