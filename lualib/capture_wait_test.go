package lualib

import (
	"io"
	"net"
	"os"
	"strings"
	"testing"
)

// TestCaptureWaitCursorDocExample runs the h:wait cursor example of
// docs/lua-api.md as it stands against a local server that accepts and says
// nothing: three connections, and three waits that return the three SYNs
// (packets 1, 4 and 7: each handshake is three packets), not the first SYN
// three times.
func TestCaptureWaitCursorDocExample(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("needs root for a live capture")
		}
		t.Skip("needs root for a live capture")
	}
	b, err := os.ReadFile("../docs/lua-api.md")
	if err != nil {
		t.Fatal(err)
	}
	var example string
	for _, blk := range strings.Split(string(b), "```lua\n")[1:] {
		code, _, _ := strings.Cut(blk, "```")
		if strings.Contains(code, "h:wait(syn, 2)") {
			example = code
		}
	}
	if example == "" {
		t.Fatal("docs/lua-api.md has no h:wait cursor example (one calling h:wait(syn, 2))")
	}
	port := probeServe(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	s, out := newTestState(t, &Env{Args: map[string]any{"host": "127.0.0.1", "port": port}})
	if err := s.DoString(example, "lua-api.md"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := "SYN 1 is packet 1\nSYN 2 is packet 4\nSYN 3 is packet 7\n3 SYNs in all\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
}
