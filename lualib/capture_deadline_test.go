package lualib

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// TestCaptureStartDeadline: capture.start gives up on a capture filter that
// is still compiling when the run's deadline comes (issue 11 item 5): a
// 64 KB filter took over 3 s past a 200 ms deadline. A compiler that never
// finishes stands in for the slow one, so the test does not depend on the
// machine's speed: before the fix it hangs. The deadline passes once the
// compiler has started, not after a fixed 100 ms: on a loaded machine those
// ran out before the script reached capture.start (it stopped on line 2).
func TestCaptureStartDeadline(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	ctx := &passingDeadline{done: make(chan struct{})}
	defer func(f func(string) (*filter.Filter, error)) { compileCapture = f }(compileCapture)
	compileCapture = func(expr string) (*filter.Filter, error) {
		ctx.pass()
		<-release
		return capture.CompileCapture(expr)
	}
	st, err := NewState(&Env{Ctx: ctx})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	done := make(chan error, 1)
	go func() {
		done <- st.DoString(`
local f = string.rep("port 80 or ", 5900) .. "port 1"
local c, err = capture.start{filter = f}
error("not stopped: " .. tostring(c) .. " " .. tostring(err))`, "start.lua")
	}()
	select {
	case err := <-done:
		// capture.start returned, and the deadline stopped the script
		// at its next instruction.
		if err == nil || !strings.Contains(err.Error(), "start.lua:4: context deadline exceeded") {
			t.Errorf("the script ended with %v, want it stopped by the deadline on line 4", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("capture.start was still compiling its filter a minute past the deadline")
	}
}

// passingDeadline is a context whose deadline passes when pass is called.
type passingDeadline struct {
	once sync.Once
	done chan struct{}
}

func (c *passingDeadline) pass()                       { c.once.Do(func() { close(c.done) }) }
func (c *passingDeadline) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *passingDeadline) Done() <-chan struct{}       { return c.done }
func (c *passingDeadline) Value(any) any               { return nil }
func (c *passingDeadline) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// TestCaptureOpenNoContents: capture.open on a file that is not a capture
// says so without showing the file's first bytes (issue 11 item 8): the
// error used to print them, so a script could read any file of the lab's
// folder four bytes at a time.
func TestCaptureOpenNoContents(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "answers.txt"), []byte("SECRET-ANSWER"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := NewState(&Env{LabDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.DoString(`local c, err = capture.open("answers.txt") got = tostring(err)`, "open.lua"); err != nil {
		t.Fatal(err)
	}
	got := st.L.GetGlobal("got").String()
	if got != "answers.txt is not a pcap or pcapng capture" {
		t.Errorf("capture.open said %q", got)
	}
	for _, leak := range []string{"SECR", "0x53", "5345"} {
		if strings.Contains(strings.ToLower(got), strings.ToLower(leak)) {
			t.Errorf("capture.open's error %q shows the file's contents", got)
		}
	}
}
