package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the progress goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The progress line counts the run's seconds against its deadline and is
// wiped when the run ends; on anything but a terminal nothing is written.
func TestRunProgress(t *testing.T) {
	var b syncBuffer
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
