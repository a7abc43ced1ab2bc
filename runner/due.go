package runner

import (
	"errors"
	"time"
)

// parseDue reads a lab's due date: RFC 3339 with its zone
// (2026-12-10T23:59:00+01:00, or Z for UTC), or a bare date (2026-12-10),
// which is the end of that day in UTC.
func parseDue(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Add(24*time.Hour - time.Second), nil
	}
	return time.Time{}, errors.New("want a date and time with its zone, like 2026-12-10T23:59:00Z or 2026-12-10T23:59:00+01:00, or a date, like 2026-12-10 (the end of that day in UTC)")
}
