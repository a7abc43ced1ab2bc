//go:build linux

package netlab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// wallSpec is twoHosts with a firewall on the server: 7001 open, 7002 closed
// (nothing listens), 7003 dropped (a listener behind the drop), 7004 rejected
// with admin-prohibited, 7005 rejected (a reset although a listener is
// there), 7006 dropped from the client's address, 7100-7199 from its subnet,
// 7200 from another subnet (so open).
func wallSpec() Spec {
	s := twoHosts()
	s.Firewalls = []Firewall{{Host: "server", Rules: []Rule{
		{Action: Drop, Proto: "tcp", Ports: []PortRange{{7003, 7003}}},
		{Action: Reject, Proto: "tcp", Ports: []PortRange{{7004, 7004}}, RejectWith: WithAdminProhibited},
		{Action: Reject, Proto: "tcp", Ports: []PortRange{{7005, 7005}}},
		{Action: Drop, Proto: "tcp", Ports: []PortRange{{7006, 7006}}, From: []netip.Prefix{pfx("10.0.0.10/32")}},
		{Action: Drop, Proto: "tcp", Ports: []PortRange{{7100, 7199}}, From: []netip.Prefix{pfx("10.0.0.0/24")}},
		{Action: Drop, Proto: "tcp", Ports: []PortRange{{7200, 7200}}, From: []netip.Prefix{pfx("10.0.1.0/24")}},
	}}}
	return s
}

// wantStates is what nmap -sT reads for each port of wallSpec.
var wantStates = map[int]string{
	7001: "open", 7002: "closed", 7003: "filtered", 7004: "filtered",
	7005: "closed", 7006: "filtered", 7150: "filtered", 7200: "open",
}

// connectState connects from ns and names the outcome as nmap would.
func connectState(ns *NS, ap string) string {
	var err error
	ns.Do(func() error {
		var c net.Conn
		c, err = net.DialTimeout("tcp", ap, 3*time.Second) // long: a busy machine is no firewall
		if c != nil {
			c.Close()
		}
		return nil
	})
	var ne net.Error
	switch {
	case err == nil:
		return "open"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "closed"
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, syscall.EHOSTUNREACH):
		return "filtered"
	}
	return err.Error()
}

// checkStates connects to every target at once and compares the outcomes.
func checkStates[K comparable](t *testing.T, ns *NS, addr func(K) string, want map[K]string) {
	t.Helper()
	type res struct {
		k     K
		state string
	}
	ch := make(chan res)
	for k := range want {
		go func() { ch <- res{k, connectState(ns, addr(k))} }()
	}
	for range want {
		r := <-ch
		if r.state != want[r.k] {
			t.Errorf("connect to %s: %s, want %s", addr(r.k), r.state, want[r.k])
		}
	}
}

func TestFirewallStates(t *testing.T) {
	needRoot(t)
	l, err := Build(wallSpec())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	srv := l.Host("server")
	for _, p := range []int{7001, 7003, 7004, 7005, 7006, 7150, 7200} {
		ln := listenIn(t, srv, fmt.Sprintf("10.0.0.20:%d", p))
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
	checkStates(t, l.Host("client"), func(p int) string { return fmt.Sprintf("10.0.0.20:%d", p) }, wantStates)
	// nmap -sT, run in the client's namespace, reads the same.
	if _, err := exec.LookPath("nmap"); err != nil {
		t.Skip("nmap is not installed")
	}
	ports := ""
	for p := range wantStates {
		ports += fmt.Sprintf("%d,", p)
	}
	got := nmapStates(t, l.Host("client"), "10.0.0.20", ports[:len(ports)-1])
	for p, want := range wantStates {
		if got[p] != want {
			t.Errorf("nmap -sT: port %d %q, want %q", p, got[p], want)
		}
	}
}

// nmapStates runs nmap -sT inside ns and returns the state of each port.
func nmapStates(t *testing.T, ns *NS, addr, ports string) map[int]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out []byte
	err := ns.Do(func() error {
		var err error
		// A forked child keeps the namespace of the thread that forked it.
		out, err = exec.CommandContext(ctx, "nmap", "-sT", "-Pn", "-n", "-T4", "-p", ports, "-oG", "-", addr).Output()
		return err
	})
	if err != nil {
		t.Fatalf("nmap: %v\n%s", err, out)
	}
	states := map[int]string{}
	for _, m := range regexp.MustCompile(`(\d+)/([a-z|]+)/tcp`).FindAllStringSubmatch(string(out), -1) {
		var p int
		fmt.Sscan(m[1], &p)
		states[p] = m[2]
	}
	return states
}

// Out rules filter what a host sends, forward rules what a router passes on;
// replies to a connection let through pass both ways.
func TestFirewallOutAndForward(t *testing.T) {
	needRoot(t)
	spec := threeSegments()
	spec.Firewalls = []Firewall{
		{Host: "client", Rules: []Rule{{Action: Reject, Direction: Out, Proto: "tcp", Ports: []PortRange{{7001, 7001}}}}},
		{Host: "r2", Rules: []Rule{
			{Action: Drop, Direction: Forward, Proto: "tcp", Ports: []PortRange{{7002, 7002}}, To: []netip.Prefix{pfx("fd00:3::/64")}},
			{Action: Accept, Direction: In, Proto: "icmp"},
			{Action: Drop, Direction: In},
		}},
	}
	l, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	srv := l.Host("server")
	for _, ap := range []string{"10.0.3.30:7001", "10.0.3.30:7002", "[fd00:3::30]:7002", "10.0.3.30:7003"} {
		ln := listenIn(t, srv, ap)
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
	checkStates(t, l.Host("client"), func(ap string) string { return ap }, map[string]string{
		"10.0.3.30:7001":    "closed", // the client's own firewall resets it
		"10.0.3.30:7002":    "open",   // IPv4 passes r2
		"[fd00:3::30]:7002": "filtered",
		"10.0.3.30:7003":    "open",
		"10.0.2.2:22":       "filtered", // r2's own drop-all
	})
}

func TestFirewallValidate(t *testing.T) {
	for _, c := range []struct {
		fw   Firewall
		want string
	}{
		{Firewall{Host: "server", Rules: []Rule{{Action: "deny"}}}, `action "deny"`},
		{Firewall{Host: "server", Rules: []Rule{{Action: Drop, Ports: []PortRange{{80, 80}}}}}, "ports need proto"},
		{Firewall{Host: "server", Rules: []Rule{{Action: Drop, RejectWith: WithTCPReset}}}, "needs action reject"},
		{Firewall{Host: "server", Rules: []Rule{{Action: Drop, Direction: Forward}}}, "needs a router"},
		{Firewall{Host: "nobody", Rules: []Rule{{Action: Drop}}}, "no such host"},
		{Firewall{Host: "server", Rules: []Rule{{Action: Drop, Proto: "icmp", From: []netip.Prefix{pfx("fd00::/64")}}}}, "other family"},
	} {
		s := twoHosts()
		s.Firewalls = []Firewall{c.fw}
		err := s.Validate()
		if err == nil || !regexp.MustCompile(regexp.QuoteMeta(c.want)).MatchString(err.Error()) {
			t.Errorf("%+v: %v, want %q", c.fw, err, c.want)
		}
	}
}
