package runner

import (
	"github.com/wirelab-dev/wirelab/runner/result"
	"os"
	"path/filepath"
	"testing"
)

// TestNearestMiss: the first step that did not match names the frame that
// came closest and the conditions it failed, with the values it has.
func TestNearestMiss(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(handshakeLab), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		segs  []seg
		check string
		steps []int // frame per step, 0 none
		miss  int   // step index (from 0) with the near miss
		frame int
		text  string
	}{
		{
			name: "the third step answers with a SYN",
			segs: []seg{
				{0, 40003, true, "S", 1, 0, ""},
				{1 * ms, 40003, false, "SA", 9, 2, ""},
				{2 * ms, 40003, true, "S", 1, 0, ""}, // a second SYN instead of the ACK
				{3 * ms, 40003, false, "R", 9, 0, ""},
			},
			check: "handshake", steps: []int{1, 2, 0}, miss: 2, frame: 4,
			text: "frame 4 (10.0.0.80:80 → 10.0.0.10:40003, RST) meets tcp.flags.syn == 0 and tcp.len == 0 but fails tcp.flags.ack == 1 (tcp.flags.ack is 0)",
		},
		{
			name: "the server never answers with data",
			segs: []seg{
				{0, 40004, true, "S", 1, 0, ""},
				{1 * ms, 40004, false, "SA", 9, 2, ""},
				{2 * ms, 40004, true, "A", 2, 10, ""},
				{3 * ms, 40004, true, "PA", 2, 10, "GET / HTTP/1.0\r\n\r\n"},
				{4 * ms, 40004, false, "FA", 10, 21, ""},
			},
			check: "request", steps: []int{1, 4, 0}, miss: 2, frame: 5,
			text: "frame 5 (10.0.0.80:80 → 10.0.0.10:40004, FIN, ACK) meets tcp.srcport == 80 but fails tcp.len > 0 (tcp.len is 0)",
		},
		{
			name: "the answer comes on another connection",
			segs: []seg{
				{0, 40005, true, "S", 1, 0, ""},
				{1 * ms, 40005, true, "PA", 2, 10, "GET / HTTP/1.0\r\n\r\n"},
				{2 * ms, 40006, false, "PA", 10, 21, "HTTP/1.0 200 OK\r\n\r\n"},
			},
			check: "request", steps: []int{1, 2, 0}, miss: 2, frame: 3,
			text: "frame 3 (10.0.0.80:80 → 10.0.0.10:40006, PSH, ACK) meets tcp.srcport == 80 and tcp.len > 0 but fails in tcp.stream 0 (it is in tcp.stream 1)",
		},
		{
			name: "no SYN at all",
			segs: []seg{
				{0, 40007, true, "A", 1, 0, ""},
			},
			check: "handshake", steps: []int{0, 0, 0}, miss: 0, frame: 1,
			text: "frame 1 (10.0.0.10:40007 → 10.0.0.80:80, ACK) meets tcp.dstport == 80 but fails tcp.flags.syn == 1 (tcp.flags.syn is 0), tcp.flags.ack == 0 (tcp.flags.ack is 1)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := evalLab(t, lab, result.Artifacts{Capture: buildCapture(t, tt.segs)})
			c := checkByName(t, res, tt.check)
			if c.Status != result.CheckFail {
				t.Fatalf("%s: %s, want fail", tt.check, c.Status)
			}
			if len(c.Steps) != len(tt.steps) {
				t.Fatalf("%d steps, want %d", len(c.Steps), len(tt.steps))
			}
			for i, st := range c.Steps {
				if st.Frame != tt.steps[i] {
					t.Errorf("step %d: frame %d, want %d", i+1, st.Frame, tt.steps[i])
				}
				if st.Filter != lab.Checks[checkIndex(lab, tt.check)].Steps[i].Filter {
					t.Errorf("step %d: filter %q", i+1, st.Filter)
				}
				if (st.Miss != nil) != (i == tt.miss) {
					t.Errorf("step %d: near miss %+v", i+1, st.Miss)
				}
			}
			m := c.Steps[tt.miss].Miss
			if m == nil {
				t.Fatal("no near miss")
			}
			if m.Frame != tt.frame {
				t.Errorf("near miss frame %d, want %d (%s)", m.Frame, tt.frame, m.Text)
			}
			if m.Text != tt.text {
				t.Errorf("near miss:\n got %s\nwant %s", m.Text, tt.text)
			}
		})
	}
}

func checkIndex(lab *Lab, name string) int {
	for i, c := range lab.Checks {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// TestStepNameAndHint: a step's name and hint reach the result; the hint only
// on the step that did not match.
func TestStepNameAndHint(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(`lab: named
checks:
  - name: handshake
    sequence:
      - match: tcp.flags.syn == 1 && tcp.flags.ack == 0
        name: the client's SYN
        hint: connect first
      - match: tcp.flags.syn == 1 && tcp.flags.ack == 1
        name: the server's SYN-ACK
        hint: is the server listening?
`), 0o644)
	lab, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := evalLab(t, lab, result.Artifacts{Capture: buildCapture(t, []seg{{0, 40010, true, "S", 1, 0, ""}})})
	c := checkByName(t, res, "handshake")
	if len(c.Steps) != 2 {
		t.Fatalf("%d steps", len(c.Steps))
	}
	if c.Steps[0].Name != "the client's SYN" || c.Steps[1].Name != "the server's SYN-ACK" {
		t.Errorf("names %q, %q", c.Steps[0].Name, c.Steps[1].Name)
	}
	if c.Steps[0].Hint != "" || c.Steps[1].Hint != "is the server listening?" {
		t.Errorf("hints %q, %q: want the second only", c.Steps[0].Hint, c.Steps[1].Hint)
	}
}
