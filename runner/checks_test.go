package runner

import (
	"context"
	"github.com/wirelab-dev/wirelab/runner/result"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// loadText loads a lab from YAML text, with extra files beside it.
func loadText(t *testing.T, text string, files map[string]string) *Lab {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(text), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

func TestOutputAndExitChecks(t *testing.T) {
	lab := loadText(t, `lab: out
checks:
  - {name: contains, output: {contains: [hello, world]}}
  - {name: contains fails, output: {contains: goodbye}}
  - {name: short form, output: "hello"}
  - {name: not_contains, output: {not_contains: error}}
  - {name: not_contains fails, output: {not_contains: world}}
  - {name: matches, output: {matches: "(?m)^status [0-9]{3}$"}}
  - {name: equals, output: {equals: "hello world\nstatus 200\nbye now"}}
  - {name: equals fails, output: {equals: "hello"}}
  - {name: lines, output: {lines: [status 200, hello world], ordered: false}}
  - {name: lines ordered fails, output: {lines: [status 200, hello world], ordered: true}}
  - {name: lines ordered, output: {lines: [hello world, bye now], ordered: true}}
  - {name: exit ok fails, exit: ok}
  - {name: exit error, exit: error}
  - {name: exit text, exit: "nil value"}
  - {name: exit timeout fails, exit: timeout}
  - name: skipped
    requires: [contains fails]
    output: {contains: hello}
`, nil)
	out := writeFile(t, "out", "hello world\nstatus 200\nbye now\n")
	res := evalLab(t, lab, result.Artifacts{Output: out, Exit: result.Exit{Reason: result.ExitError, Message: "x.lua:3: attempt to index a nil value"}})
	for _, c := range res.Checks {
		want := result.CheckPass
		switch {
		case strings.HasSuffix(c.Name, "fails"):
			want = result.CheckFail
		case c.Name == "skipped":
			want = result.CheckSkip
		}
		if c.Status != want {
			t.Errorf("%s: %s (%s), want %s", c.Name, c.Status, c.Message, want)
		}
		if c.Status != result.CheckPass && c.Points != 0 {
			t.Errorf("%s: %v points without passing", c.Name, c.Points)
		}
	}
	if got := checkByName(t, res, "lines ordered fails").Message; got != `the output has no line "hello world" after line 2` {
		t.Errorf("message %q", got)
	}
}

func TestLuaChecks(t *testing.T) {
	pcap := corpus(t, "captures/http-get.pcap")
	defer func(d, g time.Duration) { luaTimeout, luaGrace = d, g }(luaTimeout, luaGrace)
	luaTimeout, luaGrace = 2*time.Second, time.Second
	lab := loadText(t, `lab: lua
submission:
  args: {port: 80}
checks:
  - {name: counts, lua: "checks.lua:counts"}
  - {name: partial, points: 4, lua: "checks.lua:partial"}
  - {name: fails, lua: "checks.lua:fails"}
  - {name: raises, lua: "checks.lua:raises"}
  - {name: spins, lua: "checks.lua:spins"}
  - {name: backtracks, lua: "checks.lua:backtracks"}
  - {name: bad filter, lua: "checks.lua:bad_filter"}
  - {name: missing, lua: "checks.lua:nope"}
  - {name: bad return, lua: "checks.lua:bad_return"}
  - {name: context, lua: "checks.lua:context"}
`, map[string]string{"checks.lua": `
function counts(ctx)
  local n = 0
  for p in ctx.packets("tcp.dstport == " .. ctx.args.port) do n = n + 1 end
  return n == 12, n .. " packets to the server"
end
function partial(ctx) return false, "half", 2 end
function fails(ctx) return false, "nope" end
nope = 42 -- not a function: the loader cannot tell without running, the check can
function raises(ctx) error("boom") end
function spins(ctx) while true do end end
-- Lua patterns backtrack; string.find stops at the check's deadline.
function backtracks(ctx) return string.rep("a", 3000):find(string.rep("a-", 6) .. "b") end
function bad_filter(ctx) for p in ctx.packets("tcp.prot == 1") do end end
function bad_return(ctx) return "yes" end
function context(ctx)
  local first
  for p in ctx.packets() do first = p break end
  if first.number ~= 1 or first["tcp.dstport"] ~= 80 or first["tcp.flags.syn"] ~= 1 then
    return false, "first packet: " .. tostring(first["tcp.dstport"])
  end
  if not first.line:find("SYN") then return false, first.line end
  if ctx.output ~= "done\n" then return false, "output " .. ctx.output end
  if #ctx.events ~= 1 or ctx.events[1].name ~= "step" or not ctx.events[1].ok then return false, "events" end
  return true, "context ok"
end
`})
	out := writeFile(t, "out", "done\n")
	events := writeFile(t, "events.jsonl", `{"time":"2026-01-01T00:00:00Z","kind":"check","name":"step","ok":true}`+"\nnot json\n")
	// No bound on the evaluation's time: the spin and the backtrack are
	// stopped at 2 s of CPU time, which a loaded machine stretches.
	res, err := Evaluate(context.Background(), lab, result.Artifacts{Capture: pcap, Output: out, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status result.CheckStatus
		points float64
		msg    string
	}{
		"counts":     {result.CheckPass, 1, "12 packets to the server"},
		"partial":    {result.CheckFail, 2, "half"},
		"fails":      {result.CheckFail, 0, "nope"},
		"raises":     {result.CheckError, 0, "boom"},
		"spins":      {result.CheckError, 0, "took longer than 2s"},
		"backtracks": {result.CheckError, 0, "took longer than 2s and was stopped"},
		"bad filter": {result.CheckError, 0, "tcp.prot"},
		"missing":    {result.CheckError, 0, "checks.lua defines no function nope"},
		"bad return": {result.CheckError, 0, "returned string"},
		"context":    {result.CheckPass, 1, "context ok"},
	}
	for _, c := range res.Checks {
		w := want[c.Name]
		if c.Status != w.status || c.Points != w.points || !strings.Contains(c.Message, w.msg) {
			t.Errorf("%s: %s %v %q, want %s %v %q", c.Name, c.Status, c.Points, c.Message, w.status, w.points, w.msg)
		}
	}
	if res.Status != result.StatusLabError {
		t.Errorf("status %s, want lab-error", res.Status)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "1 lines") {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestLuaCheckCancelled: cancelling the evaluation does not wait for a lua
// check stuck in a Go built-in (a backtracking find that would run for ages)
// until its time limit (an hour here): that Evaluate returns at all, and says
// cancelled, is the stop; the minute is a hang guard, not a timing. A cancel
// that lands while the check worker is still starting (a loaded machine) is
// tried again later.
func TestLuaCheckCancelled(t *testing.T) {
	defer func(d, g time.Duration) { luaTimeout, luaGrace = d, g }(luaTimeout, luaGrace)
	luaTimeout, luaGrace = time.Hour, time.Second
	lab := loadText(t, "lab: c\nchecks:\n  - {name: backtracks, lua: \"checks.lua:backtracks\"}\n", map[string]string{"checks.lua": `
function backtracks(ctx) return string.rep("a", 3000):find(string.rep("a-", 6) .. "b") end
`})
	for _, after := range []time.Duration{100 * time.Millisecond, time.Second, 5 * time.Second, 20 * time.Second} {
		ctx, cancel := context.WithTimeout(context.Background(), after)
		type evaluated struct {
			res *result.Result
			err error
		}
		done := make(chan evaluated, 1)
		go func() {
			res, err := Evaluate(ctx, lab, result.Artifacts{})
			done <- evaluated{res, err}
		}()
		var ev evaluated
		select {
		case ev = <-done:
		case <-time.After(time.Minute + after):
			t.Fatalf("the evaluation cancelled after %v still runs a minute later", after)
		}
		cancel()
		if ev.err != nil {
			t.Fatal(ev.err)
		}
		c := ev.res.Checks[0]
		if strings.Contains(c.Message, "cannot start the check's sandbox") {
			t.Logf("cancelled after %v, before the check started: %q", after, c.Message)
			continue
		}
		if c.Status != result.CheckError || !strings.Contains(c.Message, "cancelled") {
			t.Errorf("%s %q, want an error saying the evaluation was cancelled", c.Status, c.Message)
		}
		return
	}
	t.Fatal("the check worker never started before the cancel")
}

// TestLuaCheckPackets: ctx.packets hands out the capture module's packets, so
// a lua check reads fields as a student's script does: numbers for every
// numeric field (tcp.flags is 2, not tshark's "0x0002"), true for a protocol,
// p:field, p:fields and p:matches besides p.line and p:values.
func TestLuaCheckPackets(t *testing.T) {
	pcap := corpus(t, "captures/http-get.pcap")
	lab := loadText(t, "lab: pk\nchecks:\n  - {name: packet, lua: \"checks.lua:packet\"}\n", map[string]string{"checks.lua": `
function packet(ctx)
  local p = ctx.packets("tcp.flags.syn == 1")()
  local want = {
    {"tcp.flags", p["tcp.flags"], 2},
    {"ip.flags", p["ip.flags"], 2},
    {"eth.type", p["eth.type"], 2048},
    {"tcp", p.tcp, true},
    {"field", p:field("tcp.dstport"), 80},
    {"fields", p:fields("tcp.port")[2], 80},
    {"values", p:values("tcp.flags")[1], 2},
    {"matches", p:matches("tcp.dstport == 80"), true},
    {"summary", p.summary, p.line},
  }
  for _, w in ipairs(want) do
    if w[2] ~= w[3] then return false, w[1] .. " is " .. tostring(w[2]) end
  end
  return true, "ok"
end
`})
	res := evalLab(t, lab, result.Artifacts{Capture: pcap})
	if c := res.Checks[0]; c.Status != result.CheckPass {
		t.Errorf("%s %q", c.Status, c.Message)
	}
}

// TestDamagedCapture: a capture cut short is graded on the packets before the
// damage, with a note.
func TestDamagedCapture(t *testing.T) {
	b, err := os.ReadFile(corpus(t, "captures/http-get.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	cut := writeFile(t, "cut.pcap", string(b[:len(b)-30]))
	lab := loadText(t, "lab: cut\nchecks:\n  - {name: syn, packet: tcp.flags.syn == 1}\n  - {name: no rst, none: tcp.flags.reset == 1}\n", nil)
	res := evalLab(t, lab, result.Artifacts{Capture: cut})
	if res.Packets != 21 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "damaged") {
		t.Errorf("packets %d notes %q", res.Packets, res.Notes)
	}
	if res.Status != result.StatusPassed {
		t.Errorf("status %s", res.Status)
	}
}

// TestCaptureFilterApplied: a recorded capture is graded on what the lab's
// capture filter keeps, numbered as a live capture with that filter numbers
// them (148df2d).
func TestCaptureFilterApplied(t *testing.T) {
	pcap := buildCapture(t, []seg{
		{0, 5353, true, "U", 0, 0, "noise"},
		{1 * ms, 40000, true, "S", 1, 0, ""},
		{2 * ms, 5353, true, "U", 0, 0, "noise"},
	})
	lab := loadText(t, "lab: f\ncapture:\n  filter: tcp port 80\nchecks:\n  - {name: syn, packet: tcp.flags.syn == 1}\n  - {name: no udp, none: udp}\n", nil)
	res := evalLab(t, lab, result.Artifacts{Capture: pcap})
	if res.Status != result.StatusPassed || res.Packets != 1 || !reflect.DeepEqual(res.Checks[0].Evidence, []int{1}) {
		t.Errorf("status %s packets %d evidence %v", res.Status, res.Packets, res.Checks[0].Evidence)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], `graded the 1 of 3 packets that match the lab's capture filter "tcp port 80"`) {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestEmptyMatchNamesCaptureFilter: a packet or sequence check that finds
// nothing in a lab with a capture filter says what the lab captures, since the
// packets it wants may never have been kept.
func TestEmptyMatchNamesCaptureFilter(t *testing.T) {
	pcap := corpus(t, "captures/http-get.pcap")
	for _, tc := range []struct {
		name, capture, want string
	}{
		{"filtered", "capture: {filter: tcp port 80}\n", "(of 22 packets in the capture; the lab captures only `tcp port 80`)"},
		{"unfiltered", "", "(of 22 packets in the capture)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lab := loadText(t, "lab: empty\n"+tc.capture+`checks:
  - {name: a query, packet: dns}
  - name: query and answer
    sequence: [dns.flags.response == 0, dns.flags.response == 1]
`, nil)
			res := evalLab(t, lab, result.Artifacts{Capture: pcap})
			for _, c := range res.Checks {
				if c.Status != result.CheckFail || !strings.HasSuffix(c.Message, tc.want) {
					t.Errorf("%s: %s %q, want a failure ending %q", c.Name, c.Status, c.Message, tc.want)
				}
			}
		})
	}
}
