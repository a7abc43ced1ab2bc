package runner

import (
	"encoding/json"
	"github.com/wirelab-dev/wirelab/runner/result"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWriteReportFixture regenerates report/testdata/result.json, the result.Result
// the report goldens render, from a real evaluation of http-get.pcap. It runs
// only when WIRELAB_FIXTURE is set.
func TestWriteReportFixture(t *testing.T) {
	if os.Getenv("WIRELAB_FIXTURE") == "" {
		t.Skip("set WIRELAB_FIXTURE=1 to regenerate report/testdata/result.json")
	}
	pcap := corpus(t, "captures/http-get.pcap")
	dir := t.TempDir()
	lab := `lab: http-client
title: Fetch a page with a raw TCP client
hosts:
  localhost: 127.0.0.1
checks:
  - name: three-way handshake
    points: 3
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80
      - tcp.flags.syn == 1 && tcp.flags.ack == 1
      - tcp.flags.ack == 1 && tcp.flags.syn == 0 && tcp.len == 0
    within: 1s
  - name: sends GET /
    points: 2
    packet: http.request.method == "GET" && http.request.uri == "/"
  - name: server closes the second connection
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.srcport == 56602
      - tcp.dstport == 80 && tcp.len > 0
      - tcp.srcport == 80 && tcp.flags.fin == 1
    hint: Read the whole response before you close the socket.
  - name: no resets
    none: tcp.flags.reset == 1
    hint: A reset means a socket was closed with unread data.
  - name: prints the status line
    output: {contains: "200 OK"}
    visibility: after_due_date
  - name: prints the page
    requires: [prints the status line]
    output: {contains: "<html>"}
    visibility: hidden
  - name: exits cleanly
    points: 0.5
    exit: ok
`
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(lab), 0o644)
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := writeFile(t, "output", "HTTP/1.0 404 Not Found\n")
	res := evalLab(t, l, result.Artifacts{Capture: pcap, Output: out,
		Start: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), Duration: 1500 * time.Millisecond,
		Exit: result.Exit{Reason: result.ExitError, Message: "solution.lua:4: attempt to index a nil value"}})
	res.Lab.Path = "labs/http-client/lab.yaml"
	res.Submission = result.SubmissionInfo{ID: "alice", Path: "submissions/alice/solution.lua", SHA256: "0d1f6b2c9f0e4a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b"}
	res.Artifacts = result.Artifacts{Dir: "runs/alice", Capture: "runs/alice/capture.pcapng", Output: "runs/alice/output.txt", Events: "runs/alice/events.jsonl"}
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile("report/testdata/result.json", append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
