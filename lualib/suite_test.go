package lualib

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// TestSocketSuitePairings runs the socket suite (testdata/suite: the
// behaviour LuaSocket's testclnt.lua/testsrvr.lua check, written for wirelab)
// in the four pairings of a C Lua 5.1 + C LuaSocket or a wirelab client with
// a C or a wirelab server. Every case must pass in every pairing, and the
// four outputs must be the same lines. Nothing in the suite depends on time:
// where the server pauses, it waits for the client's "go".
func TestSocketSuitePairings(t *testing.T) {
	if _, err := exec.LookPath("lua5.1"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("lua5.1 is not installed, and CI is set: install lua5.1 and lua-socket")
		}
		t.Skip("lua5.1 is not installed (apt-get install lua5.1 lua-socket)")
	}
	client, err := os.ReadFile("testdata/suite/client.lua")
	if err != nil {
		t.Fatal(err)
	}
	server, err := os.ReadFile("testdata/suite/server.lua")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	outs := make(map[string]string)
	t.Run("pairings", func(t *testing.T) {
		for _, p := range []struct{ client, server string }{
			{"C", "C"}, {"wirelab", "C"}, {"C", "wirelab"}, {"wirelab", "wirelab"},
		} {
			name := p.client + " client, " + p.server + " server"
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
				defer cancel()
				var port string
				var serverDone <-chan error
				if p.server == "C" {
					port, serverDone = suiteServerC(ctx, t)
				} else {
					port, serverDone = suiteServerWirelab(ctx, t, string(server))
				}
				var out string
				if p.client == "C" {
					out = suiteClientC(ctx, t, port)
				} else {
					out = suiteClientWirelab(ctx, t, string(client), port)
				}
				if err := <-serverDone; err != nil {
					t.Errorf("server: %v", err)
				}
				checkSuiteOutput(t, out)
				mu.Lock()
				outs[name] = out
				mu.Unlock()
			})
		}
	})
	// the four pairings ran the same cases with the same results
	want := outs["C client, C server"]
	for name, got := range outs {
		if got != want {
			t.Errorf("%s printed other lines than C client, C server (-C +%s):\n%s", name, name, lineDiff(want, got))
		}
	}
}

var suiteTotal = regexp.MustCompile(`(?m)^passed (\d+) of (\d+)$`)

// checkSuiteOutput fails the test unless every case printed "ok" and the last
// line says so.
func checkSuiteOutput(t *testing.T, out string) {
	t.Helper()
	var cases, failed []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		switch {
		case strings.HasSuffix(line, ": ok"):
			cases = append(cases, line)
		case strings.Contains(line, ": FAILED"):
			cases = append(cases, line)
			failed = append(failed, line)
		}
	}
	m := suiteTotal.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the suite did not finish (no \"passed N of M\" line):\n%s", out)
	}
	if len(failed) > 0 || m[1] != m[2] || m[2] != fmt.Sprint(len(cases)) || len(cases) < 60 {
		t.Errorf("%s; %d cases printed; failures:\n%s", m[0], len(cases), strings.Join(failed, "\n"))
	}
}

// raiseNofile is the shell prefix that lets a C Lua child open more than
// socket._SETSIZE sockets (Go raised its own soft limit, not its children's).
const raiseNofile = `ulimit -n $(ulimit -Hn) 2>/dev/null; exec lua5.1 "$@"`

func suiteServerC(ctx context.Context, t *testing.T) (string, <-chan error) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "sh", "-c", raiseNofile, "lua5.1", "server.lua")
	cmd.Dir = "testdata/suite"
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	port := readPortLine(t, stdout, func() string { cmd.Process.Kill(); cmd.Wait(); return stderr.String() })
	done := make(chan error, 1)
	go func() {
		io.Copy(io.Discard, stdout)
		if err := cmd.Wait(); err != nil {
			done <- fmt.Errorf("lua5.1 server.lua: %v\n%s", err, stderr.String())
			return
		}
		done <- nil
	}()
	return port, done
}

func suiteServerWirelab(ctx context.Context, t *testing.T, src string) (string, <-chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	s, err := NewState(&Env{Ctx: ctx, Stdout: pw, Dirs: []string{"testdata/suite"}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		defer s.Close()
		err := s.DoString(src, "server.lua")
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	var failure error
	port := readPortLine(t, pr, func() string { failure = <-done; return fmt.Sprint(failure) })
	go io.Copy(io.Discard, pr)
	return port, done
}

// readPortLine reads the server's "port N" line; on anything else it fails the
// test with what stop (which ends the server) reports.
func readPortLine(t *testing.T, r io.Reader, stop func() string) string {
	t.Helper()
	line, err := bufio.NewReader(r).ReadString('\n')
	port, ok := strings.CutPrefix(strings.TrimSpace(line), "port ")
	if err != nil || !ok {
		t.Fatalf("server did not print its port (%q, %v): %s", line, err, stop())
	}
	return port
}

func suiteClientC(ctx context.Context, t *testing.T, port string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, "sh", "-c", raiseNofile, "lua5.1", "-e", "SUITE_PORT = "+port, "client.lua")
	cmd.Dir = "testdata/suite"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("lua5.1 client.lua: %v\n%s", err, out)
	}
	return string(out)
}

func suiteClientWirelab(ctx context.Context, t *testing.T, src, port string) string {
	t.Helper()
	var out bytes.Buffer
	s, err := NewState(&Env{Ctx: ctx, Stdout: &out, Dirs: []string{"testdata/suite"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.L.SetGlobal("SUITE_PORT", lua.LString(port))
	if err := s.DoString(src, "client.lua"); err != nil {
		t.Fatalf("client.lua: %v\noutput so far:\n%s", err, out.String())
	}
	return out.String()
}
