package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/internal/testcorpus"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestDue: due: reads RFC 3339 and bare dates (the end of that day, UTC),
// reaches the result, and a date in another form is an error at its line
// with the forms that work.
func TestDue(t *testing.T) {
	lab := func(due string) (*Lab, error) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte("lab: due\ndue: "+due+"\nchecks:\n  - name: any\n    packet: tcp\n    visibility: after_due_date\n"), 0o644)
		return Load(dir)
	}
	for due, want := range map[string]time.Time{
		"2026-12-10T23:59:00Z":      time.Date(2026, 12, 10, 23, 59, 0, 0, time.UTC),
		"2026-12-10T23:59:00+01:00": time.Date(2026, 12, 10, 22, 59, 0, 0, time.UTC),
		"2026-12-10":                time.Date(2026, 12, 10, 23, 59, 59, 0, time.UTC),
	} {
		l, err := lab(due)
		if err != nil || !l.Due.Equal(want) {
			t.Errorf("due %s: %v, %v; want %v", due, l.Due, err, want)
			continue
		}
		res, err := Evaluate(context.Background(), l, result.Artifacts{Capture: testcorpus.Path(t, "captures/http-get.pcap")})
		if err != nil || res.Lab.Due == nil || !res.Lab.Due.Equal(want) {
			t.Errorf("due %s: result's due %v, %v", due, res.Lab.Due, err)
		}
	}
	if _, err := lab("next friday"); err == nil || !strings.Contains(err.Error(), `lab.yaml:2:6: due "next friday": want a date and time with its zone`) {
		t.Errorf("bad due: %v", err)
	}
}
