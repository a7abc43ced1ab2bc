package lualib

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The classic LuaSocket programs under testdata/examples run unchanged against
// real loopback servers; where lua5.1 with C LuaSocket is installed, the same
// program runs under it too against the same server and must print the same.

func serveTCP(t *testing.T, handle func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				handle(c)
			}()
		}
	}()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func lineEcho(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		io.WriteString(c, strings.TrimRight(line, "\r\n")+"\r\n")
	}
}

func daytime(c net.Conn) { io.WriteString(c, "Wednesday, November 25, 2026 21:48:23-UTC\r\n") }

func chatServer(c net.Conn) {
	r := bufio.NewReader(c)
	io.WriteString(c, "WELCOME to the lab chat\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case strings.HasPrefix(line, "NICK "):
			io.WriteString(c, "HELLO "+line[5:]+"\r\n")
		case strings.HasPrefix(line, "MSG "):
			io.WriteString(c, "SAID "+line[4:]+"\r\n")
		case line == "QUIT":
			io.WriteString(c, "BYE\r\n")
			return
		}
	}
}

func httpServer(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" {
			break
		}
	}
	io.WriteString(c, "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nServer: wirelab-test\r\n\r\n<html>hello</html>\n")
}

func serveUDPEcho(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(buf[:n], from)
		}
	}()
	return strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)
}

// runExample runs file under wirelab, feeding stdout to w.
func runExample(t *testing.T, file string, w io.Writer, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := NewState(&Env{Ctx: ctx, Stdout: w, Dirs: []string{filepath.Dir(file)}})
	if err != nil {
		return err
	}
	defer s.Close()
	s.SetArgs(file, args)
	return s.DoFile(file)
}

// runC runs file under lua5.1 with C LuaSocket, or returns ok=false without it.
func runC(t *testing.T, file string, args ...string) (string, bool) {
	if _, err := exec.LookPath("lua5.1"); err != nil {
		return "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "lua5.1", append([]string{file}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("lua5.1 %s: %v\n%s", file, err, out)
	}
	return string(out), true
}

func TestExampleClients(t *testing.T) {
	tests := []struct {
		file   string
		server func(t *testing.T) string
		want   []string // lines the output must contain
	}{
		{"echoclient.lua", func(t *testing.T) string { return serveTCP(t, lineEcho) },
			[]string{"echo:\thello\tnil", "echo:\thow are you?\tnil", "echo:\tbye\tnil"}},
		{"daytime.lua", func(t *testing.T) string { return serveTCP(t, daytime) },
			[]string{"daytime:\tWednesday, November 25, 2026 21:48:23-UTC", "then:\tnil\tclosed\t"}},
		{"chat.lua", func(t *testing.T) string { return serveTCP(t, chatServer) },
			[]string{"<\tWELCOME to the lab chat", ">\tNICK student", "<\tHELLO student", "<\tSAID hello everyone", "<\tBYE"}},
		{"httpget.lua", func(t *testing.T) string { return serveTCP(t, httpServer) },
			[]string{"status:\tHTTP/1.0 200 OK", "header:\tServer: wirelab-test", "body:\t<html>hello</html>\n\tnil\tnil", "stats:\t85"}},
		{"udpecho.lua", serveUDPEcho,
			[]string{"echo:\tping\tnil", "echo:\tpong\tnil", "echo:\t\tnil"}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".lua"), func(t *testing.T) {
			port := tt.server(t)
			file := filepath.Join("testdata", "examples", tt.file)
			var out bytes.Buffer
			if err := runExample(t, file, &out, "127.0.0.1", port); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w+"\n") {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if c, ok := runC(t, file, "127.0.0.1", port); ok && c != out.String() {
				t.Errorf("C LuaSocket printed:\n%s\nwirelab printed:\n%s", c, out.String())
			}
		})
	}
}

// TestExampleEchoServer runs the echo server example (under wirelab, then under
// C LuaSocket) and talks to it from Go.
func TestExampleEchoServer(t *testing.T) {
	file := filepath.Join("testdata", "examples", "echoserver.lua")
	talk := func(t *testing.T, out io.Reader) {
		lines := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text() + "\n"
			}
			close(lines)
		}()
		first, ok := <-lines
		if !ok {
			t.Fatal("no output")
		}
		var port int
		if _, err := fmt.Sscanf(first, "listening on port %d", &port); err != nil {
			t.Fatalf("first line %q: %v", first, err)
		}
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		cr := bufio.NewReader(c)
		for _, m := range []string{"one", "two", "bye"} {
			io.WriteString(c, m+"\r\n")
			got, err := cr.ReadString('\n')
			if err != nil || got != m+"\n" {
				t.Fatalf("echo of %q: %q, %v", m, got, err)
			}
		}
		var rest string
		for l := range lines {
			rest += l
		}
		if want := "got:\tone\ngot:\ttwo\ngot:\tbye\n"; string(rest) != want {
			t.Errorf("server printed %q, want %q", rest, want)
		}
	}
	t.Run("wirelab", func(t *testing.T) {
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		go func() {
			err := runExample(t, file, pw, "1")
			pw.Close()
			done <- err
		}()
		talk(t, pr)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("C", func(t *testing.T) {
		if _, err := exec.LookPath("lua5.1"); err != nil {
			t.Skip("lua5.1 not installed")
		}
		// stdbuf: C stdio would hold the port line in its buffer on a pipe
		cmd := exec.Command("stdbuf", "-oL", "lua5.1", file, "1")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		talk(t, out)
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	})
}
