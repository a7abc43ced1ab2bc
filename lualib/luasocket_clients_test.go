package lualib

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLuaSocketClients runs testdata/luasocket_http.lua (socket.http,
// socket.smtp, ltn12) against real HTTP and SMTP servers and compares what it
// prints with what C Lua 5.1 + C LuaSocket printed for the same servers (the
// golden; -update regenerates it with lua5.1).
func TestLuaSocketClients(t *testing.T) {
	httpPort := serveHTTP(t)
	smtpPort, transcript := serveSMTP(t)
	closed := closedPort(t)
	ports := map[string]string{"HTTP_PORT": httpPort, "SMTP_PORT": smtpPort, "CLOSED_PORT": closed}
	normal := func(s string) string {
		for name, p := range ports {
			s = strings.ReplaceAll(s, ":"+p, ":"+name)
		}
		return normalize(s)
	}
	script := "testdata/luasocket_http.lua"
	golden := "testdata/luasocket_http.out"
	var prelude strings.Builder
	for name, p := range ports {
		fmt.Fprintf(&prelude, "%s = %s; ", name, p)
	}
	if *update {
		cmd := exec.Command("lua5.1", "-e", prelude.String(), script)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("lua5.1: %v\n%s", err, out)
		}
		if err := os.WriteFile(golden, []byte(normal(string(out))+"-- smtp server saw:\n"+transcript()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	before := transcript()
	s, out := newTestState(t, nil)
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DoString(prelude.String()+string(src), "luasocket_http.lua"); err != nil {
		t.Fatalf("%v\noutput so far:\n%s", err, out.String())
	}
	got := normal(out.String()) + "-- smtp server saw:\n" + strings.TrimPrefix(transcript(), before)
	if got != string(want) {
		t.Errorf("output differs from C LuaSocket's (-want +got):\n%s", lineDiff(string(want), got))
	}
}

// closedPort is a port a connection to is refused, held for the test (a
// port a listener just gave up could be another test's again).
func closedPort(t *testing.T) string {
	return strconv.Itoa(heldTCPPort(t))
}

func serveHTTP(t *testing.T) string {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "6")
		w.Header().Add("X-Twice", "one")
		w.Header().Add("X-Twice", "two")
		io.WriteString(w, "hello\n")
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		f := w.(http.Flusher)
		for _, part := range []string{"first ", "second ", "third"} {
			io.WriteString(w, part)
			f.Flush()
		}
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)+len(r.Method)+1))
		fmt.Fprintf(w, "%s %s", r.Method, body)
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		var names []string
		for k := range r.Header {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(w, "%s=%s;", k, strings.Join(r.Header[k], ","))
		}
		fmt.Fprintf(w, "host=%s", strings.Split(r.Host, ":")[0])
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// serveSMTP is a small SMTP server: it accepts mail for bob and carol and
// refuses other recipients; transcript returns every command it was sent.
func serveSMTP(t *testing.T) (port string, transcript func() string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var mu sync.Mutex
	var log strings.Builder
	record := func(s string) {
		mu.Lock()
		log.WriteString(s + "\n")
		mu.Unlock()
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				r := bufio.NewReader(c)
				say := func(s string) { io.WriteString(c, s+"\r\n") }
				say("220 mail.lab.test ESMTP ready")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					line = strings.TrimRight(line, "\r\n")
					record(line)
					cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
					switch {
					case cmd == "EHLO":
						say("250-mail.lab.test")
						say("250-SIZE 1000000")
						say("250 HELP")
					case cmd == "MAIL":
						say("250 OK")
					case cmd == "RCPT":
						if strings.Contains(line, "bob@") || strings.Contains(line, "carol@") {
							say("250 OK")
						} else {
							say("550 no such user here")
						}
					case cmd == "DATA":
						say("354 end data with <CR><LF>.<CR><LF>")
						// header order is the client's hash order in C LuaSocket:
						// record the header block sorted
						var head []string
						inHead := true
						for {
							l, err := r.ReadString('\n')
							if err != nil {
								return
							}
							l = strings.TrimRight(l, "\r\n")
							if l == "." {
								break
							}
							if strings.HasPrefix(strings.ToLower(l), "date:") {
								l = "Date: (the date)"
							}
							if inHead {
								if l != "" {
									head = append(head, l)
									continue
								}
								inHead = false
								sort.Strings(head)
								for _, h := range head {
									record("| " + h)
								}
							}
							record("| " + l)
						}
						say("250 OK queued")
					case cmd == "QUIT":
						say("221 bye")
						return
					default:
						say("502 command not implemented")
					}
				}
			}(c)
		}
	}()
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port, func() string {
		mu.Lock()
		defer mu.Unlock()
		return log.String()
	}
}
