package jail

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/runner/result"
)

func TestMain(m *testing.M) {
	if IsJail() {
		os.Exit(Main())
	}
	os.Exit(m.Run())
}

func TestHello(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/hello.py", []byte("import os,sys\nprint('hello', os.getcwd(), os.getuid())\nprint(sorted(os.listdir('/')))\nprint(open('/etc/hosts').read())\nsys.exit(3)\n"), 0o644)
	var out bytes.Buffer
	r, err := Run(context.Background(), Spec{Argv: []string{"python3", "hello.py"}, Dir: dir, Stdout: &out, Stderr: &out,
		Files: map[string][]byte{"/etc/hosts": []byte("10.0.0.80 www.example.com\n")}, Limits: Limits{Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v\n%s", r, out.String())
	if r.Reason != result.ExitError || r.Code != 3 || !strings.Contains(out.String(), "hello /submission") {
		t.Fatal("bad")
	}
}
