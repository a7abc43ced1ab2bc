package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every mistake in a host's list of addresses is reported at its position,
// all together.
func TestMultiAddressErrors(t *testing.T) {
	dir := t.TempDir()
	lab := `lab: bad
segments:
  lan: [10.0.0.0/24, fd00::/64]
hosts:
  client: [10.0.0.10, fd00::10]
  empty: []
  www: [10.0.0.80, nonsense, 10.0.0.80]
  lo: [127.0.0.2, 10.0.0.3]
  twin: [10.0.0.90, 10.0.0.10]
  alias: 10.0.0.10
  far: [10.0.0.20, 10.9.0.1]
  nested: [[10.0.0.30]]
checks:
  - name: x
    output: {contains: "x"}
`
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(lab), 0o644)
	_, err := Load(dir)
	if err == nil {
		t.Fatal("the lab loaded")
	}
	for _, want := range []string{
		`lab.yaml:6:10: host "empty" has an empty list of addresses: give one, like ` + "`empty: 10.0.0.10`" + `, or several`,
		`lab.yaml:7:20: host "www": "nonsense" is not an IPv4 or IPv6 address`,
		`lab.yaml:7:30: host "www": 10.0.0.80 is listed twice`,
		`lab.yaml:8:8: host "lo": 127.0.0.2 is a loopback address`,
		`lab.yaml:9:21: host "twin": 10.0.0.10 is already "client"'s address`,
		`lab.yaml:10:10: host "alias": 10.0.0.10 is already "client"'s address`,
		`lab.yaml:11:20: host "far": 10.9.0.1 is outside every segment`,
		`lab.yaml:12:12: host "nested"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

// A host's addresses give it an interface per segment (eth0, eth1 in the
// order of its addresses), IPv4 and IPv6 on one segment sharing one; the
// first address is what its name resolves to, and firewall rules naming the
// host cover every address.
func TestMultiAddressNetwork(t *testing.T) {
	dir := t.TempDir()
	lab := `lab: multi
segments:
  office: [10.0.1.0/24, fd00:1::/64]
  dmz: 10.0.2.0/24
hosts:
  client: [10.0.1.10, fd00:1::10]
  db: [10.0.2.5, 10.0.1.5, fd00:1::5, 10.0.2.6]
  www: 10.0.2.80
routers:
  gw: [10.0.1.1, 10.0.2.1]
firewalls:
  www:
    - {action: drop, proto: tcp, port: 5432, from: db}
submission:
  file: solution.lua
checks:
  - name: x
    output: {contains: "x"}
`
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(lab), 0o644)
	os.WriteFile(filepath.Join(dir, "solution.lua"), nil, 0o644)
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := l.HostAddr("db"); a.String() != "10.0.2.5" {
		t.Errorf("db resolves to %s first, want 10.0.2.5", a)
	}
	spec := l.Network()
	db := spec.Hosts[1]
	if db.Name != "db" || db.Forward || len(db.Interfaces) != 2 {
		t.Fatalf("db %+v", db)
	}
	for i, want := range []string{"eth0 dmz [10.0.2.5/24 10.0.2.6/24]", "eth1 office [10.0.1.5/24 fd00:1::5/64]"} {
		ifc := db.Interfaces[i]
		if got := fmt.Sprintf("%s %s %v", ifc.Name, ifc.Segment, ifc.Addrs); got != want {
			t.Errorf("db interface %d: %q, want %q", i, got, want)
		}
	}
	client := spec.Hosts[0]
	if len(client.Interfaces) != 1 || len(client.Interfaces[0].Addrs) != 2 {
		t.Errorf("client %+v", client)
	}
	if fw := l.Firewalls[0]; len(fw.Rules[0].From) != 4 {
		t.Errorf("from: db is %v, want its 4 addresses", fw.Rules[0].From)
	}
	g := l.Graph()
	for _, want := range []string{
		"  ├─ db                   10.0.1.5, fd00:1::5\n",
		"  ├─ db                   10.0.2.5, 10.0.2.6\n",
		"  ├─ 1. drop   in tcp port 5432 from db (10.0.2.5, 10.0.1.5, fd00:1::5, 10.0.2.6)\n",
	} {
		if !strings.Contains(g, want) {
			t.Errorf("graph has no %q:\n%s", want, g)
		}
	}
}
