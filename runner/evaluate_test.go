package runner

import (
	"github.com/wirelab-dev/wirelab/internal/testcorpus"

	"context"
	"encoding/json"
	"github.com/wirelab-dev/wirelab/runner/result"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// corpus returns a file of the shared test corpus; a missing one fails the test.
func corpus(t testing.TB, name string) string {
	t.Helper()
	return testcorpus.Path(t, name)
}

func writeFile(t testing.TB, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func evalLab(t testing.TB, lab *Lab, art result.Artifacts) *result.Result {
	t.Helper()
	res, err := Evaluate(context.Background(), lab, art)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func checkByName(t testing.TB, res *result.Result, name string) result.CheckResult {
	t.Helper()
	for _, c := range res.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q", name)
	return result.CheckResult{}
}

func TestEvaluateHTTPGet(t *testing.T) {
	pcap := corpus(t, "captures/http-get.pcap")
	lab, err := Load("testdata/http-get")
	if err != nil {
		t.Fatal(err)
	}
	out := writeFile(t, "output", "HTTP/1.0 200 OK\n")
	res := evalLab(t, lab, result.Artifacts{Capture: pcap, Output: out})
	want := map[string]result.CheckStatus{
		"three-way handshake":        result.CheckPass,
		"sends GET /index.html":      result.CheckPass,
		"gets 200 OK":                result.CheckPass,
		"no resets":                  result.CheckFail,
		"prints the status line":     result.CheckPass,
		"answers the extra question": result.CheckPass,
	}
	for _, c := range res.Checks {
		if c.Status != want[c.Name] {
			t.Errorf("%s: %s (%s), want %s", c.Name, c.Status, c.Message, want[c.Name])
		}
	}
	nr := checkByName(t, res, "no resets")
	if !reflect.DeepEqual(nr.Evidence, []int{22}) || len(nr.Packets) != 1 || nr.Packets[0].Flags != "RST" {
		t.Errorf("no resets: evidence %v packets %+v", nr.Evidence, nr.Packets)
	}
	hs := checkByName(t, res, "three-way handshake")
	if !reflect.DeepEqual(hs.Evidence, []int{1, 2, 3}) {
		t.Errorf("handshake evidence %v: %s", hs.Evidence, hs.Message)
	}
	if res.Status != result.StatusFailed || res.Score != 3+2+1+1+1 || res.MaxScore != 9 || res.Packets != 22 {
		t.Errorf("status %s score %v/%v packets %d", res.Status, res.Score, res.MaxScore, res.Packets)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Error(err)
	}
}

// TestSequenceVariants breaks the DESIGN lab's handshake three ways: each must
// fail, name the broken step and show packets.
func TestSequenceVariants(t *testing.T) {
	pcap := corpus(t, "captures/http-get.pcap")
	tests := []struct {
		name, checks string
		message      []string // substrings of the message
		evidence     []int
	}{
		{
			name: "wrong port",
			checks: `
  - name: handshake
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 8080
      - tcp.flags.syn == 1 && tcp.flags.ack == 1
      - tcp.flags.ack == 1 && tcp.flags.syn == 0 && tcp.len == 0`,
			message: []string{"step 1 of 3 never matched", "tcp.dstport == 8080"},
		},
		{
			name: "missing step",
			checks: `
  - name: handshake then POST
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0
      - tcp.flags.syn == 1 && tcp.flags.ack == 1
      - http.request.method == "POST"`,
			message:  []string{"matched 2 of 3 steps (frames 1, 2 in tcp.stream 0)", `step 3 (http.request.method == "POST") never followed frame 2`},
			evidence: []int{1, 2},
		},
		{
			name: "impossible within",
			checks: `
  - name: fast handshake
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0
      - {match: tcp.flags.syn == 1 && tcp.flags.ack == 1, within: 1us}
      - tcp.flags.ack == 1 && tcp.flags.syn == 0`,
			message:  []string{"matched 1 of 3 steps (frame 1 in tcp.stream 0)", "step 2 (tcp.flags.syn == 1 && tcp.flags.ack == 1) matched frame 2, 14µs after step 1: later than its within 1µs"},
			evidence: []int{1},
		},
		{
			name: "impossible check within",
			checks: `
  - name: whole exchange
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0
      - tcp.len > 0
      - tcp.flags.fin == 1
    within: 100us`,
			message:  []string{"all 3 steps matched (frames 1, 4, 10 in tcp.stream 0) but took", "more than within 100µs"},
			evidence: []int{1, 4, 10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte("lab: variant\nchecks:"+tt.checks+"\n"), 0o644)
			lab, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			res := evalLab(t, lab, result.Artifacts{Capture: pcap})
			c := res.Checks[0]
			if c.Status != result.CheckFail {
				t.Fatalf("status %s: %s", c.Status, c.Message)
			}
			for _, m := range tt.message {
				if !strings.Contains(c.Message, m) {
					t.Errorf("message %q lacks %q", c.Message, m)
				}
			}
			if !reflect.DeepEqual(c.Evidence, tt.evidence) {
				t.Errorf("evidence %v, want %v", c.Evidence, tt.evidence)
			}
			if len(c.Packets) == 0 {
				t.Error("no packets shown")
			}
			for _, p := range c.Packets {
				if p.Line == "" {
					t.Errorf("packet %d has no line", p.Number)
				}
			}
			t.Logf("%s", c.Message)
			for _, p := range c.Packets {
				t.Logf("%-40s %s", p.Mark, p.Line)
			}
		})
	}
}

// TestEvaluateConcurrently grades one Lab from several goroutines, as `wirelab
// grade` does: compiled filters are cloned per evaluation, results agree.
func TestEvaluateConcurrently(t *testing.T) {
	pcap := corpus(t, "captures/http-get.pcap")
	lab, err := Load("testdata/http-get")
	if err != nil {
		t.Fatal(err)
	}
	want := evalLab(t, lab, result.Artifacts{Capture: pcap})
	done := make(chan *result.Result)
	for range 4 {
		go func() {
			res, err := Evaluate(context.Background(), lab, result.Artifacts{Capture: pcap})
			if err != nil {
				t.Error(err)
			}
			done <- res
		}()
	}
	for range 4 {
		res := <-done
		if res == nil {
			continue
		}
		res.Start = want.Start
		if !reflect.DeepEqual(res.Checks, want.Checks) {
			t.Errorf("concurrent evaluation differs")
		}
	}
}
