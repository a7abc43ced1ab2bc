package runner

import "strings"

// capturePoints splits capture.interface into capture points: host:ifname
// (or ifname, of the submission's host), separated by commas or spaces; ""
// is the default, every interface of the submission's host.
func capturePoints(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	if len(f) == 0 {
		return nil
	}
	return f
}
