package sandbox

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// churnScript connects to the lab's web service n times, one connection at a
// time and closes it at once, then m times with a keep-alive request, the
// status line, close. It prints how many answered, then holds h more sockets
// open at once.
const churnScript = `
local socket = require("socket")
local answered = 0
for i = 1, %d do
  assert(socket.connect("10.0.0.80", 80)):close()
end
for i = 1, %d do
  local c = assert(socket.connect("10.0.0.80", 80))
  c:settimeout(5)
  assert(c:send("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"))
  if c:receive("*l") == "HTTP/1.1 200 OK" then answered = answered + 1 end
  c:close()
end
print("answered " .. answered)
local held = {}
for i = 1, %d do held[i] = assert(socket.connect("10.0.0.80", 80)) end
print("held " .. #held)
`

// TestSocketLimitCountsOnlyTheScript (issue 11 item 6): the socket limit
// counts the submission's own sockets, where lualib opens them, not the
// connections the lab's HTTP service holds on its side nor the worker's other
// descriptors. 3000 connect/close and 300 request/close cycles, one connection
// at a time, against an http service (net/http, which accepts its own
// connections) stay under the limit whatever the service still holds, even at
// a limit of 8 (the old count of the worker's descriptors failed there about
// one run in three, and once at 64 on CI); holding one more than the limit at
// once exceeds it, on every run.
func TestSocketLimitCountsOnlyTheScript(t *testing.T) {
	web := func(c *Config) {
		c.Services = []service.Spec{{Name: "web", Kind: "http", Listen: "www.example.com:80",
			Routes: map[string]service.Route{"/": {Status: 200, Body: "hi"}}}}
	}
	for _, limit := range []int{8, 64} {
		t.Run(fmt.Sprintf("churn under %d", limit), func(t *testing.T) {
			out := run(t, fmt.Sprintf(churnScript, 3000, 300, limit), Limits{Timeout: 60 * time.Second, Sockets: limit}, web)
			if out.Exit.Reason != result.ExitOK {
				t.Fatalf("exit %+v, want ok", out.Exit)
			}
			if b, want := readFile(t, out.Output), fmt.Sprintf("answered 300\nheld %d\n", limit); b != want {
				t.Errorf("output %q, want %q", b, want)
			}
			// Every connection closed cleanly: the service resets none
			// (issue 11 item 6; see netlab's keepOrder: 0-15 RSTs a run
			// when the veths reordered a delayed ACK and the FIN).
			if n := countFrames(t, out.Capture, "tcp.flags.reset == 1 && ip.src == 10.0.0.80"); n != 0 {
				t.Errorf("the web service sent %d RSTs to a client that closed every connection cleanly", n)
			}
		})
		t.Run(fmt.Sprintf("over %d", limit), func(t *testing.T) {
			out := run(t, fmt.Sprintf(churnScript, 0, 100, limit+1), Limits{Timeout: 60 * time.Second, Sockets: limit}, web)
			if out.Exit.Reason != result.ExitSockets || !strings.Contains(out.Exit.Message, fmt.Sprintf("%d sockets", limit)) {
				t.Fatalf("exit %+v, want sockets", out.Exit)
			}
			if b := readFile(t, out.Output); !strings.HasPrefix(b, "answered 100\n") {
				t.Errorf("output %q", b)
			}
		})
	}
}

func countFrames(t *testing.T, path, filter string) int {
	t.Helper()
	f, err := capture.Compile(filter)
	if err != nil {
		t.Fatal(err)
	}
	pkts, err := capture.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range pkts {
		if f.Match(p) {
			n++
		}
	}
	return n
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
