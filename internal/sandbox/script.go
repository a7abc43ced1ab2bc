package sandbox

import (
	"context"
	"io"
	"net"
	"net/netip"
	"path/filepath"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/lualib"
)

// scriptEnv is what the worker hands the script.
type scriptEnv struct {
	hosts     map[string]netip.Addr
	out       io.Writer
	events    *eventWriter
	sockets   int
	onSockets func()
	iface     string // capture.start's default interface; "" for lo
	// ended is called when the script's code has returned, before its
	// sockets close (what a client of the lab sees as its end).
	ended func()
}

// runScript runs cfg.Script with lualib until it returns or ctx ends.
func runScript(ctx context.Context, cfg *Config, env scriptEnv) error {
	services := map[string]lualib.ServiceAddr{}
	for _, s := range cfg.Services {
		host, _, _ := net.SplitHostPort(s.Listen)
		if ap, err := service.ResolveListen(s.Listen, env.hosts); err == nil {
			services[s.Name] = lualib.ServiceAddr{Host: host, Addr: ap.Addr(), Port: int(ap.Port())}
		}
	}
	var source netip.Addr
	if cfg.Source != "" {
		source = env.hosts[cfg.Source]
	}
	// A submission requires from its own folder and the lab's modules folder
	// only: the lab's folder holds the reference solution and the checks.
	dirs := []string{filepath.Dir(cfg.Script)}
	if cfg.Modules != "" {
		dirs = append(dirs, cfg.Modules)
	}
	st, err := lualib.NewState(&lualib.Env{
		Ctx:      ctx,
		Stdout:   env.out,
		Dirs:     dirs,
		Hosts:    env.hosts,
		Source:   source,
		Args:     cfg.Args,
		Services: services,
		Events:   func(e lualib.Event) { env.events.write(e) },
		LabDir:   cfg.LabDir,
		// Hosts with several addresses resolve to all of them.
		HostsMore: hostsMore(cfg.Hosts),
		// The submission's host's first Ethernet interface: where its
		// packets go.
		Interface: env.iface,
		// The script's own sockets, listeners and captures, counted
		// where it opens them: the services' side of its connections
		// and the worker's other descriptors are not its own.
		MaxOpen:   env.sockets,
		OnTooMany: env.onSockets,
	})
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.ScriptArgs != nil {
		argt := st.L.NewTable()
		argt.RawSetInt(0, lua.LString(cfg.Script))
		for i, a := range cfg.ScriptArgs {
			argt.RawSetInt(i+1, lua.LString(a))
		}
		st.L.SetGlobal("arg", argt)
	}
	err = st.DoFile(cfg.Script)
	if env.ended != nil {
		env.ended()
	}
	return err
}
