package cli

import (
	"bytes"
	"regexp"
	"testing"
)

// wirelab --version says which wirelab it is, and nothing else.
func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Run([]string{"--version"}, &out, &errb); code != ExitOK || errb.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if !regexp.MustCompile(`^wirelab (v\d+\.\d+\.\d+\S*|devel(\+[0-9a-f]{1,12})?(-dirty)?) \(go[0-9.]+\S*\)\n$`).MatchString(out.String()) {
		t.Errorf("--version printed %q", out.String())
	}
}

// Shell completion offers the built-in labs' names where a LAB goes.
func TestCompleteLabNames(t *testing.T) {
	for _, args := range [][]string{{"run", "http"}, {"check", "labs/x", "http"}, {"verify", "http"}, {"grade", "http"}} {
		var out, errb bytes.Buffer
		if code := Run(append([]string{"__complete"}, args...), &out, &errb); code != ExitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errb.String())
		}
		if !regexp.MustCompile(`(?m)^http-client\t`).MatchString(out.String()) {
			t.Errorf("%v: completions %q lack http-client", args, out.String())
		}
	}
	var out bytes.Buffer
	Run([]string{"__complete", "verify", "labs/http-client", "http"}, &out, &out)
	if regexp.MustCompile(`(?m)^http-client`).MatchString(out.String()) {
		t.Errorf("verify's CAPTURE completes lab names: %q", out.String())
	}
}
