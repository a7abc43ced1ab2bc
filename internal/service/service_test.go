package service

import (
	"github.com/wirelab-dev/wirelab/internal/testcorpus"

	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

var loopback = map[string]netip.Addr{"www.example.com": netip.MustParseAddr("127.0.0.1")}

func start(t *testing.T, spec Spec) (Service, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var lines []string
	env := &Env{LabDir: "testdata", Hosts: loopback, Log: func(svc, line string) {
		mu.Lock()
		lines = append(lines, svc+": "+line)
		mu.Unlock()
	}}
	if spec.Listen == "" {
		spec.Listen = "www.example.com:0"
	}
	s, err := Start(context.Background(), spec, env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &lines
}

func TestHTTP(t *testing.T) {
	s, _ := start(t, Spec{Name: "web", Kind: "http", Routes: map[string]Route{
		"/":       {Body: "<html>hello</html>", Headers: map[string]string{"X-Lab": "yes"}},
		"/file":   {File: "page.html"},
		"/teapot": {Status: 418, Body: "short and stout"},
	}})
	addr := s.Addr().String()
	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"/", 200, "<html>hello</html>"},
		{"/file", 200, "<html>from a file</html>\n"},
		{"/teapot", 418, "short and stout"},
		{"/missing", 404, "404 page not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get("http://" + addr + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || string(b) != tt.body {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, b, tt.status, tt.body)
			}
			if resp.ContentLength != int64(len(tt.body)) {
				t.Errorf("Content-Length %d, want %d", resp.ContentLength, len(tt.body))
			}
		})
	}
	// HTTP/1.0 without keep-alive: the server answers and closes.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET / HTTP/1.0\r\n\r\n")
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "HTTP/1.0 200 OK\r\n") || !strings.Contains(string(b), "Content-Length: 18\r\n") || !strings.HasSuffix(string(b), "<html>hello</html>") {
		t.Errorf("HTTP/1.0 answer:\n%s", b)
	}
	// HTTP/1.1 keep-alive: two requests on one connection.
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	r := bufio.NewReader(c2)
	for i := 0; i < 2; i++ {
		fmt.Fprintf(c2, "GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("request %d on one connection: %v", i+1, err)
		}
		io.ReadAll(resp.Body)
		if resp.StatusCode != 418 {
			t.Errorf("request %d: status %d", i+1, resp.StatusCode)
		}
	}
}

func TestTCPEcho(t *testing.T) {
	s, _ := start(t, Spec{Name: "echo", Kind: "tcp-echo"})
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg := strings.Repeat("echo me ", 10000)
	go fmt.Fprint(c, msg)
	buf := make([]byte, len(msg))
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != msg {
		t.Fatalf("echo: %v, %d bytes", err, len(buf))
	}
}

func TestUDPEcho(t *testing.T) {
	s, _ := start(t, Spec{Name: "echo", Kind: "udp-echo"})
	c, err := net.Dial("udp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	c.Write([]byte("ping"))
	buf := make([]byte, 100)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("got %q, %v", buf[:n], err)
	}
}

func TestBanner(t *testing.T) {
	s, log := start(t, Spec{Name: "ftp", Kind: "banner", Banner: "220 wirelab FTP ready",
		Dialog:  []DialogStep{{Expect: "USER", Send: "331 password please"}, {Expect: "PASS", Send: "230 logged in"}},
		Unknown: "500 unknown command"})
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	want := []struct{ send, reply string }{
		{"", "220 wirelab FTP ready\r\n"},
		{"USER anonymous\r\n", "331 password please\r\n"},
		{"PASS secret\r\n", "230 logged in\r\n"},
		{"HELO\r\n", "500 unknown command\r\n"},
		{"USER again\n", "331 password please\r\n"},
	}
	for _, w := range want {
		if w.send != "" {
			fmt.Fprint(c, w.send)
		}
		line, err := r.ReadString('\n')
		if err != nil || line != w.reply {
			t.Fatalf("after %q: got %q, %v; want %q", w.send, line, err, w.reply)
		}
	}
	c.Close()
	s.Close()
	if len(*log) < 5 {
		t.Errorf("log: %q", *log)
	}
}

func TestStartErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		spec Spec
		want string
	}{
		{Spec{Name: "web", Kind: "http", Listen: busy.Addr().String(), Routes: map[string]Route{"/": {}}}, `service "web": listen tcp ` + busy.Addr().String() + `: bind: address already in use`},
		{Spec{Name: "web", Kind: "http", Listen: "nowhere:80"}, `service "web": listen "nowhere:80": "nowhere" is neither a lab host nor an address`},
		{Spec{Name: "web", Kind: "http", Listen: "127.0.0.1:0", Routes: map[string]Route{"/": {File: "missing.html"}}}, `service "web": route "/": missing.html: no such file or directory`},
		{Spec{Name: "x", Kind: "htp", Listen: "127.0.0.1:0"}, `service "x": kind "htp" is not supported`},
	}
	for _, tt := range tests {
		s, err := Start(context.Background(), tt.spec, &Env{LabDir: "testdata", Hosts: loopback})
		if err == nil {
			s.Close()
			t.Errorf("%+v: started", tt.spec)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("got  %v\nwant %s", err, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		spec Spec
		want []string
	}{
		{Spec{Name: "web", Kind: "http", Listen: "a:80", Routes: map[string]Route{"/": {}}}, nil},
		{Spec{Name: "x", Kind: "htp", Listen: "a:80"}, []string{`service "x": kind "htp" is not supported; supported kinds are "http", "tcp-echo", "udp-echo", "banner", "lua", "replay"`}},
		{Spec{Name: "e", Kind: "tcp-echo", Listen: "a:80", Banner: "hi"}, []string{`service "e": option "banner" does not apply to kind "tcp-echo"`}},
		{Spec{Name: "e", Kind: "udp-echo", Listen: "a"}, []string{`service "e": listen "a" is not host:port`}},
		{Spec{Name: "e", Kind: "udp-echo", Listen: "a:99999"}, []string{`service "e": listen "a:99999": port "99999" is not a number from 1 to 65535`}},
		{Spec{Name: "b", Kind: "banner", Listen: "a:21"}, []string{`service "b": a banner service needs a banner or a dialog`}},
		{Spec{Name: "l", Kind: "lua", Listen: "a:21", Protocol: "sctp"}, []string{`service "l": a lua service needs a script defining handle(conn)`, `service "l": protocol "sctp" is not supported; use "tcp" or "udp"`}},
		{Spec{Name: "r", Kind: "replay", Listen: "a:80"}, []string{`service "r": a replay service needs a capture (pcap or pcapng in the lab's folder)`}},
		// client services: lua with connect instead of listen
		{Spec{Name: "c", Kind: "lua", Connect: "server:7000", Script: "t.lua"}, nil},
		{Spec{Name: "c", Kind: "lua", Connect: "server:7000", From: "tester", Script: "t.lua"}, nil},
		{Spec{Name: "c", Kind: "lua", Connect: "server:7000"}, []string{`service "c": a lua client service needs a script defining run(target)`}},
		{Spec{Name: "c", Kind: "lua", Listen: "a:1", Connect: "server:7000", Script: "t.lua"}, []string{`service "c": has both listen and connect; a lua service either listens (a server) or connects (a client)`}},
		{Spec{Name: "c", Kind: "lua", Script: "t.lua"}, []string{`service "c": needs listen (host:port, a server) or connect (host:port, a client of the submission)`}},
		{Spec{Name: "c", Kind: "tcp-echo", Connect: "server:7000"}, []string{`service "c": connect applies only to kind "lua" (a lab-side client); kind "tcp-echo" listens`}},
		{Spec{Name: "c", Kind: "lua", Connect: "server", Script: "t.lua"}, []string{`service "c": connect "server" is not host:port`}},
		{Spec{Name: "c", Kind: "lua", Connect: "server:0", Script: "t.lua"}, []string{`service "c": connect "server:0": port "0" is not a number from 1 to 65535`}},
		{Spec{Name: "c", Kind: "lua", Listen: "a:1", From: "tester", Script: "t.lua"}, []string{`service "c": from applies only to a client service (one with connect)`}},
		{Spec{Name: "c", Kind: "lua", Connect: "server:7000", Script: "t.lua", Protocol: "udp"}, nil}, // a UDP client: target:connect() gives a connected UDP socket
	}
	for _, tt := range tests {
		var got []string
		for _, e := range Validate(tt.spec) {
			got = append(got, e.Error())
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%+v:\ngot  %q\nwant %q", tt.spec, got, tt.want)
		}
	}
}

// corpus returns a file of the shared test corpus; a missing one fails the test.
func corpus(t *testing.T, rel string) string {
	t.Helper()
	return testcorpus.Path(t, rel)
}

func TestReplay(t *testing.T) {
	pcap := corpus(t, "captures/http-get.pcap")
	conv, err := loadConversation(pcap, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(conv.turns) != 2 || conv.turns[0].server || !conv.turns[1].server {
		t.Fatalf("turns: %d", len(conv.turns))
	}
	s, _ := start(t, Spec{Name: "web", Kind: "replay", Capture: pcap, Stream: 0})
	tests := []struct {
		name, request string
	}{
		{"as recorded", string(conv.turns[0].data)},
		{"another client", "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: lua\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			fmt.Fprint(c, tt.request)
			got, err := io.ReadAll(c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, conv.turns[1].data) {
				t.Errorf("got %q\nwant %q", got, conv.turns[1].data)
			}
		})
	}
	if _, err := Start(context.Background(), Spec{Name: "r", Kind: "replay", Listen: "127.0.0.1:0", Capture: pcap, Stream: 7}, &Env{}); err == nil || !strings.Contains(err.Error(), "has no tcp.stream 7") {
		t.Errorf("stream 7: %v", err)
	}
}

// TestClientFrom: where a client service connects to, and from which host:
// from when given, else the first host that is neither the submission's nor
// the target's.
func TestClientFrom(t *testing.T) {
	hosts := []Host{
		{Name: "server", Addr: netip.MustParseAddr("10.0.0.50")},
		{Name: "alias", Addr: netip.MustParseAddr("10.0.0.50")}, // the server's address under another name
		{Name: "client", Addr: netip.MustParseAddr("10.0.0.10")},
		{Name: "tester", Addr: netip.MustParseAddr("10.0.0.60")},
	}
	tests := []struct {
		name       string
		spec       Spec
		hosts      []Host
		submission string
		target     string
		from       string
		err        string
	}{
		{"default skips the target and the submission", Spec{Connect: "server:7000"}, hosts, "client", "10.0.0.50:7000", "10.0.0.60", ""},
		{"default is the submission's host's neighbour", Spec{Connect: "server:7000"}, hosts, "", "10.0.0.50:7000", "10.0.0.10", ""},
		{"from names a host", Spec{Connect: "server:7000", From: "client"}, hosts, "client", "10.0.0.50:7000", "10.0.0.10", ""},
		{"literal target", Spec{Connect: "10.0.0.50:80"}, hosts, "server", "10.0.0.50:80", "10.0.0.10", ""},
		{"no host left", Spec{Connect: "server:7000"}, hosts[:2], "server", "", "", "no host to connect from"},
		{"unknown host", Spec{Connect: "nowhere:7000"}, hosts, "", "", "", `connect "nowhere:7000": "nowhere" is neither a lab host nor an address`},
		{"no host", Spec{Connect: ":7000"}, hosts, "", "", "", `connect ":7000" names no host`},
		{"unknown from", Spec{Connect: "server:7000", From: "mars"}, hosts, "", "", "", `from "mars" is neither a lab host nor an address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, from, err := ClientFrom(tt.spec, tt.hosts, tt.submission)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if target.String() != tt.target || from.String() != tt.from {
				t.Errorf("target %s from %s, want %s from %s", target, from, tt.target, tt.from)
			}
		})
	}
	if _, err := Start(context.Background(), Spec{Name: "c", Kind: "lua", Connect: "server:7000", Script: "t.lua"}, &Env{}); err == nil || !strings.Contains(err.Error(), "StartClient") {
		t.Errorf("Start of a client service: %v", err)
	}
	if _, err := StartClient(context.Background(), Spec{Name: "c", Kind: "lua", Connect: "server:7000", Script: "t.lua"}, &Env{}, hosts, ""); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Errorf("StartClient without a starter: %v", err)
	}
}

// TestCloseAnswersWhatReached: Close comes when the submission has ended; a
// service first answers what reached it. 200 datagrams sent just before
// Close are each echoed (Close used to drop those still queued), and 20
// HTTP requests and echo lines on connections the server may not have
// accepted yet are each answered.
func TestCloseAnswersWhatReached(t *testing.T) {
	t.Run("udp-echo", func(t *testing.T) {
		s, _ := start(t, Spec{Name: "echo", Kind: "udp-echo"})
		c, err := net.Dial("udp", s.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.(*net.UDPConn).SetReadBuffer(1 << 20)
		const n = 200
		for i := range n {
			if _, err := fmt.Fprintf(c, "datagram %d", i); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		buf := make([]byte, 100)
		got := 0
		for c.SetReadDeadline(time.Now().Add(2 * time.Second)); got < n; got++ {
			if _, err := c.Read(buf); err != nil {
				break
			}
		}
		if got != n {
			t.Errorf("%d of %d datagrams echoed", got, n)
		}
	})
	for _, tt := range []struct {
		spec      Spec
		ask, want string
	}{
		{Spec{Name: "web", Kind: "http", Routes: map[string]Route{"/": {Body: "hi"}}}, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK"},
		{Spec{Name: "echo", Kind: "tcp-echo"}, "hello\n", "hello\n"},
	} {
		t.Run(tt.spec.Kind, func(t *testing.T) {
			s, _ := start(t, tt.spec)
			var conns []net.Conn
			for range 20 {
				c, err := net.Dial("tcp", s.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if _, err := io.WriteString(c, tt.ask); err != nil {
					t.Fatal(err)
				}
				c.(*net.TCPConn).CloseWrite() // the client is done asking
				conns = append(conns, c)
			}
			s.Close()
			for i, c := range conns {
				c.SetReadDeadline(time.Now().Add(5 * time.Second))
				b, err := io.ReadAll(c)
				if err != nil || !strings.Contains(string(b), tt.want) {
					t.Errorf("connection %d: read %q, %v; want %q", i+1, b, err, tt.want)
				}
			}
		})
	}
}
