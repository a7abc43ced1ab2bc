package sandbox

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/lualib"
)

// TestListensIn parses tables as a little-endian kernel writes them.
func TestListensIn(t *testing.T) {
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1B58 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 3200000A:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0
   2: 3200000A:1F90 3C00000A:C350 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0
`
	table6 := `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0
   1: 000000FD000000000000000050000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5 1 0 100 0 0 10 0
`
	tests := []struct {
		table string
		ap    string
		want  bool
	}{
		{table, "10.0.0.50:7000", true},  // 0.0.0.0:7000
		{table, "10.0.0.50:80", true},    // 10.0.0.50:80
		{table, "10.0.0.60:80", false},   // 80 is 10.0.0.50's only
		{table, "10.0.0.50:8080", false}, // established, not listening
		{table, "[fd00::50]:7000", false},
		{table6, "10.0.0.50:22", true}, // [::]:22 takes IPv4 too
		{table6, "[fd00::50]:22", true},
		{table6, "[fd00::50]:80", true},
		{table6, "[fd00::51]:80", false},
		{"", "10.0.0.50:7000", false},
		{"header only\n", "10.0.0.50:7000", false},
		{"h\n 0: zz:1B58 0 0A\n 1: 00000000:ZZ 0 0A\n 2: 00000000 0 0A\n 3: 00000000:1B58\n", "10.0.0.50:7000", false},
	}
	for _, tt := range tests {
		t.Run(tt.ap, func(t *testing.T) {
			if got := listensIn([]byte(tt.table), netip.MustParseAddrPort(tt.ap)); got != tt.want {
				t.Errorf("listensIn(%s) = %v, want %v", tt.ap, got, tt.want)
			}
		})
	}
}

// TestListening reads the kernel's own table: a listener shows, a connected
// socket on another port does not, a closed listener is gone.
func TestListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ap := netip.MustParseAddrPort(ln.Addr().String())
	if yes, known := listening(ap); !known || !yes {
		t.Fatalf("listening(%s) = %v, %v; want true, true", ap, yes, known)
	}
	c, err := net.Dial("tcp", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	local := netip.MustParseAddrPort(c.LocalAddr().String())
	if yes, _ := listening(local); yes {
		t.Errorf("listening(%s), a connected socket's port, = true", local)
	}
	ln.Close()
	if yes, _ := listening(ap); yes {
		t.Errorf("listening(%s) after Close = true", ap)
	}
}

// upperServer answers each line with it upper-cased, one connection at a
// time, until ln is closed.
func upperServer(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			c.Write([]byte(strings.ToUpper(sc.Text()) + "\n"))
		}
		c.Close()
	}
}

// TestLuaClient runs lua client services in this process against a server on
// 127.0.0.1: run(target) starts once begin is closed, the connections come
// from the from address, a failure is the client's Err, its sockets are
// counted as the services' while open, and a client stopped while nothing
// listens says so.
func TestLuaClient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go upperServer(ln)
	target := netip.MustParseAddrPort(ln.Addr().String())
	// A port nothing listens on: taken from the kernel, then released.
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nobody := netip.MustParseAddrPort(free.Addr().String())
	free.Close()

	tests := []struct {
		name   string
		src    string
		target netip.AddrPort
		stop   bool   // stop the client instead of waiting for it
		err    string // "" for success
	}{
		{"exchanges", `function run(t)
  assert(t.addr == "127.0.0.1" and t.from == "127.0.0.1", t.addr .. " " .. t.from)
  for i = 1, 3 do
    local c = assert(t:connect())
    c:settimeout(5)
    c:send("hi " .. i .. "\n")
    assert(c:receive("*l") == "HI " .. i)
    c:close()
  end
  local c = assert(t:connect()) -- left open: closed when run returns
  lab.log("done")
end`, target, false, ""},
		{"returns false", `function run(t) return false, "no answer" end`, target, false, "no answer"},
		{"raises", `function run(t) error("broken") end`, target, false, "broken"},
		{"nobody listens", `function run(t) assert(t:connect()) end`, nobody, true, "nothing listened there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "client.lua")
			os.WriteFile(path, []byte(tt.src), 0o644)
			var mu sync.Mutex
			var logged []string
			var events []lualib.Event
			waiting := make(chan struct{})
			var once sync.Once
			begin := make(chan struct{})
			start := luaClientService(&Config{LabDir: dir}, nil, &labNetwork{},
				func(svc, line string) {
					mu.Lock()
					logged = append(logged, svc+": "+line)
					mu.Unlock()
					if strings.Contains(line, "waiting for") {
						once.Do(func() { close(waiting) })
					}
				},
				func(e lualib.Event) { mu.Lock(); events = append(events, e); mu.Unlock() }, begin)
			spec := service.Spec{Name: "c", Kind: "lua", Connect: tt.target.String(), Script: "client.lua"}
			c, err := start(context.Background(), spec, path, tt.target, netip.MustParseAddr("127.0.0.1"))
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-c.Done():
				t.Fatal("the client finished before begin")
			default:
			}
			close(begin)
			if tt.stop {
				// Stop it once it has found nobody listening.
				select {
				case <-waiting:
				case <-c.Done():
					t.Fatalf("finished early: %v", c.Err())
				}
			} else {
				<-c.Done()
			}
			c.Stop()
			err = c.Err()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("Err() = %v\n%s", err, strings.Join(logged, "\n"))
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("Err() = %v, want %q\n%s", err, tt.err, strings.Join(logged, "\n"))
			}
			if tt.err == "" && (len(events) != 1 || events[0].Message != "done") {
				t.Errorf("events: %+v", events)
			}
		})
	}
}

// TestWaitScript: with clients, the script is stopped (errClientsDone) once
// they are done and the drain has passed; a script that ends first ends the
// wait at once.
func TestWaitScript(t *testing.T) {
	done := &fakeClient{done: make(chan struct{})}
	close(done.done)
	running := &fakeClient{done: make(chan struct{})}
	t.Run("clients done", func(t *testing.T) {
		ctx, stop := context.WithCancelCause(context.Background())
		scriptDone := make(chan error, 1)
		go func() { <-ctx.Done(); scriptDone <- ctx.Err() }()
		waitScript(scriptDone, []*client{{Client: done, name: "a"}}, here{}, stop)
		if cause := context.Cause(ctx); cause != errClientsDone {
			t.Errorf("cause %v, want errClientsDone", cause)
		}
		if e := classify(ctx.Err(), context.Cause(ctx), Limits{}); e != (Exit{}) {
			t.Errorf("exit %+v, want a normal end", e)
		}
	})
	t.Run("script first", func(t *testing.T) {
		ctx, stop := context.WithCancelCause(context.Background())
		scriptDone := make(chan error, 1)
		scriptDone <- nil
		if err := waitScript(scriptDone, []*client{{Client: running, name: "b"}}, here{}, stop); err != nil || ctx.Err() != nil {
			t.Errorf("err %v, ctx %v", err, ctx.Err())
		}
	})
}

type fakeClient struct{ done chan struct{} }

func (f *fakeClient) Done() <-chan struct{} { return f.done }
func (f *fakeClient) Err() error            { return nil }
func (f *fakeClient) Stop()                 {}

// FuzzListensIn: no table text makes the parser panic or hang.
func FuzzListensIn(f *testing.F) {
	fuzzing.Steady(f)
	f.Add([]byte("  sl  local_address rem_address   st\n   0: 00000000:1B58 00000000:0000 0A\n"), uint16(7000))
	f.Add([]byte("h\n 0: 000000FD000000000000000050000000:0050 0:0 0A\n"), uint16(80))
	f.Add([]byte("h\n 0: zz:1B58 0 0A\n 1: 00000000:ZZ 0 0A\n 2: 00000000 0 0A\n"), uint16(1))
	if b, err := os.ReadFile("/proc/net/tcp"); err == nil {
		f.Add(b, uint16(22))
	}
	f.Fuzz(func(t *testing.T, data []byte, port uint16) {
		listensIn(data, netip.AddrPortFrom(netip.MustParseAddr("10.0.0.50"), port))
		listensIn(data, netip.AddrPortFrom(netip.MustParseAddr("fd00::50"), port))
	})
}

// TestOpenTCP: the drain after the clients ends once the submission's host
// has no connection left open: an established connection, and one whose peer
// closed while this side did not (CLOSE_WAIT), are open; the table's other
// states are not.
func TestOpenTCP(t *testing.T) {
	table := "  sl  local_address rem_address   st tx_queue rx_queue\n" +
		"   0: 0100007F:1B58 00000000:0000 0A 00000000:00000000\n" +
		"   1: 0100007F:1B58 0100007F:D0C2 %s 00000000:00000000\n"
	for st, want := range map[string]bool{"01": true, "08": true, "06": false, "09": false, "0A": false} {
		data := []byte(fmt.Sprintf(table, st))
		if got := hasState(data, "01") || hasState(data, "08"); got != want {
			t.Errorf("state %s: open %v, want %v", st, got, want)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if open, known := openTCP(); known && !open {
		t.Error("an established connection on loopback is not seen as open")
	}
}
