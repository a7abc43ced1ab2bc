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

// TestLabWithProblemsRefused: run, verify and up refuse a lab that does not
// load the same way: the problems one a line, a line that counts them and
// names `wirelab check`, nothing more (no "error: exit status"), exit 2.
func TestLabWithProblemsRefused(t *testing.T) {
	const lab = "../runner/testdata/broken/paths.yaml"
	for _, args := range [][]string{
		{"run", lab},
		{"verify", lab, "x.pcap"},
		{"up", lab},
	} {
		code, out, errs := run(args...)
		lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
		last := "error: the lab has 4 problems; `wirelab check " + lab + "` lists them"
		if code != ExitError || out != "" || len(lines) != 5 || lines[4] != last ||
			!strings.HasSuffix(lines[0], `paths.yaml:3:9: submission file "../../lab.go" leaves the lab's folder: keep the lab's files inside it`) {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", args[0], code, out, errs)
		}
	}
}
