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
	"time"
)

type httpRoute struct {
	status  int
	body    []byte
	headers map[string]string
}

type httpServer struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
}

func (s *httpServer) Addr() net.Addr { return s.ln.Addr() }

func (s *httpServer) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
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
	s := &httpServer{srv: srv, ln: ln, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		srv.Serve(ln)
	}()
	return s, nil
}
