package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for BannerOptions fields left zero.
const (
	defaultBannerTimeout     = 2 * time.Second
	defaultBannerIdle        = 500 * time.Millisecond
	defaultBannerWait        = time.Second
	defaultBannerBytes       = 1024
	defaultBannerConcurrency = 64
	maxBannerBytes           = 1 << 20
	// quietWait is the wait for a greeting on a port whose protocol has
	// the client speak first (HTTP, TLS, Redis): short, in case a lab
	// service greets there anyway.
	quietWait = 200 * time.Millisecond
)

// Errors grab returns when a connection was made but no banner came.
var (
	ErrTimeout = errors.New("timeout") // nothing arrived before the timeout
	ErrClosed  = errors.New("closed")  // the service closed the connection without a word
)

// BannerOptions tune grab and GrabAll. The zero value is usable.
type BannerOptions struct {
	// Timeout bounds the whole grab: connecting, waiting, probing and
	// reading (default defaultBannerTimeout).
	Timeout time.Duration
	// Idle ends the banner once something arrived and nothing more came for
	// this long (default defaultBannerIdle), so a service that greets and then
	// waits does not cost the whole timeout. A banner that is visibly not
	// finished (an SMTP or FTP "220-" continuation line, a line cut short,
	// a MySQL greeting shorter than its length says, telnet option
	// negotiation with no text yet) is read on until the timeout.
	Idle time.Duration
	// Wait is how long a silent service is given to speak before a probe
	// is sent (default defaultBannerWait; 200 ms on ports whose protocol
	// has the client speak first: HTTP, TLS, Redis).
	Wait time.Duration
	// NoProbe sends nothing to a silent service: the grab ends in
	// ErrTimeout, as a raw banner grab does.
	NoProbe bool
	// Bytes is the most to read (default defaultBannerBytes, at most 1 MiB).
	Bytes int
	// Send is written first, for services that wait to be spoken to, such as
	// "HEAD / HTTP/1.0\r\n\r\n". No other probe is sent then.
	Send string
	// Lines, when positive, stops after that many lines (each ends at "\n").
	Lines int
	// Source is the local address to connect from; the zero Addr lets the
	// kernel choose.
	Source netip.Addr
	// Concurrency is GrabAll's number of grabs at once (default
	// defaultBannerConcurrency).
	Concurrency int
}

// Banner is what a grab learned about a service.
type Banner struct {
	// Text is what the service said, as received (line endings and
	// binary bytes included): its greeting, or its answer to the probe.
	// For TLS it is a summary line: "TLS 1.3; subject CN=www.example.com".
	Text string
	// Service is a guess at the protocol: "ssh", "ftp", "smtp", "http",
	// "pop3", "imap", "mysql", "redis", "telnet", "tls", or "" when the
	// text matches none.
	Service string
	// Probe names what was sent to get Text: "" (nothing: the service spoke
	// first), "send" (BannerOptions.Send), "http", "redis" or "tls".
	Probe string
	// TLS describes the TLS handshake, when there was one.
	TLS *TLSInfo
}

// TLSInfo is what a TLS handshake showed of the server.
type TLSInfo struct {
	Version string // "TLS 1.2", "TLS 1.3", ...
	Subject string // the certificate's subject, "CN=www.example.com,O=Lab"; "" when none was sent
	Issuer  string // the certificate's issuer, likewise
}

// grab connects to port on host and returns what the service says (see
// Identify): its greeting, or its answer to a probe when it stays silent.
func grab(ctx context.Context, host netip.Addr, port int, opt BannerOptions) (string, error) {
	b, err := Identify(ctx, host, port, opt)
	return b.Text, err
}

// Identify connects to port on host and returns what the service says, as
// received (line endings included), up to the first limit reached: Bytes,
// Lines, the service closing the connection, Idle after the last data, or
// Timeout. A service silent for Wait gets a probe for its port, as nmap's
// version scan sends one: a TLS ClientHello on TLS ports (443, 993, ...), a
// Redis PING on 6379, an HTTP "GET / HTTP/1.0" elsewhere — and a plain-text
// request that a TLS server rejects is retried as a TLS handshake. A service
// that says nothing gives ErrTimeout, one that closes without a word
// ErrClosed; a refused connection gives an error that wraps
// syscall.ECONNREFUSED.
func Identify(ctx context.Context, host netip.Addr, port int, opt BannerOptions) (Banner, error) {
	host, src, err := checkHost(host, opt.Source)
	if err != nil {
		return Banner{}, err
	}
	if port < 1 || port > MaxPort {
		return Banner{}, fmt.Errorf("%d is not a port (1-%d)", port, MaxPort)
	}
	if err := ctx.Err(); err != nil {
		return Banner{}, err
	}
	g := grabber{ctx: ctx, host: host, src: src, port: port, opt: opt}
	g.timeout = opt.Timeout
	if g.timeout <= 0 {
		g.timeout = defaultBannerTimeout
	}
	g.idle = opt.Idle
	if g.idle <= 0 {
		g.idle = defaultBannerIdle
	}
	g.limit = opt.Bytes
	if g.limit <= 0 {
		g.limit = defaultBannerBytes
	}
	g.limit = min(g.limit, maxBannerBytes)
	g.deadline = time.Now().Add(g.timeout)
	b, err := g.run()
	if err != nil {
		return Banner{}, err
	}
	if b.Service == "" {
		b.Service = Service(b.Text, port)
	}
	return b, nil
}

// grabber is one Identify call.
type grabber struct {
	ctx      context.Context
	host     netip.Addr
	src      netip.Addr
	port     int
	opt      BannerOptions
	timeout  time.Duration
	idle     time.Duration
	limit    int
	deadline time.Time
}

// dial connects, or returns the error Identify gives for a failed connect.
func (g *grabber) dial() (net.Conn, func(), error) {
	d := net.Dialer{Deadline: g.deadline}
	if g.src.IsValid() {
		d.LocalAddr = net.TCPAddrFromAddrPort(netip.AddrPortFrom(g.src, 0))
	}
	c, err := d.DialContext(g.ctx, "tcp", netip.AddrPortFrom(g.host, uint16(g.port)).String())
	if err != nil {
		return nil, nil, g.fail(err)
	}
	stop := context.AfterFunc(g.ctx, func() { c.SetDeadline(time.Now()) })
	return c, func() { stop(); c.Close() }, nil
}

// fail turns a connection error into Identify's: the context's error when it
// ended, ErrTimeout for a deadline.
func (g *grabber) fail(err error) error {
	if e := ctxErr(g.ctx); e != nil {
		return e
	}
	if isTimeout(err) {
		return ErrTimeout
	}
	return err
}

func (g *grabber) run() (Banner, error) {
	c, done, err := g.dial()
	if err != nil {
		return Banner{}, err
	}
	defer done()
	kind := portProbe(g.port)
	if g.opt.Send != "" {
		if err := g.write(c, g.opt.Send); err != nil {
			return Banner{}, err
		}
		text, err := g.read(c, g.deadline)
		return Banner{Text: text, Probe: "send"}, err
	}
	wait := g.opt.Wait
	if wait <= 0 {
		wait = defaultBannerWait
		if kind != "" {
			wait = quietWait
		}
	}
	first := g.deadline
	if !g.opt.NoProbe {
		first = minTime(time.Now().Add(wait), g.deadline)
	}
	text, err := g.read(c, first)
	if err == nil || !errors.Is(err, ErrTimeout) || g.opt.NoProbe || !time.Now().Before(g.deadline) {
		return Banner{Text: text}, err
	}

	// Silent: probe it.
	if kind == "tls" {
		return g.tls(c)
	}
	probe, payload := "http", "GET / HTTP/1.0\r\n\r\n"
	if kind == "redis" {
		probe, payload = "redis", "*1\r\n$4\r\nPING\r\n"
	}
	if err := g.write(c, payload); err != nil {
		return Banner{}, err
	}
	text, err = g.read(c, g.deadline)
	if (err == nil && looksTLS(text)) || (err != nil && errors.Is(err, ErrClosed) && kind == "") {
		// A TLS server's answer to plain text (an alert record, or Go's
		// "HTTP request to an HTTPS server"), or a service that hung up on
		// the request: try a handshake on a new connection.
		c2, done2, err2 := g.dial()
		if err2 != nil {
			return Banner{}, err2
		}
		defer done2()
		b, err2 := g.tls(c2)
		if err2 == nil || err != nil {
			return b, err2
		}
	}
	return Banner{Text: text, Probe: probe}, err
}

func (g *grabber) write(c net.Conn, s string) error {
	c.SetWriteDeadline(g.deadline)
	if _, err := io.WriteString(c, s); err != nil {
		return g.fail(err)
	}
	return nil
}

// read reads a banner: it waits for the first byte until first, then goes on
// until a limit, the idle time after the last data (unless the banner is
// visibly unfinished), the connection's end, or the deadline. Telnet option
// requests are refused as they come (WONT, DONT), so the server goes on to
// its greeting.
func (g *grabber) read(c net.Conn, first time.Time) (string, error) {
	var out []byte
	chunk := make([]byte, min(g.limit, 4096))
	lines := 0
	answered := map[[2]byte]bool{}
	for {
		rd := first
		if len(out) > 0 {
			rd = g.deadline
			if !unfinished(out) {
				rd = minTime(time.Now().Add(g.idle), g.deadline)
			}
		}
		c.SetReadDeadline(rd)
		n, err := c.Read(chunk[:min(len(chunk), g.limit-len(out))])
		if g.opt.Lines > 0 {
			// Cut after the Lines-th newline, counting the new bytes only.
			for k, b := range chunk[:n] {
				if b == '\n' {
					if lines++; lines == g.opt.Lines {
						n = k + 1
						break
					}
				}
			}
		}
		if reply := telnetRefuse(chunk[:n], answered); len(reply) > 0 {
			c.SetWriteDeadline(g.deadline)
			c.Write(reply)
		}
		out = append(out, chunk[:n]...)
		if (g.opt.Lines > 0 && lines >= g.opt.Lines) || len(out) >= g.limit {
			break
		}
		if err != nil {
			if ctxErr(g.ctx) != nil {
				return "", ctxErr(g.ctx)
			}
			if len(out) > 0 {
				break // the service went quiet or closed after its banner
			}
			switch {
			case errors.Is(err, io.EOF):
				return "", ErrClosed
			case isTimeout(err):
				return "", ErrTimeout
			}
			return "", err
		}
	}
	return string(out), nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// tls runs a TLS handshake on c and describes it. The certificate is read,
// not verified: a lab's services have self-signed ones.
func (g *grabber) tls(c net.Conn) (Banner, error) {
	cfg := &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10}
	tc := tls.Client(c, cfg)
	c.SetDeadline(g.deadline)
	if err := tc.HandshakeContext(g.ctx); err != nil {
		if e := ctxErr(g.ctx); e != nil {
			return Banner{}, e
		}
		if isTimeout(err) {
			return Banner{}, ErrTimeout
		}
		if errors.Is(err, io.EOF) {
			return Banner{}, ErrClosed
		}
		return Banner{}, fmt.Errorf("tls handshake: %w", err)
	}
	st := tc.ConnectionState()
	info := &TLSInfo{Version: tls.VersionName(st.Version)}
	text := info.Version
	if len(st.PeerCertificates) > 0 {
		cert := st.PeerCertificates[0]
		info.Subject, info.Issuer = cert.Subject.String(), cert.Issuer.String()
		text += "; subject " + info.Subject
	}
	return Banner{Text: text, Service: "tls", Probe: "tls", TLS: info}, nil
}

// portProbe names the probe for a port whose protocol has the client speak
// first: "tls", "http", "redis"; "" for other ports (an HTTP request is
// tried there).
func portProbe(port int) string {
	switch port {
	case 443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 4443, 5061, 6697, 8443, 9443:
		return "tls"
	case 80, 81, 591, 3000, 5000, 8000, 8008, 8080, 8081, 8088, 8888, 9000, 9090:
		return "http"
	case 6379:
		return "redis"
	}
	return ""
}

// looksTLS tells a TLS server's answer to a plain-text request: a TLS alert
// record, or Go's HTTPS server's 400 reply.
func looksTLS(text string) bool {
	return (len(text) >= 3 && text[0] == 0x15 && text[1] == 3 && text[2] <= 4) ||
		strings.Contains(text, "Client sent an HTTP request to an HTTPS server")
}

// unfinished tells a banner that more is known to follow: a "220-"-style
// continuation as its last line, a last line without its newline (unless it
// is a prompt such as "login: "), a MySQL packet shorter than its header
// says, or telnet negotiation with no text yet.
func unfinished(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if b[0] == iac {
		text := telnetText(b)
		return len(bytes.TrimSpace(text)) == 0 || unfinishedText(text)
	}
	if n, ok := mysqlLen(b); ok {
		return len(b) < 4+n
	}
	if !isText(b) {
		return false
	}
	return unfinishedText(b)
}

func unfinishedText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if bytes.HasPrefix(b, []byte("HTTP/")) {
		// An HTTP reply is done once its header is: its body need not end
		// in a newline.
		return !bytes.Contains(b, []byte("\r\n\r\n")) && !bytes.Contains(b, []byte("\n\n"))
	}
	if b[len(b)-1] != '\n' {
		t := bytes.TrimRight(b, " ")
		if len(t) == 0 {
			return false
		}
		switch t[len(t)-1] {
		case ':', '>', '#', '$', '?', '%', ']':
			return false // a prompt: the service waits for us
		}
		return true
	}
	body := bytes.TrimRight(b, "\r\n")
	last := body[bytes.LastIndexByte(body, '\n')+1:]
	return len(last) >= 4 && isDigit(last[0]) && isDigit(last[1]) && isDigit(last[2]) && last[3] == '-'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isText reports whether b is mostly printable ASCII.
func isText(b []byte) bool {
	bad := 0
	for _, c := range b {
		if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c >= 0x7f {
			bad++
		}
	}
	return bad*10 <= len(b)
}

// mysqlLen reads a MySQL packet header at the start of b: the payload length
// of a sequence-0 packet holding a protocol-10 greeting or an error.
func mysqlLen(b []byte) (int, bool) {
	if len(b) < 5 || b[3] != 0 || (b[4] != 0x0a && b[4] != 0xff) {
		return 0, false
	}
	n := int(b[0]) | int(b[1])<<8 | int(b[2])<<16
	return n, n > 0 && n < 1<<16
}

// Telnet bytes (RFC 854).
const (
	iac  = 0xff
	dont = 0xfe
	do   = 0xfd
	wont = 0xfc
	will = 0xfb
	sb   = 0xfa
	se   = 0xf0
)

// telnetRefuse answers the option requests in b: WONT to each DO, DONT to
// each WILL, once per option.
func telnetRefuse(b []byte, answered map[[2]byte]bool) []byte {
	var out []byte
	for i := 0; i+2 < len(b); i++ {
		if b[i] != iac {
			continue
		}
		var reply byte
		switch b[i+1] {
		case do:
			reply = wont
		case will:
			reply = dont
		default:
			continue
		}
		k := [2]byte{b[i+1], b[i+2]}
		if !answered[k] {
			answered[k] = true
			out = append(out, iac, reply, b[i+2])
		}
		i += 2
	}
	return out
}

// telnetText is b without its telnet commands.
func telnetText(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != iac {
			out = append(out, b[i])
			continue
		}
		if i+1 >= len(b) {
			break
		}
		switch b[i+1] {
		case do, dont, will, wont:
			i += 2
		case sb:
			j := bytes.Index(b[i:], []byte{iac, se})
			if j < 0 {
				return out
			}
			i += j + 1
		case iac:
			out = append(out, iac)
			i++
		default:
			i++
		}
	}
	return out
}

// Service guesses the protocol of a banner (see Banner.Service); port breaks
// the tie for a bare "220" greeting, which FTP and SMTP share.
func Service(text string, port int) string {
	b := []byte(text)
	lower := strings.ToLower(text)
	switch {
	case len(b) == 0:
		return ""
	case b[0] == iac:
		return "telnet"
	case strings.HasPrefix(text, "SSH-"):
		return "ssh"
	case strings.HasPrefix(text, "HTTP/"):
		return "http"
	case strings.HasPrefix(text, "+OK"):
		return "pop3"
	case strings.HasPrefix(text, "* OK"), strings.HasPrefix(text, "* PREAUTH"), strings.HasPrefix(text, "* BYE"):
		return "imap"
	case strings.HasPrefix(text, "+PONG"), strings.HasPrefix(text, "-NOAUTH"), strings.HasPrefix(text, "-DENIED"),
		strings.HasPrefix(text, "-ERR") && (strings.Contains(lower, "unknown command") || strings.Contains(lower, "wrong number of arguments for 'get'") || port == 6379),
		strings.HasPrefix(text, "$") && strings.Contains(text, "redis_version:"):
		return "redis"
	case strings.HasPrefix(text, "TLS ") || strings.HasPrefix(text, "SSL "):
		return ""
	}
	if _, ok := mysqlLen(b); ok {
		if b[4] == 0x0a || strings.Contains(lower, "mysql") || strings.Contains(lower, "mariadb") || strings.Contains(lower, "is not allowed to connect") {
			return "mysql"
		}
	}
	if looksTLS(text) {
		return "tls"
	}
	if len(text) >= 4 && strings.HasPrefix(text, "220") && (text[3] == ' ' || text[3] == '-') {
		switch {
		case strings.Contains(lower, "smtp") || strings.Contains(lower, "mail"):
			return "smtp"
		case strings.Contains(lower, "ftp"):
			return "ftp"
		case port == 21 || port == 2121:
			return "ftp"
		case port == 25 || port == 465 || port == 587 || port == 2525:
			return "smtp"
		}
	}
	return ""
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// GrabAll grabs the banners of ports on host concurrently and returns them by
// port; ports that gave no banner are absent. When ctx ends it returns the
// banners grabbed so far with ctx's error.
func GrabAll(ctx context.Context, host netip.Addr, ports []int, opt BannerOptions) (map[int]string, error) {
	ports, err := Ports(ports)
	if err != nil {
		return nil, err
	}
	if _, _, err := checkHost(host, opt.Source); err != nil {
		return nil, err
	}
	conc := opt.Concurrency
	if conc <= 0 {
		conc = defaultBannerConcurrency
	}
	conc = Options{Concurrency: conc}.concurrency(len(ports))
	out := make(map[int]string)
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ports) || ctx.Err() != nil {
					return
				}
				b, err := grab(ctx, host, ports[i], opt)
				if err == nil && b != "" {
					mu.Lock()
					out[ports[i]] = b
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return out, ctxErr(ctx)
}
