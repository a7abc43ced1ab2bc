package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestLadderDirection: the client is the side that opened the conversation
// whoever speaks first, so a server greeting is drawn from server to client,
// and text payloads label the arrows (issue 14 item 4).
func TestLadderDirection(t *testing.T) {
	srv, cli := "10.0.0.25:25", "10.0.0.10:40000"
	tests := []struct {
		name string
		pkts []result.PacketView
		want []string
	}{
		{"SMTP greeting first, no SYN in view", []result.PacketView{
			{Number: 4, Src: srv, Dst: cli, Flags: "PSH, ACK", Info: "25 → 40000 [PSH, ACK] Seq=1 Ack=1 Len=25", Text: "220 mail.lab.test ESMTP"},
			{Number: 5, Src: cli, Dst: srv, Flags: "ACK", Info: "40000 → 25 [ACK] Seq=1 Ack=26 Len=0"},
			{Number: 6, Src: cli, Dst: srv, Flags: "PSH, ACK", Info: "40000 → 25 [PSH, ACK] Seq=1 Ack=26 Len=10", Text: "EHLO lab"},
			{Number: 7, Src: srv, Dst: cli, Flags: "PSH, ACK", Info: "25 → 40000 [PSH, ACK] Seq=26 Ack=11 Len=8", Text: "250 OK"},
		}, []string{
			"client 10.0.0.10:40000",
			"4  |<----- 220 mail.lab.test ESMTP -----|",
			"6  |------------ EHLO lab ------------->|",
			"7  |<------------- 250 OK --------------|",
		}},
		{"the SYN decides", []result.PacketView{
			{Number: 1, Src: "10.0.0.10:2525", Dst: "10.0.0.80:40001", Flags: "SYN"},
			{Number: 2, Src: "10.0.0.80:40001", Dst: "10.0.0.10:2525", Flags: "SYN, ACK"},
		}, []string{"client 10.0.0.10:2525", "1  |--------------- SYN --------------->|"}},
		{"UDP, a registered port serves", []result.PacketView{
			{Number: 3, Src: "10.0.0.53:5353", Dst: "10.0.0.10:45000", Info: "5353 → 45000 Len=5", Text: "pong"},
			{Number: 2, Src: "10.0.0.10:45000", Dst: "10.0.0.53:5353", Info: "45000 → 5353 Len=5", Text: "ping"},
		}, []string{"client 10.0.0.10:45000", "3  |<-------------- pong ---------------|"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ladder(tt.pkts, nil)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("ladder lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestTextWidth: the text report fits a 100-column terminal, its nearest miss
// and step list included.
func TestTextWidth(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "text", fixture(t)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"step 3  missing   tcp.srcport == 80 && tcp.flags.fin == 1", "nearest miss: frame 17", "GET / HTTP/1.1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for i, line := range strings.Split(b.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > textWidth {
			t.Errorf("line %d is %d columns wide:\n%s", i+1, n, line)
		}
	}
}

// TestTextStepNames: a named step is labelled by its name in the step list and
// the ladder, and the unmatched step's hint shows under it.
func TestTextStepNames(t *testing.T) {
	res := fixture(t)
	c := &res.Checks[2]
	c.Steps[0].Name = "the client's SYN"
	c.Steps[2].Name = "the server's FIN"
	c.Steps[2].Hint = "Ask for Connection: close."
	var b bytes.Buffer
	Write(&b, "text", res)
	for _, want := range []string{
		"step 3  missing   the server's FIN: tcp.srcport == 80 && tcp.flags.fin == 1",
		"hint: Ask for Connection: close.",
		"|  step 1: the client's SYN",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
