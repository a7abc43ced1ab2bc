package runner_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// TestMultiAddressRun runs a lab whose hosts have several addresses (www two
// IPv4 addresses on one segment and an IPv6 one, client IPv4 and IPv6) in
// real namespaces, with segments and without (the inferred one): a service
// listens on each address of www, the submission reaches each by name or
// address, and packet checks see the second address's handshake, its ARP
// answer from www's own MAC address and the IPv6 one; the name resolves to
// all three addresses, and the second address back to the name.
func TestMultiAddressRun(t *testing.T) {
	needRoot(t)
	src := filepath.Join("testdata", "run", "multiaddr")
	yaml, err := os.ReadFile(filepath.Join(src, "lab.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	flat := t.TempDir()
	noSegments := strings.Replace(string(yaml), "segments:\n  lan: [10.0.0.0/24, fd00::/64]\n", "", 1)
	if noSegments == string(yaml) {
		t.Fatal("the fixture's segments are not where the test strips them")
	}
	os.WriteFile(filepath.Join(flat, "lab.yaml"), []byte(noSegments), 0o644)
	sol, _ := os.ReadFile(filepath.Join(src, "solution.lua"))
	os.WriteFile(filepath.Join(flat, "solution.lua"), sol, 0o644)
	for name, dir := range map[string]string{"segments": src, "inferred segment": flat} {
		t.Run(name, func(t *testing.T) {
			lab, err := runner.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if (lab.Topology != nil) != (name == "segments") {
				t.Fatalf("topology %v", lab.Topology)
			}
			run, err := runner.Run(context.Background(), lab, runner.RunOptions{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if res := run.Result; res.Status != result.StatusPassed || res.Score != res.MaxScore || res.MaxScore != 6 {
				rep, _ := os.ReadFile(filepath.Join(run.Dir, runner.ReportFile))
				out, _ := os.ReadFile(filepath.Join(run.Dir, sandbox.OutputFile))
				svc, _ := os.ReadFile(filepath.Join(run.Dir, sandbox.ServiceLog))
				t.Fatalf("status %s, score %v of %v\n%s\noutput:\n%s\nservices:\n%s", res.Status, res.Score, res.MaxScore, rep, out, svc)
			}
		})
	}
}
