package runner

import (
	"path/filepath"
	"testing"
)

// Every mistake in firewalls is reported at its position, with the way out.
func TestFirewallErrors(t *testing.T) {
	loadProblems(t, `lab: bad
hosts:
  client: 10.0.0.10
  server: 10.0.0.20
  web: 10.0.0.20
firewalls:
  sever:
    - {action: drop}
  server:
    - {action: dorp, proto: tcp, port: 80}
    - {acton: drop}
    - {action: drop, port: 22}
    - {action: reject, proto: tcp, port: 90-80}
    - {action: drop, proto: tcp, port: 0}
    - {action: drop, from: clinet}
    - {action: drop, from: 10.0.0.1/24}
    - {action: drop, direction: forward}
    - {action: drop, reject_with: admin-prohibited}
    - {action: reject, proto: udp, reject_with: tcp-reset}
    - {action: reject, proto: tcp, port: 23, reject_with: admin-prohibted}
    - {proto: tcp}
  web:
    - {action: accept}
  client: {action: drop}
checks:
  - name: x
    output: {contains: "x"}
`, nil, []string{
		`lab.yaml:7:3: firewalls: no host or router "sever" (did you mean "server"?)`,
		`lab.yaml:10:16: firewall of "server", rule 1: action "dorp" is not one of accept, drop, reject (did you mean "drop"?)`,
		`lab.yaml:11:8: unknown key "acton" in firewall of "server", rule 2 (did you mean "action"?)`,
		`lab.yaml:12:28: firewall of "server", rule 3: a port needs proto tcp or udp`,
		`lab.yaml:13:42: firewall of "server", rule 4: port: "90-80" runs backwards: write 80-90`,
		`lab.yaml:14:40: firewall of "server", rule 5: port: "0": ports start at 1`,
		`lab.yaml:15:28: firewall of "server", rule 6: from: "clinet" is not an address, a subnet or a host's name (did you mean "client"?)`,
		`lab.yaml:16:28: firewall of "server", rule 7: from: "10.0.0.1/24" has host bits set: the subnet is 10.0.0.0/24`,
		`lab.yaml:17:33: firewall of "server", rule 8: direction forward is for routers`,
		`lab.yaml:18:35: firewall of "server", rule 9: reject_with goes with action reject, not drop`,
		`lab.yaml:19:49: firewall of "server", rule 10: reject_with tcp-reset needs proto tcp`,
		`(did you mean "admin-prohibited"?)`,
		`lab.yaml:21:7: firewall of "server", rule 12: a rule needs an action: accept, drop or reject`,
		`lab.yaml:22:3: firewalls: host "web" has a firewall already (names sharing an address are one host)`,
		`lab.yaml:24:11: firewall of "client" must be a list of rules`,
	})
}

// Names resolve to addresses, ranges and lists decode, and a rule reaches
// the run's config.
func TestFirewallDecodes(t *testing.T) {
	lab, err := Load(filepath.Join("..", "labs", "firewall-scan"))
	if err != nil {
		t.Fatal(err)
	}
	if len(lab.Firewalls) != 1 || lab.Firewalls[0].Host != "target" || len(lab.Firewalls[0].Rules) != 4 {
		t.Fatalf("firewalls %+v", lab.Firewalls)
	}
	r := lab.Firewalls[0].Rules[1]
	if r.Action != "drop" || r.Proto != "tcp" || len(r.Ports) != 1 || r.Ports[0].Lo != 135 || r.Ports[0].Hi != 139 ||
		len(r.From) != 1 || r.From[0].String() != "10.0.0.10/32" {
		t.Errorf("rule 2 %+v", r)
	}
}
