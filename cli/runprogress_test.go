package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The progress line counts the run's seconds against its deadline and is
// wiped when the run ends; on anything but a terminal nothing is written.
func TestRunProgress(t *testing.T) {
	var b bytes.Buffer
	stop := tickProgress(&b, "http-client", 10*time.Second, 5*time.Millisecond)
	deadline := time.Now().Add(time.Minute) // a hang guard
	for !strings.Contains(b.String(), "running http-client: ") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	stop()
	out := b.String()
	if !strings.HasPrefix(out, "\rrunning http-client: 0s of 10s") || !strings.HasSuffix(out, "\r") {
		t.Errorf("progress: %q", out)
	}
	var none bytes.Buffer
	runProgress(&none, "http-client", time.Second)()
	if none.Len() != 0 {
		t.Errorf("not a terminal, but wrote %q", none.String())
	}
}
