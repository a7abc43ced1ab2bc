package sandbox

import (
	"context"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

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
	svcConns  *atomic.Int64 // connections the services hold open (their fds are not the script's)
	iface     string        // capture.start's default interface; "" for lo
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
		// The submission's host's first Ethernet interface: where its
		// packets go.
		Interface: env.iface,
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
	stop := watchSockets(ctx, env)
	defer stop()
	return st.DoFile(cfg.Script)
}

// watchSockets stops the script once it holds more than env.sockets open
// files and sockets. The script's descriptors are the process's open
// descriptors beyond those open when the script started, less the service
// side of connections. RLIMIT_NOFILE is the hard stop behind it.
func watchSockets(ctx context.Context, env scriptEnv) (stop func()) {
	dir, err := os.Open("/proc/self/fd")
	if err != nil {
		return func() {}
	}
	// Opened once: at the limit, opening it again would fail.
	base := countFDs(dir)
	var mu sync.Mutex // the goroutine and the final check share dir
	fired := false
	check := func() bool {
		mu.Lock()
		defer mu.Unlock()
		if fired {
			return true
		}
		// The services open and close connections while the folder is
		// read: subtract the most they held during the read, or a
		// connection closed after it was counted would be the script's
		// (a churning client was stopped at 8 sockets while holding 1).
		var svc int64
		if env.svcConns != nil {
			svc = env.svcConns.Load()
		}
		n := countFDs(dir) - base
		if env.svcConns != nil {
			n -= int(max(svc, env.svcConns.Load()))
		}
		if n > env.sockets {
			fired = true
			env.onSockets()
		}
		return fired
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if check() {
					return
				}
			}
		}
	}()
	// A script can open sockets faster than the watcher looks, reach
	// RLIMIT_NOFILE and end with an error before the watcher saw it: one last
	// look, before the script's sockets are closed, settles it.
	return func() {
		close(done)
		<-finished
		check()
		dir.Close()
	}
}

// countFDs counts this process's open file descriptors, dir being
// /proc/self/fd (itself one of them).
func countFDs(dir *os.File) int {
	if _, err := dir.Seek(0, io.SeekStart); err != nil {
		return 0
	}
	names, _ := dir.Readdirnames(-1)
	return len(names)
}
