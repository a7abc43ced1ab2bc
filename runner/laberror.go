package runner

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// markLabError grades a run lab-error when the lab's own code failed during
// it (a lua service's handle raised an error: an event of kind
// lualib.EventLabError): whatever the checks say, the run says nothing
// about the submission. The checks' results are kept for the grader; the
// first fault is the reason, each one a note.
func markLabError(res *result.Result, events string) {
	faults := labFaults(events)
	if len(faults) == 0 {
		return
	}
	res.Status = result.StatusLabError
	res.Reason = fmt.Sprintf("the lab's service %q failed: %s (the lab is at fault, not the submission: fix the lab, then run again)", faults[0].Name, faults[0].Message)
	for _, f := range faults {
		res.Notes = append(res.Notes, fmt.Sprintf("the lab's service %q failed: %s", f.Name, f.Message))
	}
}

// labFaults returns the lab-error events of events.jsonl, at most
// maxServiceNotes of them.
func labFaults(events string) []lualib.Event {
	if events == "" {
		return nil
	}
	f, err := os.Open(events)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []lualib.Event
	kind := []byte(`"kind":"` + lualib.EventLabError + `"`)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() && len(out) < maxServiceNotes {
		if !bytes.Contains(sc.Bytes(), kind) {
			continue
		}
		var e lualib.Event
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Kind == lualib.EventLabError {
			out = append(out, e)
		}
	}
	return out
}
