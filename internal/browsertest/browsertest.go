// Package browsertest renders wirelab's HTML pages (the run report, the class
// dashboard) in a real headless Chromium for tests: DOM assertions, console
// errors and screenshots. Without a Chromium a test skips, except in CI
// (CI=true), where it fails: there the pages must have been seen rendered.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds the Chromium binary: $WIRELAB_CHROMIUM, else Debian's chromium
// (or chromium-browser, google-chrome) on $PATH. It returns "" when none is.
func chromiumPath() string {
	if p := os.Getenv("WIRELAB_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is one headless Chromium with a fresh profile.
type Browser struct {
	ctx    context.Context
	cancel func()
}

// New starts a headless Chromium for t, stopped when t ends. It skips t when
// no Chromium is installed, and fails it when CI is set.
func New(t testing.TB) *Browser {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no chromium on this machine, and CI is set: the HTML pages must be rendered in CI (apt-get install chromium; .ci/run installs it)")
		}
		t.Skip("no chromium: install it (apt-get install chromium) or set WIRELAB_CHROMIUM to render the HTML pages")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // root in CI; the pages are our own
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// Start the browser now, so a broken install fails here with its error.
	// The first action allocates the browser for the context it is given, and
	// the browser lives as long as that context: give it ctx itself.
	timer := time.AfterFunc(60*time.Second, cancel)
	err := chromedp.Do(ctx, chromedp.Navigate("about:blank"))
	timer.Stop()
	if err != nil {
		cancel()
		acancel()
		t.Fatalf("starting %s: %v", bin, err)
	}
	b := &Browser{ctx: ctx, cancel: func() { cancel(); acancel() }}
	t.Cleanup(b.cancel)
	return b
}

// Page is one tab showing one page.
type Page struct {
	t      testing.TB
	ctx    context.Context
	cancel func()
	mu     sync.Mutex
	errs   []string
}

// Open loads url (a file:// URL or a test server's) in a new tab with a
// viewport of width by height CSS pixels, and waits until it has loaded.
// Console errors, uncaught exceptions and failed loads are collected for
// ConsoleErrors.
func (b *Browser) Open(t testing.TB, url string, width, height int64) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	ctx, tcancel := context.WithTimeout(ctx, 4*time.Minute)
	p := &Page{t: t, ctx: ctx, cancel: func() { tcancel(); cancel() }}
	t.Cleanup(p.cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleType("assert") {
				p.mu.Lock()
				p.errs = append(p.errs, fmt.Sprintf("%s %s:%d: %s", m.Type, m.URL, m.Line+1, m.Text))
				p.mu.Unlock()
			}
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("loading %s: %v", url, err)
	}
	return p
}

// Do runs actions on the page, failing the test on an error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("in the browser: %v", err)
	}
}

// Eval evaluates a JavaScript expression and returns its value as T.
func Eval[T any](p *Page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// Count is the number of elements the CSS selector matches.
func (p *Page) Count(selector string) int {
	p.t.Helper()
	return Eval[int](p, fmt.Sprintf("document.querySelectorAll(%q).length", selector))
}

// ConsoleErrors returns the errors the page logged or threw so far. It waits
// a moment for late events to arrive.
func (p *Page) ConsoleErrors() []string {
	p.Do(chromedp.Sleep(200 * time.Millisecond))
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errs...)
}

// Screenshot writes a PNG of the whole page to path.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// ArtifactDir is where tests keep screenshots: $WIRELAB_ARTIFACTS/name when
// that is set (CI keeps it), else a folder removed with the test.
func ArtifactDir(t testing.TB, name string) string {
	t.Helper()
	base := os.Getenv("WIRELAB_ARTIFACTS")
	if base == "" {
		return t.TempDir()
	}
	dir := filepath.Join(base, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// FileURL is the file:// URL of a local path.
func FileURL(t testing.TB, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(abs)
}

// WaitTrue waits up to timeout for the JavaScript expression to be true and
// reports whether it became so: an event handler (a hashchange) runs after
// the click that caused it.
func (p *Page) WaitTrue(js string, timeout time.Duration) bool {
	p.t.Helper()
	ok, err := chromedp.Run(p.ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(timeout)))
	return err == nil && ok
}
