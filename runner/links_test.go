package runner

import (
	"testing"
)

// Every mistake in links is reported at its position, with the way out.
func TestLinkErrors(t *testing.T) {
	loadProblems(t, `lab: bad
hosts:
  client: 10.0.0.10
  server: 10.0.0.20
  web: 10.0.0.20
links:
  clinet: {both: {delay: 10ms}}
  client:eth1: {both: {delay: 10ms}}
  server: {}
  web: {both: {delay: 5ms}}
  client:
    seed: x
    out:
      delay: fast
      loss: 10
      duplicate: 150%
      reorder: 5 percent
      rate: 1mbps
      queue: 0
      jiter: 1ms
      rules:
        - drop: tcp.flags.syn == 1 &&
        - {delay: tcp.len > 0}
        - {drop: tcp, by: 1s}
        - {drop: tcp, delay: udp, by: 1s}
        - {nth: 2}
        - {drop: tcp, nth: first}
        - {delay: dns, by: 0s}
    in:
      rules: {drop: tcp}
  "[x]": 1
checks:
  - name: x
    output: {contains: "x"}
`, nil, []string{
		`lab.yaml:7:3: links: no host or router "clinet" (did you mean "client"?)`,
		`lab.yaml:8:3: links: "client" has no interface "eth1" (it has eth0)`,
		`lab.yaml:9:11: link "server" impairs nothing: give it both, out (what server sends) or in (what it receives)`,
		`lab.yaml:10:3: links: server:eth0 is impaired twice (names sharing an address are one host)`,
		`lab.yaml:12:11: link "client": seed must be a whole number, not "x"`,
		`lab.yaml:14:14: link "client", out: delay "fast" is not a duration: write a number and a unit, like 10s, 500ms or 1m`,
		`lab.yaml:15:13: link "client", out: loss 10 needs a % sign: write 10% (a percentage)`,
		`lab.yaml:16:18: link "client", out: duplicate 150% is not a percentage from 0% to 100%`,
		`lab.yaml:17:16: link "client", out: reorder "5 percent" is not a percentage: write it like 10% or 0.5%`,
		`lab.yaml:18:13: link "client", out: rate "1mbps" is ambiguous (bits or bytes?): write bits per second, like 1mbit, or 8mbit for one megabyte a second`,
		`lab.yaml:19:14: link "client", out: queue must be between 1 and 1048576, not 0`,
		`lab.yaml:20:7: unknown key "jiter" in link "client", out (did you mean "jitter"?)`,
		`lab.yaml:22:38: link "client", out, rule 1: drop: expected a field, found the end of the filter`,
		"lab.yaml:23:19: link \"client\", out, rule 2: a delay rule says by how long: add `by: 2s`",
		`lab.yaml:24:27: link "client", out, rule 3: by goes with delay, not drop`,
		`lab.yaml:25:23: link "client", out, rule 4: one action a rule: drop and delay`,
		`lab.yaml:25:39: link "client", out, rule 4: by goes with delay, not drop`,
		"lab.yaml:26:11: link \"client\", out, rule 5: a rule needs an action with its filter: drop, delay or duplicate (like `drop: tcp.len > 0`)",
		`lab.yaml:27:28: link "client", out, rule 6: nth must be a whole number, not "first"`,
		`lab.yaml:28:28: link "client", out, rule 7: by must be more than 0`,
		"lab.yaml:30:14: link \"client\", in: rules must be a list (like `- drop: tcp.flags.syn == 1 && tcp.flags.ack == 1`), not a mapping",
		`lab.yaml:31:3: links: no host or router "[x]"`,
	})
}

// A link decodes to the run's config: both's keys in each direction, own
// keys over them, rules added up, the seed kept.
func TestLinkDecodes(t *testing.T) {
	l := loadText(t, `lab: ok
hosts:
  client: 10.0.0.10
  server: 10.0.0.20
links:
  client:
    seed: 7
    both: {delay: 20ms, loss: 0.5%}
    out:
      delay: 50ms
      rate: 1.5mbit
      rules:
        - {drop: tcp.flags.syn == 1 && tcp.flags.ack == 0, nth: [1, 3]}
    in:
      rules:
        - {delay: dns, by: 2s, nth: all}
checks:
  - name: x
    output: {contains: "x"}
`, nil)
	if len(l.Links) != 1 {
		t.Fatalf("links %+v", l.Links)
	}
	k := l.Links[0]
	if k.Point != "client:eth0" || k.Seed != 7 || k.Out == nil || k.In == nil {
		t.Fatalf("link %+v", k)
	}
	if k.Out.Delay.Milliseconds() != 50 || k.In.Delay.Milliseconds() != 20 || k.Out.Loss != 0.005 || k.In.Loss != 0.005 || k.Out.Rate != 1500000 {
		t.Errorf("out %+v in %+v", *k.Out, *k.In)
	}
	if len(k.Out.Rules) != 1 || k.Out.Rules[0].Action != "drop" || len(k.Out.Rules[0].Nth) != 2 || k.Out.Rules[0].Nth[1] != 3 {
		t.Errorf("out rules %+v", k.Out.Rules)
	}
	if len(k.In.Rules) != 1 || k.In.Rules[0].Action != "delay" || !k.In.Rules[0].All || k.In.Rules[0].By.Seconds() != 2 {
		t.Errorf("in rules %+v", k.In.Rules)
	}
}
