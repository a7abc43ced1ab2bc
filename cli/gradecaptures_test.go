package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGradeCaptures grades a class of recorded captures with verify's
// engine: each student's per-check results equal 'wirelab verify' of the same
// capture (and output.txt, in a student's folder); a file that is no
// capture, a folder with two and a text file are rows of their own,
// not-graded with the reason; the student's folder holds what was graded; a
// second batch keeps every result.
func TestGradeCaptures(t *testing.T) {
	lab := "../runner/testdata/http-get"
	pcap, err := os.ReadFile(corpusFile(t, "captures/http-get.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	class := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(class, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("alice.pcap", string(pcap))
	write("bob/mine.pcapng", string(pcap))
	write("bob/output.txt", "HTTP/1.0 200 OK\n")
	write("carol.txt", "I forgot to attach it")
	write("dave.pcap", "not a capture at all")
	write("erin/one.pcap", string(pcap))
	write("erin/two.pcap", string(pcap))
	out := filepath.Join(t.TempDir(), "grades")
	code, stdout, stderr := run("grade", lab, "--captures", class, "--out", out)
	if code != ExitOK || !strings.Contains(stdout, "graded 5 submissions: 0 passed, 2 failed, 0 error, 0 timeout, 3 not graded") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	type checks struct {
		Status string
		Reason string
		Score  float64
		Checks []struct{ Name, Status string }
	}
	read := func(p string) checks {
		var c checks
		b, err := os.ReadFile(p)
		if err != nil || json.Unmarshal(b, &c) != nil {
			t.Fatalf("%s: %v\n%s", p, err, b)
		}
		return c
	}
	for student, output := range map[string]string{"alice": "", "bob": filepath.Join(class, "bob", "output.txt")} {
		capt := filepath.Join(class, student+".pcap")
		if student == "bob" {
			capt = filepath.Join(class, "bob", "mine.pcapng")
		}
		vjson := filepath.Join(t.TempDir(), "v.json")
		args := []string{"verify", lab, capt, "--format", "json=" + vjson}
		if output != "" {
			args = append(args, "--output", output)
		}
		run(args...)
		got, want := read(filepath.Join(out, student, "result.json")), read(vjson)
		if got.Status != want.Status || got.Score != want.Score || len(got.Checks) != len(want.Checks) || len(got.Checks) == 0 {
			t.Fatalf("%s: grade %+v, verify %+v", student, got, want)
		}
		for i := range got.Checks {
			if got.Checks[i] != want.Checks[i] {
				t.Errorf("%s: check %d: grade %+v, verify %+v", student, i, got.Checks[i], want.Checks[i])
			}
		}
		for _, f := range []string{"report.txt", "report.html"} {
			if _, err := os.Stat(filepath.Join(out, student, f)); err != nil {
				t.Errorf("%s: %v", student, err)
			}
		}
	}
	if a, b := read(filepath.Join(out, "alice", "result.json")), read(filepath.Join(out, "bob", "result.json")); a.Score == b.Score {
		t.Errorf("bob's output.txt was not graded: both scored %v", a.Score)
	}
	for student, why := range map[string]string{
		"carol": `"carol.txt" is not a capture`,
		"dave":  "dave.pcap is not a capture Wireshark or tcpdump wrote",
		"erin":  "the folder holds 2 captures (one.pcap, two.pcap): hand in one",
	} {
		if r := read(filepath.Join(out, student, "result.json")); r.Status != "not-graded" || !strings.Contains(r.Reason, why) {
			t.Errorf("%s: %+v, want not-graded: %q", student, r, why)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(out, "summary.csv"))
	if !strings.Contains(string(csv), "\ndave,0,") || !strings.Contains(string(csv), "not-graded") {
		t.Errorf("summary.csv:\n%s", csv)
	}
	code, stdout, _ = run("grade", lab, "--captures", class, "--out", out)
	if code != ExitOK || !strings.Contains(stdout, "(5 kept from an earlier run)") {
		t.Errorf("second batch: exit %d\n%s", code, stdout)
	}
}
