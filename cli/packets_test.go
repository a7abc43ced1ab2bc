package cli

import (
	"github.com/wirelab-dev/wirelab/internal/testcorpus"

	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedCorpus returns the shared test corpus; a missing one fails the test.
func sharedCorpus(t *testing.T) string {
	t.Helper()
	return testcorpus.Dir(t)
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = Run(args, &o, &e)
	return o.String(), e.String(), code
}

// TestPacketsMatchesTshark compares `wirelab packets` with tshark 4.0's output on
// the same file, recorded in capture/testdata by capture/testdata/synthetic/tshark.sh.
func TestPacketsMatchesTshark(t *testing.T) {
	pcap := filepath.Join(sharedCorpus(t), "captures", "http-get.pcap")
	golden := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "capture", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name   string
		args   []string
		golden string
	}{
		{"text", nil, "http-get.tshark.txt"},
		{"display filter", []string{"-Y", "http.response.code == 200"}, "http-get.200.tshark.txt"},
		{"fields", []string{"-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.len",
			"-e", "tcp.flags", "-e", "tcp.nxtseq", "-e", "http.request.uri", "-e", "http.response.code"}, "http-get.fields.tshark.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, append([]string{"packets", pcap}, tt.args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			want := golden(tt.golden)
			if out != want {
				gl, wl := strings.Split(out, "\n"), strings.Split(want, "\n")
				for i := range max(len(gl), len(wl)) {
					var g, w string
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Errorf("line %d:\n got %q\nwant %q", i+1, g, w)
					}
				}
			}
		})
	}
}

func TestPacketsOptions(t *testing.T) {
	pcap := filepath.Join(sharedCorpus(t), "captures", "http-get.pcap")
	tests := []struct {
		name       string
		args       []string
		code       int
		out, errIn string
	}{
		{"count", []string{"--count", "-Y", "tcp.stream == 1"}, ExitOK, "10\n", ""},
		// Counting on headers alone (capture.HeadersSuffice), and the fields
		// that still need TCP's conversations or what it carries.
		{"count on headers", []string{"--count", "-Y", "tcp.port == 80 && tcp.flags.syn == 1"}, ExitOK, "4\n", ""},
		{"count what TCP carries", []string{"--count", "-Y", "http"}, ExitOK, "4\n", ""},
		{"relative numbers printed", []string{"-Y", "tcp.flags.syn == 1", "-T", "fields", "-e", "tcp.stream", "-e", "tcp.seq", "-e", "tcp.ack"}, ExitOK, "0\t0\t0\n0\t0\t1\n1\t0\t0\n1\t0\t1\n", ""},
		{"capture filter", []string{"--count", "-f", "tcp port 80 and tcp[tcpflags] & tcp-syn != 0"}, ExitOK, "4\n", ""},
		{"capture filter byte offsets", []string{"--count", "-f", "ip[2:2] > 100 and tcp[tcpflags] & tcp-push != 0"}, ExitOK, "3\n", ""},
		{"capture filter simple", []string{"--count", "-f", "port 80 or port 443"}, ExitOK, "22\n", ""},
		{"limit", []string{"-c", "2", "-T", "fields", "-e", "frame.number"}, ExitOK, "1\n2\n", ""},
		// Since the previous frame the filter passed, as tshark -Y prints it.
		{"time since the frame shown before", []string{"-Y", "http", "-T", "fields", "-e", "frame.number", "-e", "frame.time_delta_displayed"}, ExitOK,
			"4\t0.000000000\n8\t0.006762000\n16\t0.080500000\n21\t0.004034000\n", ""},
		{"limit after filter", []string{"-c", "1", "-Y", "http", "-T", "fields", "-e", "frame.number", "-e", "http.request.method"}, ExitOK, "4\tGET\n", ""},
		{"separator and header", []string{"-c", "1", "-T", "fields", "-E", "separator=,", "-E", "header=y", "-e", "ip.src", "-e", "tcp.port"}, ExitOK, "ip.src,tcp.port\n127.0.0.1,56586,80\n", ""},
		{"absent field is empty", []string{"-c", "1", "-T", "fields", "-e", "udp.port", "-e", "frame.number"}, ExitOK, "\t1\n", ""},
		{"bad filter", []string{"-Y", "tcp.port == "}, ExitError, "", "^"},
		{"unknown field in filter", []string{"-Y", "tcp.prot == 80"}, ExitError, "", "tcp.prot"},
		{"unknown -e field", []string{"-T", "fields", "-e", "tcp.sq"}, ExitError, "", `did you mean "tcp.seq"`},
		{"fields without -e", []string{"-T", "fields"}, ExitError, "", "-e"},
		{"unknown format", []string{"-T", "pdml"}, ExitError, "", "unknown format"},
		{"missing file", nil, ExitError, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := pcap
			if tt.name == "missing file" {
				file = filepath.Join(t.TempDir(), "nope.pcap")
			}
			out, errOut, code := runCLI(t, append([]string{"packets", file}, tt.args...)...)
			if tt.code >= 0 && code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errOut)
			}
			if tt.code >= 0 && tt.out != "" && out != tt.out {
				t.Errorf("stdout %q, want %q", out, tt.out)
			}
			if !strings.Contains(errOut, tt.errIn) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.errIn)
			}
		})
	}
}

func TestPacketsJSON(t *testing.T) {
	pcap := filepath.Join(sharedCorpus(t), "captures", "http-get.pcap")
	out, errOut, code := runCLI(t, "packets", pcap, "-T", "json", "-Y", "http.response")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d objects, want 2", len(lines))
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &obj); err != nil {
		t.Fatal(err)
	}
	if obj["frame.number"] != "8" || obj["http.response.code"] != "200" || obj["tcp.flags"] != "0x0018" {
		t.Errorf("unexpected values: %v", obj)
	}
	if ports, ok := obj["tcp.port"].([]any); !ok || len(ports) != 2 || ports[0] != "80" {
		t.Errorf("tcp.port = %v, want [80 56586]", obj["tcp.port"])
	}
}

// A payload's escape sequences (ESC, OSC, C1 controls, U+202E, bytes that are
// not UTF-8) are printed as tshark prints them (\033, \a, \u009B, U+FFFD),
// never raw to the terminal. testdata/escapes.tshark.txt is tshark 4.0's
// output (tshark -r testdata/escapes.pcap).
func TestPacketsEscapesLikeTshark(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "escapes.tshark.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "packets", filepath.Join("testdata", "escapes.pcap"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != string(want) {
		t.Errorf("got\n%q\nwant (tshark)\n%q", out, want)
	}
	if strings.ContainsAny(out, "\x1b\x07\u009b\u202e") {
		t.Errorf("an escape character reached the output: %q", out)
	}
}
