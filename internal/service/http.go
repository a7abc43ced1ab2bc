package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

type httpRoute struct {
	status  int
	body    []byte
	headers map[string]string
}

type httpServer struct {
	srv  *http.Server
	ln   *queueListener
	done chan struct{}

	mu     sync.Mutex
	busy   map[net.Conn]bool // connections not idle: reading or answering a request
	change chan struct{}     // a token when a connection leaves busy
}

func (s *httpServer) Addr() net.Addr { return s.ln.Addr() }

// connState keeps busy: net/http's Shutdown does not answer a request it
// reads once it has begun, so Close waits for the connections itself.
func (s *httpServer) connState(c net.Conn, st http.ConnState) {
	s.mu.Lock()
	switch st {
	case http.StateNew, http.StateActive:
		s.busy[c] = true
	default:
		delete(s.busy, c)
	}
	s.mu.Unlock()
	select {
	case s.change <- struct{}{}:
	default:
	}
}

// Close stops listening and lets the requests that reached the server be
// answered (up to finishWait): the submission has ended, so each connection
// ends once its last request is answered. Then it closes every connection.
func (s *httpServer) Close() error {
	s.ln.Stop() // every connection that reached the service is the server's now
	t := time.NewTimer(finishWait)
	defer t.Stop()
	for {
		s.mu.Lock()
		n := len(s.busy)
		s.mu.Unlock()
		if n == 0 {
			break
		}
		select {
		case <-s.change:
			continue
		case <-t.C:
		}
		break
	}
	err := s.srv.Close()
	<-s.done
	return err
}

// httpKind answers HTTP requests from a table of routes.
var httpKind = Kind{
	Name:     "http",
	Options:  []Option{{Key: "routes", Decode: decodeRoutes, set: func(s Spec) bool { return len(s.Routes) > 0 }}},
	validate: validateHTTP,
	start:    startHTTP,
}

// decodeRoutes decodes `routes:`, a map of paths to answers.
func decodeRoutes(d *Decoder, n *yaml.Node, what string, sp *Spec) {
	if n = d.Optional(n, yaml.MappingNode, what+": routes must map paths to answers (like `/: {status: 200, body: hello}`)"); n == nil {
		return
	}
	out := map[string]Route{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := yamlx.Resolve(n.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			d.Errorf(n.Content[i], "%s: a route must be a path, not %s", what, yamlx.Describe(k))
			continue
		}
		if !strings.HasPrefix(k.Value, "/") {
			d.Errorf(k, "%s: route %q must start with /", what, k.Value)
			continue
		}
		if _, dup := out[k.Value]; dup {
			d.Errorf(k, "%s: route %q is repeated", what, k.Value)
			continue
		}
		out[k.Value] = decodeRoute(d, n.Content[i+1], fmt.Sprintf("%s route %q", what, k.Value))
	}
	sp.Routes = out
}

// decodeRoute decodes one route's answer; rw names the route in messages.
func decodeRoute(d *Decoder, n *yaml.Node, rw string) Route {
	var r Route
	hasBody := false
	for _, e := range d.Mapping(n, rw, []string{"status", "body", "file", "headers"}) {
		switch e.Key {
		case "status":
			if v, ok := d.Integer(e.V, rw+" status", 100, 599); ok {
				r.Status = int(v)
			}
		case "body":
			hasBody = true
			r.Body, _ = d.Str(e.V, rw+" body")
		case "file":
			if hasBody {
				d.Errorf(e.K, "%s: give either body or file, not both", rw)
			}
			if p, ok := d.LabPath(e.V, rw+" file"); ok {
				r.File = p
			}
		case "headers":
			hv := d.Optional(e.V, yaml.MappingNode, rw+": headers must map names to values")
			if hv == nil {
				continue
			}
			r.Headers = map[string]string{}
			for j := 0; j+1 < len(hv.Content); j += 2 {
				hk := yamlx.Resolve(hv.Content[j])
				name, ok1 := d.Str(hk, rw+" header name")
				val, ok2 := d.Str(hv.Content[j+1], rw+" header "+name)
				if ok1 && ok2 {
					r.Headers[name] = val
				}
			}
		}
	}
	return r
}

func validateHTTP(spec Spec) []error {
	var errs []error
	if len(spec.Routes) == 0 {
		errs = append(errs, errors.New("an http service needs routes (path: {status, body})"))
	}
	for path, r := range spec.Routes {
		if !strings.HasPrefix(path, "/") {
			errs = append(errs, fmt.Errorf("route %q: a path starts with /", path))
		}
		if r.Status != 0 && (r.Status < 100 || r.Status > 999) {
			errs = append(errs, fmt.Errorf("route %q: status %d is not an HTTP status code", path, r.Status))
		}
		if r.Body != "" && r.File != "" {
			errs = append(errs, fmt.Errorf("route %q: body and file both given; use one", path))
		}
	}
	return errs
}

func startHTTP(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	routes := map[string]httpRoute{}
	for path, r := range spec.Routes {
		hr := httpRoute{status: r.Status, body: []byte(r.Body), headers: r.Headers}
		if hr.status == 0 {
			hr.status = http.StatusOK
		}
		if r.File != "" {
			p := r.File
			if !filepath.IsAbs(p) {
				p = filepath.Join(env.LabDir, p)
			}
			b, err := readRegular(p)
			if err != nil {
				return nil, fmt.Errorf("route %q: %w", path, err)
			}
			hr.body = b
		}
		routes[path] = hr
	}
	ln, err := listenTCP(ap)
	if err != nil {
		return nil, err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r, ok := routes[req.URL.Path]
		if !ok {
			r = httpRoute{status: http.StatusNotFound, body: []byte("404 page not found\n")}
		}
		for k, v := range r.headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
		w.WriteHeader(r.status)
		if req.Method != http.MethodHead {
			w.Write(r.body)
		}
		env.log(spec.Name, "%s %q %s from %s: %d", req.Method, req.RequestURI, req.Proto, req.RemoteAddr, r.status)
	})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	s := &httpServer{srv: srv, ln: ln, done: make(chan struct{}), busy: map[net.Conn]bool{}, change: make(chan struct{}, 1)}
	srv.ConnState = s.connState
	go func() {
		defer close(s.done)
		srv.Serve(ln)
	}()
	return s, nil
}
