package lualib

import (
	"net"
	"strconv"
	"sync/atomic"
	"testing"
)

// TestMaxOpen: Env.MaxOpen counts the sockets the script holds open, where
// it opens and closes them: connects that fail, sockets and listeners it
// closed, and a socket made anew for the other family do not count; one more
// than the limit held at once calls OnTooMany, once.
func TestMaxOpen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := strconv.Itoa(closed.Addr().(*net.TCPAddr).Port)
	closed.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)

	var calls atomic.Int32
	s, out := newTestState(t, &Env{MaxOpen: 3, OnTooMany: func() { calls.Add(1) }})
	churn := `
for i = 1, 200 do assert(not socket.connect("127.0.0.1", ` + closedPort + `)) end
for i = 1, 100 do
  local a = assert(socket.connect("127.0.0.1", ` + port + `))
  local b = assert(socket.bind("127.0.0.1", 0))
  local u = assert(socket.udp()); assert(u:setsockname("127.0.0.1", 0))
  a:close(); b:close(); u:close()
end
for i = 1, 100 do local u = socket.udp(); u:setpeername("127.0.0.1", 9); u:setfd(-1) end
held = {}
for i = 1, 3 do held[i] = assert(socket.connect("127.0.0.1", ` + port + `)) end
print("held " .. #held)
`
	if err := s.DoString(churn, "churn.lua"); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("OnTooMany called %d times at the limit (output %q)", n, out.String())
	}
	if err := s.DoString(`for i = 4, 6 do held[i] = assert(socket.connect("127.0.0.1", `+port+`)) end`, "more.lua"); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("OnTooMany called %d times holding 6 of 3, want 1", n)
	}
	if out.String() != "held 3\n" {
		t.Errorf("output %q", out.String())
	}
}
