package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every mistake in segments and routers is reported at its position, all
// together.
func TestTopologyErrors(t *testing.T) {
	loadProblems(t, `lab: bad
segments:
  office: 10.0.1.0/24
  dmz: 10.0.1.128/25
  www: 10.0.3.0/24
  wide: 10.0.4.1/24
hosts:
  client: 10.0.1.10
  www: 10.0.9.80
routers:
  gw: [10.0.1.1]
  client: [10.0.1.2, 10.0.3.1]
  r2: [10.0.1.10, 10.0.7.1, nonsense]
checks:
  - name: x
    output: {contains: "x"}
`, nil, []string{
		`lab.yaml:4:8: segment "dmz": 10.0.1.128/25 overlaps segment "office"'s 10.0.1.0/24`,
		`lab.yaml:5:3: segment "www": the name is already used`,
		`lab.yaml:6:9: segment "wide": "10.0.4.1/24" has host bits set: the subnet is 10.0.4.0/24`,
		`lab.yaml:9:8: host "www": 10.0.9.80 is outside every segment`,
		`lab.yaml:11:7: router "gw" has an interface on 1 segment(s): a router joins at least two`,
		`lab.yaml:12:3: router "client": the name is already used`,
		`lab.yaml:13:8: router "r2": 10.0.1.10 is already "client"'s address`,
		`lab.yaml:13:19: router "r2": 10.0.7.1 is outside every segment`,
		`lab.yaml:13:29: router "r2": "nonsense" is not an IPv4 or IPv6 address`,
	})
}

// A router's interfaces follow its addresses' segments; every host gets a
// route to the segments it is not on.
func TestTopologyNetwork(t *testing.T) {
	lab, err := Load(filepath.Join("..", "labs", "two-subnets"))
	if err != nil {
		t.Fatal(err)
	}
	spec := lab.Network()
	if spec == nil || len(spec.Hosts) != 3 || len(spec.Segments) != 2 {
		t.Fatalf("network %+v", spec)
	}
	gw := spec.Hosts[2]
	if gw.Name != "gw" || !gw.Forward || len(gw.Interfaces) != 2 || gw.Interfaces[1].Name != "eth1" || gw.Interfaces[1].Segment != "dmz" {
		t.Errorf("router %+v", gw)
	}
	client := spec.Hosts[0]
	if !client.Adopt || len(client.Routes) != 1 || client.Routes[0].Via.String() != "10.0.1.1" || client.Routes[0].Dst.String() != "10.0.2.0/24" {
		t.Errorf("client %+v", client)
	}
	if g := lab.Graph(); !strings.Contains(g, "gw                   10.0.2.1  router ⇄ office") {
		t.Errorf("graph:\n%s", g)
	}
}

// TestDocGraphs holds every drawing in docs/lab-format.md (a fenced block
// that starts with "segment ") to what Graph draws for the example lab above
// it, so the page shows what `wirelab check --graph` prints.
func TestDocGraphs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "lab-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	var labText string
	var cur []string
	fence, graphs := "", 0
	for _, line := range strings.Split(string(doc), "\n") {
		switch {
		case fence == "" && strings.HasPrefix(line, "```"):
			fence, cur = line, nil
		case fence != "" && line == "```":
			text := strings.Join(cur, "\n") + "\n"
			switch {
			case fence == "```yaml" && strings.HasPrefix(text, "lab:"):
				labText = text
			case fence == "```" && strings.HasPrefix(text, "segment "):
				graphs++
				dir := t.TempDir()
				os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(labText), 0o644)
				os.WriteFile(filepath.Join(dir, "solution.lua"), nil, 0o644)
				lab, err := Load(dir)
				if err != nil {
					t.Errorf("the lab above drawing %d does not load: %v", graphs, err)
				} else if got := lab.Graph(); got != text {
					t.Errorf("drawing %d in the docs:\n%s\nGraph draws:\n%s", graphs, text, got)
				}
			}
			fence = ""
		case fence != "":
			cur = append(cur, line)
		}
	}
	if graphs < 2 {
		t.Errorf("found %d drawings in docs/lab-format.md, want the topology's and the firewall's", graphs)
	}
}

// TestGraphFirewall draws firewall-scan's rules with their defaults written
// out and the names of the addresses they name.
func TestGraphFirewall(t *testing.T) {
	lab, err := Load(filepath.Join("..", "labs", "firewall-scan"))
	if err != nil {
		t.Fatal(err)
	}
	want := `firewall target (the first rule that matches decides; connections let through and lo always pass)
  ├─ 1. drop   in tcp port 23
  ├─ 2. drop   in tcp port 135-139 from client (10.0.0.10)
  ├─ 3. reject in tcp port 445 with admin-prohibited
  ├─ 4. reject in tcp port 631 with tcp-reset
  └─ otherwise accept
`
	if g := lab.Graph(); !strings.HasSuffix(g, want) {
		t.Errorf("graph:\n%s\nwant it to end with:\n%s", g, want)
	}
}
