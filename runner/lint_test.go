package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Lint warns about a packet check (or sequence step) that pins neither source
// nor destination in a lab with more than one host, and about a none check
// without requires; nothing else.
func TestLint(t *testing.T) {
	path := writeFile(t, "lab.yaml", `lab: lint
hosts:
  server: 10.0.0.80
  client: 10.0.0.10
services:
  - {name: web, kind: http, listen: server:80, routes: {/: {status: 200, body: hi}}}
submission: {file: solution.lua}
checks:
  - name: any 200
    packet: http.response.code == 200
  - name: a 200 from the server
    packet: http.response.code == 200 && ip.src == 10.0.0.80
  - name: either way
    packet: http.response.code == 200 && (ip.src == 10.0.0.80 || tcp.port == 80)
  - name: handshake
    sequence:
      - tcp.flags.syn == 1 && ip.dst == 10.0.0.80
      - tcp.flags.syn == 1 && tcp.flags.ack == 1
  - name: no resets
    none: tcp.flags.reset == 1
  - name: no resets after the 200
    none: tcp.flags.reset == 1
    requires: [a 200 from the server]
  - name: ends well
    exit: ok
`)
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "solution.lua"), []byte("print(1)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lab, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range Lint(lab) {
		got = append(got, strings.TrimPrefix(w.String(), path))
	}
	want := []string{
		`:9:5: warning: check "any 200": the filter pins neither source nor destination`,
		`:13:5: warning: check "either way": the filter pins neither source nor destination`,
		`:15:5: warning: check "handshake": step 2 pins neither source nor destination`,
		`:19:5: warning: check "no resets": a none check without requires passes on an empty submission`,
		`:24:5: warning: check "ends well": exit: ok without requires passes on an empty submission`,
	}
	if len(got) != len(want) {
		t.Fatalf("warnings:\n%s\nwant %d", strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
	// With one host, every packet is between the submission and itself: no
	// endpoint warning.
	lab.Hosts = lab.Hosts[:1]
	if ws := Lint(lab); len(ws) != 2 || !strings.Contains(ws[0].Msg, "none check") {
		t.Errorf("one host: %v", ws)
	}
}

// An exit: value that misspells an ending is read as a text the error must
// contain, and so never matches the ending it names: check says so, with the
// ending meant. processes in a Lua-only lab can never pass.
func TestLintExitValues(t *testing.T) {
	for _, tc := range []struct {
		exit, langs, want string
	}{
		{"crashed", "", `exit: "crashed" is not an ending (ok, error, timeout, memory, output, sockets, processes, crash), so it is read as a text the error message must contain, and a run that ended with crash fails it; did you mean exit: crash?`},
		{"timed out", "", "did you mean exit: timeout?"},
		{"Timeout", "", "did you mean exit: timeout?"},
		{"errors", "", "did you mean exit: error?"},
		{"out-of-memory", "", ""}, // too far from memory: a text, as written
		{"attempt to index", "", ""},
		{"connection refused", "", ""},
		{"crash", "", ""},
		{"processes", "", "exit: processes never passes: the lab takes Lua scripts alone"},
		{"processes", "languages: [lua, python]", ""},
	} {
		lab := "lab: lint\nhosts: {client: 10.0.0.10}\nsubmission: {file: solution.lua"
		if tc.langs != "" {
			lab += ", " + tc.langs
		}
		lab += "}\nchecks:\n  - name: handshake\n    packet: tcp.flags.syn == 1\n  - name: ends\n    exit: '" + tc.exit + "'\n    requires: [handshake]\n"
		l, path := lintLab(t, lab)
		var got []string
		for _, w := range Lint(l) {
			got = append(got, w.String())
		}
		switch {
		case tc.want == "" && len(got) != 0:
			t.Errorf("exit: %s: warnings %q, want none", tc.exit, got)
		case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], `check "ends": exit: `) || !strings.Contains(got[0], tc.want) || !strings.HasPrefix(got[0], path+":7:5: warning: ")):
			t.Errorf("exit: %s: warnings %q, want one at :7:5 with %q", tc.exit, got, tc.want)
		}
	}
}

// A check whose filter needs a protocol the capture filter never keeps is
// decided before the run: check warns, naming the protocol and what follows.
// Filters the capture keeps, and capture filters it cannot reason about
// (byte offsets), give no warning.
func TestLintCaptureDrops(t *testing.T) {
	for _, tc := range []struct {
		capture, check string
		want           string // "" for no warning
	}{
		{"tcp port 80", "none: dns", `the capture filter "tcp port 80" keeps no DNS packet, so no packet can match dns and the check passes whatever the submission sends`},
		{"tcp port 80", "none: udp.port == 53", "keeps no UDP packet"},
		{"tcp port 80", "packet: icmp.type == 8", "keeps no ICMP packet, so no packet can match icmp.type == 8 and the check never passes"},
		{"tcp port 80", "sequence: [tcp.flags.syn == 1, arp.opcode == 2]", "step 2: the capture filter \"tcp port 80\" keeps no ARP packet"},
		{"tcp port 80", "none: tls", "keeps no TLS packet"},
		{"port 53", "packet: ipv6", ""},
		{"tcp port 80", "packet: http.request.method == \"GET\"", ""},
		{"tcp port 80", "none: tcp.flags.reset == 1", ""},
		{"tcp port 80", "none: udp || tcp.flags.reset == 1", ""}, // udp under || is not needed
		{"tcp port 80", "none: '!udp'", ""},
		{"tcp port 80", "packet: http.request && ip.dst == 10.0.0.80", ""},
		{"tcp port 9000", "packet: http.request", ""}, // HTTP is found on any port
		{"udp or arp", "packet: tcp.port == 80", "keeps no TCP packet"},
		{"udp or arp", "packet: dns.flags.response == 1", ""},
		{"host 10.0.0.80 and not icmp", "packet: icmp", "keeps no ICMP packet"},
		{"host 10.0.0.80", "packet: icmp", ""},
		{"net 192.168.1.0/24", "packet: tcp", ""},
		{"greater 2000", "packet: udp", ""},
		{"ip6", "packet: ip.ttl == 64", "keeps no IPv4 packet"},
		{"tcp[13] & 2 != 0", "packet: udp", ""}, // byte offsets: not reasoned about
		{"vlan and udp", "packet: tcp", ""},
	} {
		lab := "lab: lint\nhosts: {server: 10.0.0.80, client: 10.0.0.10}\n" +
			"services:\n  - {name: web, kind: http, listen: server:80, routes: {/: {status: 200, body: hi}}}\n" +
			"capture: {filter: '" + tc.capture + "'}\nsubmission: {file: solution.lua}\nchecks:\n" +
			"  - name: first\n    packet: ip.src == 10.0.0.10\n  - name: it\n    " + tc.check + "\n    requires: [first]\n"
		l, path := lintLab(t, lab)
		var got []string
		for _, w := range Lint(l) {
			if strings.Contains(w.Msg, "capture filter") && strings.HasPrefix(w.Msg, `check "it"`) {
				got = append(got, w.String())
			}
		}
		switch {
		case tc.want == "" && len(got) != 0:
			t.Errorf("capture %q, %s: %q, want no warning", tc.capture, tc.check, got)
		case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want) || !strings.HasPrefix(got[0], path+":10:5: warning: check \"it\": ")):
			t.Errorf("capture %q, %s: %q, want one at :10:5 with %q", tc.capture, tc.check, got, tc.want)
		}
	}
}

// lintLab loads the lab file text, beside a solution.lua, and returns it
// with the file's path.
func lintLab(t *testing.T, text string) (*Lab, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "lab.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "solution.lua"), []byte("print(1)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return l, path
}
