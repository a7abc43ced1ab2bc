package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/wirelab-dev/wirelab/internal/netlab"
	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// controlFd is the worker's descriptor of an Up run's listening socket.
const controlFd = 5

// upMode is workerEnv's value for the worker of an Up run: it keeps
// controlFd, which has no close-on-exec, from closeStrayFiles.
const upMode = "up"

// up is the worker of an Up run: it builds the lab's network and starts its
// servers as a run does, says it is ready, and then serves exec requests on
// the control socket until it gets SIGTERM (or SIGINT, SIGHUP). It then
// stops every command it started, the servers and the network. The lab's
// client services are not started: nothing runs in the submission's host
// for them to talk to until a person starts it there.
func up(cfg *Config, send func(status)) Exit {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	f := os.NewFile(controlFd, "control")
	if f == nil {
		return Exit{Reason: result.ExitError, Message: "the worker of `wirelab up` was started without its control socket"}
	}
	l, err := net.FileListener(f)
	f.Close()
	if err != nil {
		return Exit{Reason: result.ExitError, Message: "the control socket: " + err.Error()}
	}
	ln, ok := l.(*net.UnixListener)
	if !ok {
		l.Close()
		return Exit{Reason: result.ExitError, Message: "the control socket is not a unix socket"}
	}
	defer ln.Close()

	hosts := map[string]netip.Addr{}
	for _, h := range cfg.Hosts {
		hosts[h.Name] = h.Addr
	}
	lnet, err := buildNetwork(cfg)
	if err != nil {
		return Exit{Reason: result.ExitError, Message: "setting up the lab's network: " + err.Error()}
	}
	defer lnet.close()
	if lnet.lab == nil {
		return Exit{Reason: result.ExitError, Message: "a lab that is up needs its own network: `wirelab up` cannot run with --isolation=none"}
	}
	art, err := openArtifacts(cfg.Dir)
	if err != nil {
		return Exit{Reason: result.ExitError, Message: err.Error()}
	}
	defer art.close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	senv := &service.Env{LabDir: cfg.LabDir, Hosts: hosts, Log: art.svcLog}
	events := &eventWriter{w: art.events, max: defaultOutput}
	senv.Lua = luaService(cfg, hosts, lnet, art.svcLog, func(e lualib.Event) { events.write(e) })
	services, err := startServers(ctx, cfg, lnet, senv)
	if err != nil {
		return Exit{Reason: result.ExitError, Message: err.Error()}
	}
	defer func() {
		for i := len(services) - 1; i >= 0; i-- {
			services[i].Close()
		}
	}()
	srv := newControl(cfg, lnet, hosts)
	served := make(chan struct{})
	go func() {
		srv.serve(ln)
		close(served)
	}()
	send(status{Ready: true, Start: time.Now().UnixNano()})
	<-stop
	ln.Close()
	<-served
	srv.stopAll()
	return Exit{}
}

// etcHosts is the hosts file a command started in a lab sees: the lab's names
// and nothing of the machine's.
func etcHosts(hosts []Host) []byte {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	for _, h := range hosts {
		if h.Name == "localhost" {
			continue
		}
		for _, a := range h.All() {
			fmt.Fprintf(&b, "%s\t%s\n", a.Unmap(), h.Name)
		}
	}
	return []byte(b.String())
}

// UpHost is one host of a lab that is up, as `wirelab up` lists it.
type UpHost struct {
	Name       string
	Aliases    []string     // the lab's other names for the same host
	Addrs      []netip.Addr // its interfaces' (and extra loopback) addresses, in order
	Submission bool         // the host a submission runs on
	Router     bool
	Services   []UpService
}

// UpService is a server of a lab that is up.
type UpService struct {
	Name, Kind string
	Proto      string // tcp or udp
	Host       string // the name it listens on, as the lab says it
	Port       uint16
}

func (s UpService) String() string {
	return fmt.Sprintf("%s (%s, %s port %d)", s.Name, s.Kind, s.Proto, s.Port)
}

// UpHosts describes the network an Up run of cfg builds: each host, its
// names and addresses and the services listening on it, in the lab's order.
func UpHosts(cfg Config) []UpHost {
	var spec netlab.Spec
	sub := cfg.Source
	if cfg.Network != nil {
		spec = *cfg.Network
		for _, h := range spec.Hosts {
			if h.Adopt {
				sub = h.Name
			}
		}
	} else {
		spec, sub = flatNetwork(cfg.Hosts, cfg.Source)
	}
	var out []UpHost
	byAddr := map[netip.Addr]int{}
	for _, h := range spec.Hosts {
		u := UpHost{Name: h.Name, Submission: h.Name == sub, Router: h.Forward}
		for _, i := range h.Interfaces {
			for _, a := range i.Addrs {
				u.Addrs = append(u.Addrs, a.Addr())
			}
		}
		for _, a := range h.Loopback {
			if !a.IsLoopback() {
				u.Addrs = append(u.Addrs, a)
			}
		}
		for _, a := range u.Addrs {
			byAddr[a.Unmap()] = len(out)
		}
		out = append(out, u)
	}
	hosts := map[string]netip.Addr{}
	for _, h := range cfg.Hosts {
		hosts[h.Name] = h.Addr
		i, ok := byAddr[h.Addr.Unmap()]
		if ok && h.Name != out[i].Name && !slices.Contains(out[i].Aliases, h.Name) {
			out[i].Aliases = append(out[i].Aliases, h.Name)
		}
	}
	for _, s := range cfg.Services {
		if service.IsClient(s) {
			continue
		}
		ap, err := service.ResolveListen(s.Listen, hosts)
		if err != nil {
			continue
		}
		i, ok := byAddr[ap.Addr().Unmap()]
		if !ok && (ap.Addr().IsLoopback() || ap.Addr().IsUnspecified()) {
			i, ok = subIndex(out)
		}
		if !ok {
			continue
		}
		proto := "tcp"
		if s.Kind == "udp-echo" || s.Protocol == "udp" {
			proto = "udp"
		}
		name, _, _ := net.SplitHostPort(s.Listen)
		out[i].Services = append(out[i].Services, UpService{Name: s.Name, Kind: s.Kind, Proto: proto, Host: name, Port: ap.Port()})
	}
	return out
}

func subIndex(hosts []UpHost) (int, bool) {
	for i, h := range hosts {
		if h.Submission {
			return i, true
		}
	}
	return 0, false
}

// errNotUp is a control socket nobody listens on.
var errNotUp = errors.New("not up")
