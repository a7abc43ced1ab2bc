package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestCheckGraph: `wirelab check --graph` draws the segments, then each
// firewall's rules in order.
func TestCheckGraph(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"check", "--graph", "../labs/firewall-scan"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("check --graph: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	seg := strings.Index(out, "segment lan (10.0.0.0/24)\n  ├─ client               10.0.0.10  (the submission)\n")
	fw := strings.Index(out, "firewall target (")
	if seg < 0 || fw < seg || !strings.Contains(out, "  ├─ 3. reject in tcp port 445 with admin-prohibited\n  ├─ 4. reject in tcp port 631 with tcp-reset\n  └─ otherwise accept\n") {
		t.Errorf("check --graph printed:\n%s", out)
	}
}
