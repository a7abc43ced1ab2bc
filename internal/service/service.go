package service

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
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

// Validate reports what is wrong with a service entry, without its position
// (the loader adds it): an unknown kind, options that do not belong to the
// kind, missing required options. Listen's host is checked by the loader,
// which knows the lab's hosts.
func Validate(spec Spec) []error {
	var errs []error
	if spec.Name == "" {
		errs = append(errs, fmt.Errorf("service has no name"))
	}
	k, ok := Lookup(spec.Kind)
	if !ok {
		known := `"` + strings.Join(Kinds(), `", "`) + `"`
		if spec.Kind == "" {
			return append(errs, fmt.Errorf("service %q has no kind (supported kinds are %s)", spec.Name, known))
		}
		return append(errs, fmt.Errorf("service %q: kind %q is not supported; supported kinds are %s", spec.Name, spec.Kind, known))
	}
	switch {
	case spec.Connect != "" && !k.Client:
		errs = append(errs, fmt.Errorf("service %q: connect applies only to kind \"lua\" (a lab-side client); kind %q listens", spec.Name, spec.Kind))
	case spec.Connect != "" && spec.Listen != "":
		errs = append(errs, fmt.Errorf("service %q: has both listen and connect; a lua service either listens (a server) or connects (a client)", spec.Name))
	case spec.Connect != "":
		if err := checkHostPort("connect", spec.Connect); err != nil {
			errs = append(errs, fmt.Errorf("service %q: %w", spec.Name, err))
		}
	case spec.Listen == "" && k.Client:
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
	for _, other := range kinds {
		for _, o := range other.Options {
			if _, own := k.Option(o.Key); !own && o.set(spec) {
				errs = append(errs, fmt.Errorf("service %q: option %q does not apply to kind %q", spec.Name, o.Key, spec.Kind))
			}
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
	k, ok := Lookup(spec.Kind)
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

// finishWait bounds how long a built-in service may take, once Close is
// called, to answer what reached it before: Close comes when the submission
// has ended, so its side of every connection is closed and each handler is
// at most one answer from seeing the end of its input. One still busy then
// is cut.
const finishWait = 5 * time.Second

// tcpServer accepts connections and hands each to handle in its own goroutine;
// Close stops accepting, lets the handlers answer what reached them (the
// connections still queued in the kernel included) for up to finishWait,
// then closes what is left open and waits.
type tcpServer struct {
	ln     *queueListener
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	cancel context.CancelFunc
}

func serveTCP(ctx context.Context, ln *queueListener, env *Env, handle func(ctx context.Context, c net.Conn)) *tcpServer {
	ctx, cancel := context.WithCancel(ctx)
	s := &tcpServer{ln: ln, conns: map[net.Conn]struct{}{}, cancel: cancel}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			// Served even once Close has begun: it reached the service
			// before (Close's Stop hands on the kernel's queue).
			s.mu.Lock()
			s.conns[c] = struct{}{}
			s.wg.Add(1)
			s.mu.Unlock()
			go func() {
				defer s.wg.Done()
				defer func() {
					s.mu.Lock()
					delete(s.conns, c)
					s.mu.Unlock()
					c.Close()
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
	s.mu.Unlock()
	err := s.ln.Stop()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	t := time.NewTimer(finishWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
	}
	s.cancel()
	<-done
	return err
}
