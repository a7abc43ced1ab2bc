package runner

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// hostileLabChecks is a hostile lab's checks.lua; %d is the port of a
// listener on the grader's loopback.
const hostileLabChecks = `
function honest(ctx)
  local n = 0
  for p in ctx.packets("tcp.dstport == 80") do n = n + 1 end
  return n == 12, n .. " packets to the server"
end
function hog(ctx)
  local t, s = {}, "x"
  for i = 1, 31 do s = s .. s t[i] = s end -- 2 GiB held, 4 GiB made
  return true, "held " .. #s .. " bytes"
end
function leak(ctx)
  local c = socket.connect("127.0.0.1", %d)
  if c then c:send(ctx.output) c:close() end
  return true, "sent"
end
function backtrack(ctx) return ctx.output:find(string.rep("a-", 6) .. "b") end
`

// TestHostileLabChecks grades with a hostile lab's Lua checks (issue 11
// item 2): they run in the evaluation's check worker, not in the grader. A
// check that grows to gigabytes is stopped at the checks' memory cap, one
// that connects to a listener on the grader's loopback to hand it the
// student's output cannot, and one that backtracks inside string.find is
// stopped (or killed with its worker) instead of being abandoned while it
// spins; the
// honest checks around them are graded as usual. `wirelab run`, `grade` and
// `verify` all grade through Evaluate.
func TestHostileLabChecks(t *testing.T) {
	defer func(d, g time.Duration) { luaTimeout, luaGrace = d, g }(luaTimeout, luaGrace)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// Other programs on this machine may connect (a port scan): only the
	// student's output arriving counts.
	const secret = "the student's output aaaa"
	leaked := make(chan bool, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second))
				b, _ := io.ReadAll(io.LimitReader(c, 1<<20))
				if strings.Contains(string(b), secret) {
					leaked <- true
				}
			}()
		}
	}()
	files := map[string]string{"checks.lua": fmt.Sprintf(hostileLabChecks, ln.Addr().(*net.TCPAddr).Port)}
	art := result.Artifacts{Capture: corpus(t, "captures/http-get.pcap"), Output: writeFile(t, "out", secret+strings.Repeat("a", 3000))}
	grade := func(timeout time.Duration, checks ...string) []result.CheckResult {
		t.Helper()
		luaTimeout, luaGrace = timeout, time.Second
		text := "lab: hostile\nchecks:\n"
		for i, c := range checks {
			text += fmt.Sprintf("  - {name: %s %d, lua: \"checks.lua:%s\"}\n", c, i, c)
		}
		res, err := Evaluate(context.Background(), loadText(t, text, files), art)
		if err != nil {
			t.Fatal(err)
		}
		return res.Checks
	}
	// Time enough for the hog to reach the memory cap on a busy machine;
	// the backtracking check gets an evaluation of its own, with a short
	// limit.
	got := grade(60*time.Second, "honest", "hog", "leak", "honest")
	got = append(got, grade(2*time.Second, "backtrack", "honest")...)
	want := []struct {
		status result.CheckStatus
		msg    string
	}{
		{result.CheckPass, "12 packets to the server"},
		{result.CheckError, "of memory"},
		{result.CheckError, "has no network"},
		{result.CheckPass, "12 packets to the server"},
		{result.CheckError, "took longer than 2s"}, // stopped, or killed with its worker
		{result.CheckPass, "12 packets to the server"},
	}
	for i, c := range got {
		if w := want[i]; c.Status != w.status || !strings.Contains(c.Message, w.msg) {
			t.Errorf("%s: %s %q, want %s %q", c.Name, c.Status, c.Message, w.status, w.msg)
		}
	}
	select {
	case <-leaked:
		t.Error("a lab's check connected to the grader's loopback and sent the student's output")
	default:
	}
}
