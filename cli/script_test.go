package cli

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func scriptRun(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeScript(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.lua")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScriptRunsWithArgs(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Write([]byte("220 hello\r\n"))
			c.Close()
		}
	}()
	p := writeScript(t, `local socket = require("socket")
print(arg[0] ~= nil, arg[1], arg[2])
local c = assert(socket.connect(arg[1], tonumber(arg[2])))
print(c:receive())`)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, out, errs := scriptRun("script", p, "--", "127.0.0.1", port)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "true\t127.0.0.1\t" + port + "\n220 hello\tnil\tnil\n"; out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
}

func TestScriptErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		args   []string
		code   int
		stderr string
	}{
		{"lua error", "local x = nil\nprint(x.y)", nil, ExitFailed, "s.lua:2:"},
		{"timeout", "while true do end", []string{"--timeout", "100ms"}, ExitFailed, "stopped after the 100ms timeout"},
		{"no such lab", "print(1)", []string{"--lab", "no/such/lab"}, ExitError, "no/such/lab"},
		{"args without dash", "print(1)", []string{"extra"}, ExitError, "script arguments go after --"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeScript(t, tt.src)
			code, _, errs := scriptRun(append([]string{"script", p}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.stderr)
			}
		})
	}
	code, _, errs := scriptRun("script", filepath.Join(t.TempDir(), "missing.lua"))
	if code != ExitError || !strings.Contains(errs, "cannot read script") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
}

func TestLuaAPI(t *testing.T) {
	code, out, errs := scriptRun("lua-api")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"---@meta wirelab", "function socket.connect(", "function lab.check(", "function client:receive(", "function scan.tcp("} {
		if !strings.Contains(out, want) {
			t.Errorf("lua-api output lacks %q", want)
		}
	}
	code, out, _ = scriptRun("lua-api", "--module", "lab")
	if code != ExitOK || !strings.HasPrefix(out, "---@meta lab") {
		t.Errorf("--module lab: exit %d, %.40q", code, out)
	}
	dir := filepath.Join(t.TempDir(), "defs")
	code, out, _ = scriptRun("lua-api", "--dir", dir)
	if code != ExitOK || !strings.Contains(out, filepath.Join(dir, "socket.lua")) {
		t.Errorf("--dir: exit %d, %q", code, out)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "lab.lua")); err != nil || !strings.HasPrefix(string(b), "---@meta lab") {
		t.Errorf("--dir lab.lua: %v %.20q", err, b)
	}
	code, _, errs = scriptRun("lua-api", "--module", "sockets")
	if code != ExitError || !strings.Contains(errs, `no module "sockets" (known: "socket"`) {
		t.Errorf("--module sockets: exit %d, %q", code, errs)
	}
}
