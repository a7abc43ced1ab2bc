package service

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Env is what a running service may use from its lab.
type Env struct {
	LabDir string                // relative paths (route files, scripts, captures) resolve here
	Hosts  map[string]netip.Addr // the lab's hosts, for Listen
	// Log records one line about a service's activity (a request served, a
	// dialog line answered); nil discards. It may be called concurrently.
	Log func(service, line string)
	// Lua starts the handler of a lua service; nil makes lua services an error.
	// The sandbox provides it, so this package does not depend on lualib.
	Lua LuaStarter
	// LuaClient starts a lua client service (connect instead of listen); nil
	// makes them an error. The sandbox provides it too.
	LuaClient LuaClientStarter
	// Conns, when set, counts the connections the services hold open: the
	// services run in the worker beside the script, and the sandbox leaves
	// their descriptors out of the script's socket count.
	Conns *atomic.Int64
}

// LuaStarter starts a lua service: the script's handle(conn) called for each
// TCP connection or UDP datagram on listen, with the same socket API as
// submissions. It returns once the service is listening. The sandbox provides
// it, so that this package does not depend on lualib.
type LuaStarter func(ctx context.Context, spec Spec, script string, listen netip.AddrPort) (Service, error)

func (e *Env) log(svc, format string, args ...any) {
	if e != nil && e.Log != nil {
		e.Log(svc, fmt.Sprintf(format, args...))
	}
}

// Service is a running service: listening from the moment Start returns until
// Close, which stops it, closes its connections and waits for its goroutines.
type Service interface {
	Addr() net.Addr
	Close() error
}

// kind is one service kind: how to validate it and how to start it.
type kind struct {
	start    func(ctx context.Context, spec Spec, env *Env, listen netip.AddrPort) (Service, error)
	validate func(spec Spec) []error
	options  []string // the Spec options this kind accepts besides name, kind, listen
}

// kinds is the registry of service kinds.
var kinds = map[string]kind{
	"http":     {start: startHTTP, validate: validateHTTP, options: []string{"routes"}},
	"tcp-echo": {start: startTCPEcho},
	"udp-echo": {start: startUDPEcho},
	"banner":   {start: startBanner, validate: validateBanner, options: []string{"banner", "dialog", "unknown"}},
	"lua":      {start: startLua, validate: validateLua, options: []string{"script", "protocol"}},
	"replay":   {start: startReplay, validate: validateReplay, options: []string{"capture", "stream"}},
}

// Kinds returns the service kinds, in the order the docs present them.
func Kinds() []string {
	return []string{"http", "tcp-echo", "udp-echo", "banner", "lua", "replay"}
}

// Validate reports what is wrong with a service entry, without its position
// (the loader adds it): an unknown kind, options that do not belong to the
// kind, missing required options. Listen's host is checked by the loader,
// which knows the lab's hosts.
func Validate(spec Spec) []error {
	var errs []error
	if spec.Name == "" {
		errs = append(errs, fmt.Errorf("service has no name"))
	}
	k, ok := kinds[spec.Kind]
	if !ok {
		known := `"` + strings.Join(Kinds(), `", "`) + `"`
		if spec.Kind == "" {
			return append(errs, fmt.Errorf("service %q has no kind (supported kinds are %s)", spec.Name, known))
		}
		return append(errs, fmt.Errorf("service %q: kind %q is not supported; supported kinds are %s", spec.Name, spec.Kind, known))
	}
	switch {
	case spec.Connect != "" && spec.Kind != "lua":
		errs = append(errs, fmt.Errorf("service %q: connect applies only to kind \"lua\" (a lab-side client); kind %q listens", spec.Name, spec.Kind))
	case spec.Connect != "" && spec.Listen != "":
		errs = append(errs, fmt.Errorf("service %q: has both listen and connect; a lua service either listens (a server) or connects (a client)", spec.Name))
	case spec.Connect != "":
		if err := checkHostPort("connect", spec.Connect); err != nil {
			errs = append(errs, fmt.Errorf("service %q: %w", spec.Name, err))
		}
	case spec.Listen == "" && spec.Kind == "lua":
		errs = append(errs, fmt.Errorf("service %q: needs listen (host:port, a server) or connect (host:port, a client of the submission)", spec.Name))
	case spec.Listen == "":
		errs = append(errs, fmt.Errorf("service %q: listen is missing (host:port)", spec.Name))
	default:
		if err := checkHostPort("listen", spec.Listen); err != nil {
			errs = append(errs, fmt.Errorf("service %q: %w", spec.Name, err))
		}
	}
	if spec.From != "" && spec.Connect == "" {
		errs = append(errs, fmt.Errorf("service %q: from applies only to a client service (one with connect)", spec.Name))
	}
	for _, opt := range setOptions(spec) {
		if !slices.Contains(k.options, opt) {
			errs = append(errs, fmt.Errorf("service %q: option %q does not apply to kind %q", spec.Name, opt, spec.Kind))
		}
	}
	if k.validate != nil {
		for _, err := range k.validate(spec) {
			errs = append(errs, fmt.Errorf("service %q: %w", spec.Name, err))
		}
	}
	return errs
}

// checkHostPort checks that v, the value of key, is host:port with a port
// from 1 to 65535.
func checkHostPort(key, v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("%s %q is not host:port", key, v)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("%s %q: port %q is not a number from 1 to 65535", key, v, port)
	}
	return nil
}

func setOptions(s Spec) []string {
	var opts []string
	if len(s.Routes) > 0 {
		opts = append(opts, "routes")
	}
	if s.Banner != "" {
		opts = append(opts, "banner")
	}
	if len(s.Dialog) > 0 {
		opts = append(opts, "dialog")
	}
	if s.Unknown != "" {
		opts = append(opts, "unknown")
	}
	if s.Script != "" {
		opts = append(opts, "script")
	}
	if s.Protocol != "" {
		opts = append(opts, "protocol")
	}
	if s.Capture != "" {
		opts = append(opts, "capture")
	}
	if s.Stream != 0 {
		opts = append(opts, "stream")
	}
	return opts
}

// ResolveListen resolves a service's listen address against the lab's hosts.
func ResolveListen(listen string, hosts map[string]netip.Addr) (netip.AddrPort, error) {
	return resolveHostPort("listen", listen, hosts)
}

// resolveHostPort resolves v, the value of key, a host:port whose host is a
// name from hosts or an address.
func resolveHostPort(key, v string, hosts map[string]netip.Addr) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("%s %q is not host:port", key, v)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("%s %q: port %q is not a number from 0 to 65535", key, v, port)
	}
	if a, ok := hosts[host]; ok {
		return netip.AddrPortFrom(a, uint16(p)), nil
	}
	if host == "" {
		return netip.AddrPortFrom(netip.IPv4Unspecified(), uint16(p)), nil
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("%s %q: %q is neither a lab host nor an address", key, v, host)
	}
	return netip.AddrPortFrom(a, uint16(p)), nil
}

// Start starts a service and returns once it is listening. The error names
// the service and the reason (address in use, a missing file, ...).
func Start(ctx context.Context, spec Spec, env *Env) (Service, error) {
	k, ok := kinds[spec.Kind]
	if !ok {
		return nil, fmt.Errorf("service %q: kind %q is not supported; supported kinds are %q", spec.Name, spec.Kind, Kinds())
	}
	if env == nil {
		env = &Env{}
	}
	if spec.Connect != "" {
		return nil, fmt.Errorf("service %q is a client (connect %q): start it with StartClient", spec.Name, spec.Connect)
	}
	ap, err := ResolveListen(spec.Listen, env.Hosts)
	if err != nil {
		return nil, fmt.Errorf("service %q: %w", spec.Name, err)
	}
	s, err := k.start(ctx, spec, env, ap)
	if err != nil {
		return nil, fmt.Errorf("service %q: %w", spec.Name, err)
	}
	return s, nil
}

// tcpServer accepts connections and hands each to handle in its own goroutine;
// Close stops accepting, closes every open connection and waits.
type tcpServer struct {
	ln     net.Listener
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	cancel context.CancelFunc
}

// listenTCP listens on ap. Closing the listener closes the connections still
// waiting to be accepted gracefully (FIN), not with the kernel's RST, so a
// run's capture does not depend on how quickly the service accepted them.
func listenTCP(ap netip.AddrPort) (net.Listener, error) {
	ln, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(ap))
	if err != nil {
		return nil, err
	}
	return newDrainListener(ln), nil
}

func serveTCP(ctx context.Context, ln net.Listener, env *Env, handle func(ctx context.Context, c net.Conn)) *tcpServer {
	ctx, cancel := context.WithCancel(ctx)
	s := &tcpServer{ln: ln, conns: map[net.Conn]struct{}{}, cancel: cancel}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		var backoff time.Duration
		for {
			c, err := ln.Accept()
			if err != nil {
				if isTemporary(err) {
					// Out of descriptors: wait for some to close, as net/http does.
					backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
					select {
					case <-time.After(backoff):
						continue
					case <-ctx.Done():
						return
					}
				}
				return
			}
			backoff = 0
			s.mu.Lock()
			if s.closed {
				s.mu.Unlock()
				c.Close()
				return
			}
			s.conns[c] = struct{}{}
			if env.Conns != nil {
				env.Conns.Add(1)
			}
			s.wg.Add(1)
			s.mu.Unlock()
			go func() {
				defer s.wg.Done()
				defer func() {
					s.mu.Lock()
					delete(s.conns, c)
					s.mu.Unlock()
					c.Close()
					if env.Conns != nil {
						env.Conns.Add(-1)
					}
				}()
				handle(ctx, c)
			}()
		}
	}()
	return s
}

// isTemporary reports accept errors worth retrying (EMFILE and friends), so a
// submission that exhausts file descriptors does not stop the service for good.
func isTemporary(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "too many open files") || strings.Contains(msg, "connection aborted")
}

func (s *tcpServer) Addr() net.Addr { return s.ln.Addr() }

func (s *tcpServer) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	err := s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	return err
}

// tcp-echo

func startTCPEcho(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	ln, err := listenTCP(ap)
	if err != nil {
		return nil, err
	}
	return serveTCP(ctx, ln, env, func(ctx context.Context, c net.Conn) {
		env.log(spec.Name, "connection from %s", c.RemoteAddr())
		buf := make([]byte, 32<<10)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				if _, werr := c.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}), nil
}

// udp-echo

type udpServer struct {
	pc   net.PacketConn
	done chan struct{}
}

func (s *udpServer) Addr() net.Addr { return s.pc.LocalAddr() }
func (s *udpServer) Close() error {
	err := s.pc.Close()
	<-s.done
	return err
}

func startUDPEcho(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
	if err != nil {
		return nil, err
	}
	s := &udpServer{pc: pc, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, 65536)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				if isTemporary(err) {
					continue
				}
				return
			}
			env.log(spec.Name, "datagram of %d bytes from %s", n, from)
			pc.WriteTo(buf[:n], from)
		}
	}()
	return s, nil
}
