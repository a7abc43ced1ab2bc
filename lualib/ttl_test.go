package lualib

import (
	"bytes"
	"testing"
)

// ip-ttl sets the IPv4 TTL of a socket's packets (IP_TTL): what a traceroute
// needs, and what C LuaSocket lacks.
func TestIPTTLOption(t *testing.T) {
	var out bytes.Buffer
	st, err := NewState(&Env{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.DoString(`
local socket = require("socket")
local u = assert(socket.udp())
assert(u:setsockname("127.0.0.1", 0))
print(u:setoption("ip-ttl", 3), u:getoption("ip-ttl"))
local c = assert(socket.tcp())
assert(c:bind("127.0.0.1", 0))
print(c:setoption("ip-ttl", 200), c:getoption("ip-ttl"))
print(u:setoption("ip-ttl", 0))`, "ttl")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "1\t3\n1\t200\nnil\tsetsockopt failed\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}
