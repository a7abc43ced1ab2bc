package runner

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestCaptureFilterBeforeNumbering: a recorded capture graded with the lab's
// capture filter is numbered as a live capture with that filter numbers it
// (frame.number, tcp.stream, relative seq): the same verdict as the file
// tcpdump -r -w writes with the filter, which is what a live run records.
func TestCaptureFilterBeforeNumbering(t *testing.T) {
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		t.Skip("tcpdump not installed (.ci/run installs it)")
	}
	pcap := corpus(t, "captures/http-get.pcap") // two connections: client ports 56586, then 56602
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(`lab: second-connection
capture:
  filter: tcp port 56602
checks:
  - name: the kept connection is stream 0, from frame 1
    packet: tcp.stream == 0 && tcp.srcport == 56602 && tcp.flags.syn == 1 && frame.number == 1
  - name: no stream 1
    none: tcp.stream == 1
  - name: the request is at relative seq 1
    packet: http.request && tcp.seq == 1 && frame.number == 4
  - name: handshake first
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0
      - tcp.flags.syn == 1 && tcp.flags.ack == 1
`), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	filtered := filepath.Join(t.TempDir(), "filtered.pcap")
	if out, err := exec.Command(tcpdump, "-r", pcap, "-w", filtered, "tcp port 56602").CombinedOutput(); err != nil {
		t.Fatalf("tcpdump: %v\n%s", err, out)
	}
	whole := evalLab(t, lab, result.Artifacts{Capture: pcap})
	live := evalLab(t, lab, result.Artifacts{Capture: filtered})
	for i, c := range whole.Checks {
		l := live.Checks[i]
		if c.Status != result.CheckPass || l.Status != result.CheckPass || !slices.Equal(c.Evidence, l.Evidence) {
			t.Errorf("check %q: the whole file %s %v (%s), tcpdump's filtered file %s %v (%s)", c.Name, c.Status, c.Evidence, c.Message, l.Status, l.Evidence, l.Message)
		}
	}
	if whole.Packets != 10 || !slices.ContainsFunc(whole.Notes, func(n string) bool { return strings.Contains(n, "graded the 10 of 22 packets") }) {
		t.Errorf("packets %d, notes %q", whole.Packets, whole.Notes)
	}
	if whole.Artifacts.CaptureFilter != "tcp port 56602" || live.Artifacts.CaptureFilter != "" {
		t.Errorf("artifacts' capture filter %q and %q: a report reading the whole file must drop what the lab does", whole.Artifacts.CaptureFilter, live.Artifacts.CaptureFilter)
	}
}

// TestFrameComment: a pcapng frame's comments reach a check as frame.comment,
// matched as tshark matches them.
func TestFrameComment(t *testing.T) {
	src, err := capture.ReadFile(corpus(t, "captures/http-get.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "commented.pcapng")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := capture.NewWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	iface, err := w.AddInterface("lo", layers.LinkType(src[0].LinkType), 65535)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range src {
		fr := capture.Frame{Data: p.Data, LinkType: layers.LinkType(p.LinkType)}
		fr.Info.Timestamp, fr.Info.CaptureLength, fr.Info.Length = p.Time, len(p.Data), p.Len
		var comments []string
		if p.Number == 4 {
			comments = []string{"student: my GET", "second note"}
		}
		if err := w.WriteFrame(iface, fr, comments...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(`lab: comments
checks:
  - name: the GET is commented
    packet: frame.comment contains "my GET" && http.request.method == "GET"
  - name: one commented frame
    packet: frame.comment
    count: 1
  - name: every comment is read
    packet: frame.comment == "second note"
`), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := evalLab(t, lab, result.Artifacts{Capture: path})
	for _, c := range res.Checks {
		if c.Status != result.CheckPass || !slices.Equal(c.Evidence, []int{4}) {
			t.Errorf("check %q: %s %v %s", c.Name, c.Status, c.Evidence, c.Message)
		}
	}
	if tshark, err := exec.LookPath("tshark"); err == nil {
		out, err := exec.Command(tshark, "-r", path, "-Y", `frame.comment contains "my GET"`, "-T", "fields", "-e", "frame.number").Output()
		if err != nil || strings.TrimSpace(string(out)) != "4" {
			t.Errorf("tshark finds the comment on frames %q (%v), wirelab on 4", out, err)
		}
	}
}
