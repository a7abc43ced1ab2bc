package lualib

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strings"
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/internal/probe"
)

// The scan module: TCP connect and UDP scans over package probe.

func openScan(s *State) lua.LValue {
	return s.L.SetFuncs(s.L.NewTable(), map[string]lua.LGFunction{
		"tcp":  scanTCP,
		"open": scanOpen,
		"udp":  scanUDP,
	})
}

var scanOptionNames = []string{"timeout", "concurrency", "retries"}

// scanArgs reads (host, ports[, opts]) for scan.NAME and resolves host. A
// failure to resolve is a runtime failure, returned as err.
func scanArgs(L *lua.LState, fname string, udp bool) (host netip.Addr, ports []int, opt probe.Options, err error) {
	hostName := checkString(L, 1, fname, false)
	ports = checkPorts(L, 2, fname)
	names := scanOptionNames
	if udp {
		names = append(names[:len(names):len(names)], "payload")
	}
	t := checkOpts(L, 3, fname, names)
	if d, ok := optSeconds(L, t, 3, fname, "timeout"); ok {
		opt.Timeout = d
	}
	if n, ok := optInt(L, t, 3, fname, "concurrency", 1, probe.MaxPort); ok {
		opt.Concurrency = n
	}
	if n, ok := optInt(L, t, 3, fname, "retries", 0, 10); ok {
		opt.Retries = n
		if n == 0 {
			opt.Retries = -1 // probe's 0 is "the default"
		}
	}
	if udp {
		if v := t.RawGetString("payload"); v != lua.LNil {
			p, ok := v.(lua.LString)
			if !ok {
				argError(L, 3, fname, "option \"payload\" must be a string, got "+v.Type().String())
			}
			opt.Payload = []byte(p)
		}
	}
	s := stateOf(L)
	host, src, err := s.probeHost(ctxOf(L), hostName)
	if err != nil {
		return host, ports, opt, err
	}
	opt.Source = src
	return host, ports, opt, nil
}

// probeHost resolves name as the socket module does (Env.Hosts when set) and
// picks the local address to probe from: Env.Source when of the same family.
func (s *State) probeHost(ctx context.Context, name string) (host, src netip.Addr, err error) {
	addrs, err := s.lookup(ctx, name, syscall.AF_UNSPEC)
	if err != nil {
		return host, src, err
	}
	if len(addrs) == 0 {
		return host, src, errNoName
	}
	host = addrs[0]
	for _, a := range addrs {
		if a.Is4() { // prefer IPv4, as the lab network is
			host = a
			break
		}
	}
	if s.env.Source.IsValid() {
		for _, a := range addrs {
			if a.Is4() == s.env.Source.Unmap().Is4() {
				host = a
				src = s.env.Source.Unmap()
				break
			}
		}
	}
	return host, src, nil
}

// pushProbeErr returns nil and the probe error worded as LuaSocket would, or
// raises the run's end as a socket call does (pushErr).
func pushProbeErr(L *lua.LState, err error) int {
	stopIfDone(L)
	L.Push(lua.LNil)
	L.Push(lua.LString(probeErr(err)))
	return 2
}

// probeErr words a probe error as LuaSocket would.
func probeErr(err error) string {
	switch {
	case errors.Is(err, errNoName):
		return "host not found"
	case errors.Is(err, probe.ErrTimeout), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "timeout"
	case errors.Is(err, probe.ErrClosed):
		return "closed"
	}
	return strerror(err)
}

// checkPorts reads a port list argument: "1-1024,8080", one port number, or an
// array of port numbers.
func checkPorts(L *lua.LState, n int, fname string) []int {
	var ports []int
	var err error
	switch v := L.Get(n).(type) {
	case lua.LString:
		ports, err = probe.ParsePorts(string(v))
	case lua.LNumber:
		p, ok := toInt(v)
		if !ok {
			err = fmt.Errorf("%q is not a port (1-%d)", v.String(), probe.MaxPort)
		} else {
			ports, err = probe.Ports([]int{p})
		}
	case *lua.LTable:
		if v.Len() > probe.MaxPort*4 {
			argError(L, n, fname, "too many ports")
		}
		for i := 1; i <= v.Len(); i++ {
			e, ok := v.RawGetInt(i).(lua.LNumber)
			p, isInt := toInt(e)
			if !ok || !isInt {
				argError(L, n, fname, fmt.Sprintf("port list item %d is %s, not a port number", i, luaShow(v.RawGetInt(i))))
			}
			ports = append(ports, p)
		}
		ports, err = probe.Ports(ports)
	default:
		argError(L, n, fname, "port list expected (\"1-1024,8080\" or {22, 80}), got "+typeName(L, n))
	}
	if err != nil {
		argError(L, n, fname, err.Error())
	}
	return ports
}

func toInt(v lua.LNumber) (int, bool) {
	f := float64(v)
	if f != math.Trunc(f) || math.IsInf(f, 0) || f < math.MinInt32 || f > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

func luaShow(v lua.LValue) string {
	if s, ok := v.(lua.LString); ok {
		return fmt.Sprintf("%q", string(s))
	}
	if n, ok := v.(lua.LNumber); ok {
		return n.String()
	}
	return v.Type().String()
}

// checkOpts reads an optional options table at n whose keys must be among
// names. It returns an empty table when the argument is absent.
func checkOpts(L *lua.LState, n int, fname string, names []string) *lua.LTable {
	switch v := L.Get(n).(type) {
	case *lua.LTable:
		var bad []string
		v.ForEach(func(k, _ lua.LValue) {
			ks, ok := k.(lua.LString)
			if !ok || !contains(names, string(ks)) {
				bad = append(bad, luaShow(k))
			}
		})
		if len(bad) > 0 {
			sort.Strings(bad)
			argError(L, n, fname, fmt.Sprintf("unknown option %s (known: %s)", bad[0], strings.Join(names, ", ")))
		}
		return v
	case *lua.LNilType:
		return L.NewTable()
	}
	argError(L, n, fname, "options table expected, got "+typeName(L, n))
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// optSeconds reads t[key], a positive number of seconds.
func optSeconds(L *lua.LState, t *lua.LTable, n int, fname, key string) (time.Duration, bool) {
	v := t.RawGetString(key)
	if v == lua.LNil {
		return 0, false
	}
	f, ok := v.(lua.LNumber)
	if !ok || !(f > 0) || float64(f) > 24*3600 {
		argError(L, n, fname, fmt.Sprintf("option %q must be a positive number of seconds, got %s", key, luaShow(v)))
	}
	return time.Duration(float64(f) * float64(time.Second)), true
}

// optInt reads t[key], an integer in [lo, hi].
func optInt(L *lua.LState, t *lua.LTable, n int, fname, key string, lo, hi int) (int, bool) {
	v := t.RawGetString(key)
	if v == lua.LNil {
		return 0, false
	}
	f, ok := v.(lua.LNumber)
	i, isInt := toInt(f)
	if !ok || !isInt || i < lo || i > hi {
		argError(L, n, fname, fmt.Sprintf("option %q must be an integer from %d to %d, got %s", key, lo, hi, luaShow(v)))
	}
	return i, true
}

func pushResults(L *lua.LState, res []probe.Result) {
	t := L.CreateTable(len(res), 0)
	for i, r := range res {
		e := L.CreateTable(0, 3)
		e.RawSetString("port", lua.LNumber(r.Port))
		e.RawSetString("state", lua.LString(r.State))
		e.RawSetString("rtt", lua.LNumber(r.RTT.Seconds()))
		t.RawSetInt(i+1, e)
	}
	L.Push(t)
}

func scanTCP(L *lua.LState) int {
	host, ports, opt, err := scanArgs(L, "tcp", false)
	if err != nil {
		return pushProbeErr(L, err)
	}
	res, err := probe.TCPScan(ctxOf(L), host, ports, opt)
	if err != nil {
		return pushProbeErr(L, err)
	}
	pushResults(L, res)
	return 1
}

func scanOpen(L *lua.LState) int {
	host, ports, opt, err := scanArgs(L, "open", false)
	if err != nil {
		return pushProbeErr(L, err)
	}
	res, err := probe.TCPScan(ctxOf(L), host, ports, opt)
	if err != nil {
		return pushProbeErr(L, err)
	}
	t := L.NewTable()
	for _, r := range res {
		if r.State == probe.Open {
			t.Append(lua.LNumber(r.Port))
		}
	}
	L.Push(t)
	return 1
}

func scanUDP(L *lua.LState) int {
	host, ports, opt, err := scanArgs(L, "udp", true)
	if err != nil {
		return pushProbeErr(L, err)
	}
	res, err := probe.UDPScan(ctxOf(L), host, ports, opt)
	if err != nil {
		return pushProbeErr(L, err)
	}
	pushResults(L, res)
	return 1
}
