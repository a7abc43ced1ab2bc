//go:build linux

package labs

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/internal/netlab"
	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
)

// TestFirewallScanMatchesNmap builds firewall-scan's network as the lab says
// (its segment, hosts and the target's firewall, listeners on the services'
// ports), runs `nmap -sT` over the segment from the client's namespace, and
// compares the states it reads with those the reference solution's scan.tcp
// printed in a real run of the lab: the same ports, the same states.
func TestFirewallScanMatchesNmap(t *testing.T) {
	needSandbox(t)
	if os.Geteuid() != 0 {
		t.Skip("building the lab's network outside a run needs root")
	}
	if _, err := exec.LookPath("nmap"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("nmap is not installed, and CI is set")
		}
		t.Skip("nmap is not installed")
	}
	lab, err := runner.Load("firewall-scan")
	if err != nil {
		t.Fatal(err)
	}
	spec := lab.Network()
	spec.Firewalls = lab.Firewalls
	for i := range spec.Hosts {
		spec.Hosts[i].Adopt = false // a namespace of its own, not the test's
	}
	l, err := netlab.Build(*spec)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	target := l.Host("target")
	for _, s := range lab.Services {
		_, port, _ := strings.Cut(s.Listen, ":")
		var ln net.Listener
		if err := target.Do(func() error {
			var err error
			ln, err = net.Listen("tcp", "10.0.0.30:"+port)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out []byte
	if err := l.Host("client").Do(func() error {
		// A forked child keeps the namespace of the thread that forked it.
		out, err = exec.CommandContext(ctx, "nmap", "-sT", "-Pn", "-n", "-T4", "-p", "1-1024", "-oG", "-", "10.0.0.30").Output()
		return err
	}); err != nil {
		t.Fatalf("nmap: %v\n%s", err, out)
	}
	nmap := map[string]string{}
	for _, m := range regexp.MustCompile(`(\d+)/(open|closed|filtered)/tcp`).FindAllStringSubmatch(string(out), -1) {
		if m[2] != "closed" {
			nmap[m[1]] = m[2]
		}
	}
	if !strings.Contains(string(out), "Ignored State: closed") {
		t.Errorf("nmap did not sum up the closed ports:\n%s", out)
	}

	dir := t.TempDir()
	run, err := runner.Run(context.Background(), lab, runner.RunOptions{Dir: dir, Isolation: sandbox.IsolationNamespace})
	if err != nil {
		t.Fatal(err)
	}
	printed, _ := os.ReadFile(filepath.Join(dir, "output.txt"))
	ours := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(printed)), "\n") {
		if port, state, ok := strings.Cut(line, " "); ok {
			ours[port] = state
		}
	}
	if len(nmap) < 8 || len(nmap) != len(ours) {
		t.Errorf("nmap -sT: %v\nscan.tcp: %v", nmap, ours)
	}
	for p, s := range nmap {
		if ours[p] != s {
			t.Errorf("port %s: nmap -sT %s, scan.tcp %q", p, s, ours[p])
		}
	}
	if run.Result.Score != run.Result.MaxScore {
		t.Errorf("the reference got %g/%g", run.Result.Score, run.Result.MaxScore)
	}
	t.Logf("nmap -sT and scan.tcp agree on %d ports that are not closed: %v", len(nmap), nmap)
}
