package cli

import (
	"bytes"
	"strings"
	"testing"
)

// A built-in lab runs by name from any directory (there is no folder
// "http-client" under cli/); an unknown name lists the built-in ones.
func TestBuiltinLabByName(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"check", "http-client"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("check http-client: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), `using the built-in lab "http-client"`) || !strings.Contains(stdout.String(), "http-client: ok") {
		t.Errorf("stdout %q stderr %q", stdout.String(), stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	code := Run([]string{"check", "htp-client"}, &stdout, &stderr)
	if code == ExitOK || !strings.Contains(stdout.String()+stderr.String(), `no built-in lab of that name (did you mean "http-client"?) (built-in: `) ||
		!strings.Contains(stderr.String(), " http-client, ") {
		t.Errorf("check htp-client: exit %d, stdout %q stderr %q", code, stdout.String(), stderr.String())
	}
}
