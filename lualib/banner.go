package lualib

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/internal/probe"
)

// The banner module: banner grabbing over package probe.

func openBanner(s *State) lua.LValue {
	return s.L.SetFuncs(s.L.NewTable(), map[string]lua.LGFunction{
		"grab":     bannerGrab,
		"grab_all": bannerGrabAll,
		"service":  bannerService,
	})
}

// bannerOpts reads banner options from argument n.
func bannerOpts(L *lua.LState, n int, fname string, all bool) probe.BannerOptions {
	names := []string{"timeout", "bytes", "send", "lines", "idle", "wait", "probe"}
	if all {
		names = append(names, "concurrency")
	}
	t := checkOpts(L, n, fname, names)
	var opt probe.BannerOptions
	if d, ok := optSeconds(L, t, n, fname, "timeout"); ok {
		opt.Timeout = d
	}
	if d, ok := optSeconds(L, t, n, fname, "idle"); ok {
		opt.Idle = d
	}
	if d, ok := optSeconds(L, t, n, fname, "wait"); ok {
		opt.Wait = d
	}
	switch v := t.RawGetString("probe"); v {
	case lua.LNil, lua.LTrue:
	case lua.LFalse:
		opt.NoProbe = true
	default:
		argError(L, n, fname, fmt.Sprintf("option \"probe\" must be a boolean, got %s", v.Type()))
	}
	if b, ok := optInt(L, t, n, fname, "bytes", 1, 1<<20); ok {
		opt.Bytes = b
	}
	if l, ok := optInt(L, t, n, fname, "lines", 1, 1<<20); ok {
		opt.Lines = l
	}
	if c, ok := optInt(L, t, n, fname, "concurrency", 1, probe.MaxPort); ok {
		opt.Concurrency = c
	}
	if v := t.RawGetString("send"); v != lua.LNil {
		s, ok := v.(lua.LString)
		if !ok {
			argError(L, n, fname, fmt.Sprintf("option \"send\" must be a string, got %s", v.Type()))
		}
		opt.Send = string(s)
	}
	return opt
}

func bannerGrab(L *lua.LState) int {
	hostName := checkString(L, 1, "grab", false)
	p := checkNumber(L, 2, "grab", false)
	port, ok := toInt(lua.LNumber(p))
	if !ok || port < 1 || port > probe.MaxPort {
		argError(L, 2, "grab", fmt.Sprintf("%q is not a port (1-%d)", lua.LNumber(p).String(), probe.MaxPort))
	}
	opt := bannerOpts(L, 3, "grab", false)
	s := stateOf(L)
	host, src, err := s.probeHost(ctxOf(L), hostName)
	if err != nil {
		return pushProbeErr(L, err)
	}
	opt.Source = src
	b, err := probe.Identify(ctxOf(L), host, port, opt)
	if err != nil {
		return pushProbeErr(L, err)
	}
	L.Push(lua.LString(b.Text))
	L.Push(bannerInfo(L, b))
	return 2
}

// bannerInfo is grab's second result: {service=, probe=, tls={version=,
// subject=, issuer=}}; service and probe are absent when unknown or none.
func bannerInfo(L *lua.LState, b probe.Banner) *lua.LTable {
	t := L.CreateTable(0, 3)
	if b.Service != "" {
		t.RawSetString("service", lua.LString(b.Service))
	}
	if b.Probe != "" {
		t.RawSetString("probe", lua.LString(b.Probe))
	}
	if b.TLS != nil {
		tt := L.CreateTable(0, 3)
		tt.RawSetString("version", lua.LString(b.TLS.Version))
		if b.TLS.Subject != "" {
			tt.RawSetString("subject", lua.LString(b.TLS.Subject))
		}
		if b.TLS.Issuer != "" {
			tt.RawSetString("issuer", lua.LString(b.TLS.Issuer))
		}
		t.RawSetString("tls", tt)
	}
	return t
}

func bannerService(L *lua.LState) int {
	text := checkString(L, 1, "service", false)
	port := 0
	if L.Get(2) != lua.LNil {
		p := checkNumber(L, 2, "service", false)
		n, ok := toInt(lua.LNumber(p))
		if !ok || n < 1 || n > probe.MaxPort {
			argError(L, 2, "service", fmt.Sprintf("%q is not a port (1-%d)", lua.LNumber(p).String(), probe.MaxPort))
		}
		port = n
	}
	if name := probe.Service(text, port); name != "" {
		L.Push(lua.LString(name))
		return 1
	}
	L.Push(lua.LNil)
	return 1
}

func bannerGrabAll(L *lua.LState) int {
	hostName := checkString(L, 1, "grab_all", false)
	ports := checkPorts(L, 2, "grab_all")
	opt := bannerOpts(L, 3, "grab_all", true)
	s := stateOf(L)
	host, src, err := s.probeHost(ctxOf(L), hostName)
	if err != nil {
		return pushProbeErr(L, err)
	}
	opt.Source = src
	got, err := probe.GrabAll(ctxOf(L), host, ports, opt)
	if err != nil {
		return pushProbeErr(L, err)
	}
	t := L.NewTable()
	for port, b := range got {
		t.RawSetInt(port, lua.LString(b))
	}
	L.Push(t)
	return 1
}
