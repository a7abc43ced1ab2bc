package service

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
)

// IsClient reports whether spec is a client service: a lua service with
// connect instead of listen, which the lab runs against the submission's
// server rather than for the submission to reach.
func IsClient(spec Spec) bool { return spec.Connect != "" }

// Client is a running client service. Its script's run(target) starts once the
// submission has started; the client is done when run returns or fails, or
// when its context ends.
type Client interface {
	// Done is closed when the client has finished.
	Done() <-chan struct{}
	// Err is why the client failed (run raised an error, returned false, or
	// was still connecting or talking when it was stopped); nil when run
	// returned normally. Valid once Done is closed.
	Err() error
	// Stop stops the client if it is still running and waits until it is
	// done. It is safe to call more than once.
	Stop()
}

// LuaClientStarter starts a lua client service: the script's run(target),
// with target the submission's server and from the local address its sockets
// use. The sandbox provides it, so that this package does not depend on lualib.
type LuaClientStarter func(ctx context.Context, spec Spec, script string, target netip.AddrPort, from netip.Addr) (Client, error)

// Host is a lab host: a name that resolves only inside the lab. It is the one
// host type: the lab (runner.Host) and the sandbox's configuration use it too.
type Host struct {
	Name string     `json:"name"`
	Addr netip.Addr `json:"addr"` // what the name resolves to first
	// More are the host's further addresses, in the lab's order: an IPv6
	// address beside the IPv4 one, a second address on a segment, an address
	// on another segment. The name resolves to them after Addr.
	More []netip.Addr `json:"more,omitempty"`
}

// All is every address of the host, Addr first.
func (h Host) All() []netip.Addr { return append([]netip.Addr{h.Addr}, h.More...) }

// defaultFrom returns the host a client service connects from when it names
// none: the first of hosts whose address is neither the submission's address
// (zero when the submission has no host) nor the target's. ok is false when
// every host is one of those two.
func defaultFrom(hosts []Host, submission, target netip.Addr) (name string, ok bool) {
	for _, h := range hosts {
		if all := h.All(); !slices.Contains(all, submission) && !slices.Contains(all, target) {
			return h.Name, true
		}
	}
	return "", false
}

// ClientFrom resolves where a client service connects to and from. hosts are
// the lab's hosts in order, submission the submission's host name ("" for
// none).
func ClientFrom(spec Spec, hosts []Host, submission string) (target netip.AddrPort, from netip.Addr, err error) {
	byName := make(map[string]netip.Addr, len(hosts))
	for _, h := range hosts {
		byName[h.Name] = h.Addr
	}
	host, port, err := net.SplitHostPort(spec.Connect)
	if err != nil {
		return target, from, fmt.Errorf("connect %q is not host:port", spec.Connect)
	}
	if host == "" {
		return target, from, fmt.Errorf("connect %q names no host", spec.Connect)
	}
	target, err = resolveHostPort("connect", spec.Connect, byName)
	if err != nil {
		return target, from, err
	}
	if target.Port() == 0 {
		return target, from, fmt.Errorf("connect %q: port %q is not a number from 1 to 65535", spec.Connect, port)
	}
	name := spec.From
	if name == "" {
		var ok bool
		if name, ok = defaultFrom(hosts, byName[submission], target.Addr()); !ok {
			return target, from, fmt.Errorf("no host to connect from: every host is the submission's or the target's; add one to hosts, or name one with from: HOST")
		}
	}
	a, ok := byName[name]
	if !ok {
		if a, err = netip.ParseAddr(name); err != nil {
			return target, from, fmt.Errorf("from %q is neither a lab host nor an address", name)
		}
	}
	return target, a.Unmap(), nil
}

// StartClient starts a client service and returns at once: the client runs
// until its run(target) returns or ctx ends. The error names the service and
// why it could not start (a script that does not load, no run function).
func StartClient(ctx context.Context, spec Spec, env *Env, hosts []Host, submission string) (Client, error) {
	if !IsClient(spec) || spec.Kind != "lua" {
		return nil, fmt.Errorf("service %q is not a client service (kind lua with connect)", spec.Name)
	}
	if env == nil || env.LuaClient == nil {
		return nil, fmt.Errorf("service %q: lua client services are not available here", spec.Name)
	}
	target, from, err := ClientFrom(spec, hosts, submission)
	if err != nil {
		return nil, fmt.Errorf("service %q: %w", spec.Name, err)
	}
	c, err := env.LuaClient(ctx, spec, luaScript(spec, env), target, from)
	if err != nil {
		return nil, fmt.Errorf("service %q: %w", spec.Name, err)
	}
	return c, nil
}
