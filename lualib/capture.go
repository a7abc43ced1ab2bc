package lualib

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// The capture module: live captures and capture files from Lua, with packets
// whose fields are the packet engine's (Wireshark's names).

const (
	classPacket = "capture.packet"
	classLive   = "capture.live"
	classReader = "capture.reader"

	// A live capture keeps at most this many packets (and bytes of packet
	// data); later ones are counted as dropped, so a flood cannot exhaust
	// memory.
	maxLivePackets = 200000
	maxLiveBytes   = 128 << 20

	defaultWait      = 5.0 // seconds h:wait waits by default
	defaultInterface = "lo"
	maxFilterCache   = 256
)

// captureMod is the module's per-state data.
type captureMod struct {
	s       *State
	filters map[string]*filter.Filter // compiled display filters, by text
}

func openCapture(s *State) lua.LValue {
	L := s.L
	m := &captureMod{s: s, filters: make(map[string]*filter.Filter)}
	s.capture = m

	pmt := L.NewTypeMetatable(classPacket)
	pmethods := map[string]lua.LValue{
		"field":   L.NewFunction(m.packetField),
		"fields":  L.NewFunction(m.packetFields),
		"values":  L.NewFunction(m.packetFields), // the name lua checks knew first
		"matches": L.NewFunction(m.packetMatches),
	}
	pmt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int { return m.packetIndex(L, pmethods) }))
	pmt.RawSetString("__tostring", L.NewFunction(packetToString))
	protect(pmt)

	lmt := L.NewTypeMetatable(classLive)
	lmt.RawSetString("__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"wait":    m.liveWait,
		"packets": m.livePackets,
		"stop":    m.liveStop,
		"close":   liveClose,
		"stats":   liveStats,
	}))
	lmt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		c := checkLive(L, "tostring")
		L.Push(lua.LString(fmt.Sprintf("capture{live}: %s", c.iface)))
		return 1
	}))
	protect(lmt)

	rmt := L.NewTypeMetatable(classReader)
	rmt.RawSetString("__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"packets": m.readerPackets,
		"close":   readerClose,
	}))
	rmt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		r := checkReader(L, "tostring")
		L.Push(lua.LString(fmt.Sprintf("capture{file}: %s", filepath.Base(r.path))))
		return 1
	}))
	protect(rmt)

	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"start": m.start,
		"open":  m.open,
	})
}

// displayFilter compiles the display filter at stack index n (nil when the
// argument is absent and optional); for a method, a wrong type is reported as
// argument n-1, counted after self. A bad filter raises an error that shows
// the filter with a caret under the problem.
func (m *captureMod) displayFilter(L *lua.LState, n int, fname string, method, optional bool) *filter.Filter {
	v := L.Get(n)
	if v == lua.LNil && optional {
		return nil
	}
	expr, ok := v.(lua.LString)
	if !ok {
		argError(L, argNum(n, method), fname, "display filter string expected, got "+typeName(L, n))
	}
	if f, ok := m.filters[string(expr)]; ok {
		return f
	}
	f, err := capture.Compile(string(expr))
	if err != nil {
		raiseFilterError(L, "display filter", err)
	}
	if len(m.filters) >= maxFilterCache {
		clear(m.filters)
	}
	m.filters[string(expr)] = f
	return f
}

func raiseFilterError(L *lua.LState, what string, err error) {
	var fe *filter.Error
	if errors.As(err, &fe) {
		L.RaiseError("invalid %s:\n%s", what, fe.Caret())
	}
	L.RaiseError("invalid %s: %s", what, err.Error())
}

// Packets.

// PacketsFunc returns a Lua function packets([display_filter]) that returns
// an iterator over the packets of pkts the filter matches (all of them
// without one, or with ""), for `for p in packets("tcp") do ... end`. The
// packets are the capture module's objects (p.number, p["tcp.dstport"],
// p:field, p:fields, p:matches, ...), and a bad filter raises the capture
// module's error, with a caret under the problem: Lua that grades a capture
// sees exactly what a script gets from capture.open. pkts is shared, not
// copied: neither it nor its packets may change while the state is in use.
func (s *State) PacketsFunc(pkts []*capture.Packet) *lua.LFunction {
	m := s.capture
	return s.L.NewFunction(func(L *lua.LState) int {
		var f *filter.Filter
		if v, ok := L.Get(1).(lua.LString); !ok || v != "" {
			f = m.displayFilter(L, 1, "packets", false, true)
		}
		i := 0
		L.Push(L.NewFunction(func(L *lua.LState) int {
			for i < len(pkts) {
				p := pkts[i]
				i++
				if f == nil || f.Match(p) {
					pushPacket(L, p)
					return 1
				}
			}
			return 0
		}))
		return 1
	})
}

func pushPacket(L *lua.LState, p *capture.Packet) {
	L.Push(newPacket(L, p))
}

func newPacket(L *lua.LState, p *capture.Packet) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = p
	ud.Metatable = L.GetTypeMetatable(classPacket)
	return ud
}

// checkSelf returns the method's self (argument 1) as a T, or raises "calling
// 'fname' on bad self (class expected, got ...)".
func checkSelf[T any](L *lua.LState, fname, class string) T {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if v, ok := ud.Value.(T); ok {
			return v
		}
	}
	L.RaiseError("calling '%s' on bad self (%s expected, got %s)", fname, class, typeName(L, 1))
	var zero T
	return zero
}

func checkPacket(L *lua.LState, fname string) *capture.Packet {
	return checkSelf[*capture.Packet](L, fname, classPacket)
}

func packetToString(L *lua.LState) int {
	L.Push(lua.LString(checkPacket(L, "tostring").Line()))
	return 1
}

// packetIndex serves p.number, p.time, ..., p:method and p["field.name"].
func (m *captureMod) packetIndex(L *lua.LState, methods map[string]lua.LValue) int {
	p := checkPacket(L, "index")
	key := L.CheckString(2)
	switch key {
	case "number":
		L.Push(lua.LNumber(p.Number))
	case "time":
		L.Push(lua.LNumber(p.Relative.Seconds()))
	case "len":
		L.Push(lua.LNumber(p.Len))
	case "summary", "line": // line: the name lua checks knew first
		L.Push(lua.LString(p.Line()))
	case "info":
		L.Push(lua.LString(p.Summary().Info))
	case "src":
		L.Push(lua.LString(p.Summary().Source))
	case "dst":
		L.Push(lua.LString(p.Summary().Destination))
	case "protocol":
		L.Push(lua.LString(p.Summary().Protocol))
	case "layers":
		t := L.NewTable()
		if s := p.Strings("frame.protocols"); len(s) > 0 {
			for _, name := range strings.Split(s[0], ":") {
				t.Append(lua.LString(name))
			}
		}
		L.Push(t)
	case "payload":
		L.Push(lua.LString(payloadOf(p)))
	default:
		if fn, ok := methods[key]; ok {
			L.Push(fn)
			return 1
		}
		f := lookupField(L, key, 2, "index")
		L.Push(fieldValue(p, f))
	}
	return 1
}

// payloadOf is the packet's application payload: TCP or UDP payload, or the
// bytes no dissector decoded.
func payloadOf(p *capture.Packet) []byte {
	for _, name := range []string{"tcp.payload", "udp.payload", "data.data"} {
		f, _ := capture.Fields().Lookup(name)
		if f == nil {
			continue
		}
		if vs := p.Values(nil, f); len(vs) > 0 {
			return vs[0].B
		}
	}
	return nil
}

func lookupField(L *lua.LState, name string, n int, fname string) *filter.Field {
	f, ok := capture.Fields().Lookup(name)
	if !ok {
		// Let the filter compiler word the error (with its suggestion).
		_, err := capture.Compile(name)
		msg := fmt.Sprintf("unknown field %q", name)
		var fe *filter.Error
		if errors.As(err, &fe) && fe.Msg != "" {
			msg = fe.Msg
		}
		if fname == "index" {
			L.RaiseError("%s", msg) // p["name"]: no argument number to show
		}
		argError(L, n, fname, msg)
	}
	return f
}

// luaValue converts one occurrence of f: numbers for numeric fields (booleans
// as 0 or 1, as display filters compare them), true for a protocol or marker,
// raw text for strings, and Wireshark's notation for addresses and bytes.
func luaValue(f *filter.Field, v filter.Value) lua.LValue {
	switch f.Type {
	case filter.None:
		return lua.LTrue
	case filter.Bool, filter.Uint:
		return lua.LNumber(v.N)
	case filter.Int:
		return lua.LNumber(int64(v.N))
	case filter.Float:
		return lua.LNumber(v.F)
	case filter.String:
		return lua.LString(v.B)
	case filter.Bytes:
		if len(v.B) == 0 {
			return lua.LString("") // tshark prints <MISSING>; a script gets no bytes
		}
	}
	return lua.LString(capture.Format(f, v))
}

func fieldValue(p *capture.Packet, f *filter.Field) lua.LValue {
	var buf [4]filter.Value
	vs := p.Values(buf[:0], f)
	if len(vs) == 0 {
		return lua.LNil
	}
	return luaValue(f, vs[0])
}

func (m *captureMod) packetField(L *lua.LState) int {
	p := checkPacket(L, "field")
	f := lookupField(L, checkString(L, 2, "field", true), 1, "field")
	L.Push(fieldValue(p, f))
	return 1
}

func (m *captureMod) packetFields(L *lua.LState) int {
	p := checkPacket(L, "fields")
	f := lookupField(L, checkString(L, 2, "fields", true), 1, "fields")
	vs := p.Values(nil, f)
	t := L.CreateTable(len(vs), 0)
	for _, v := range vs {
		t.Append(luaValue(f, v))
	}
	L.Push(t)
	return 1
}

func (m *captureMod) packetMatches(L *lua.LState) int {
	p := checkPacket(L, "matches")
	f := m.displayFilter(L, 2, "matches", true, false)
	L.Push(lua.LBool(f.Match(p)))
	return 1
}

// Live captures.

// liveCap is a running live capture: a goroutine reads and decodes packets
// into pkts until the capture is stopped or closed.
type liveCap struct {
	live    *capture.Live
	iface   string
	untrack func()
	// cursor is the index of the packet after the one h:wait last
	// returned: the next wait looks from there. Only the script's
	// goroutine touches it.
	cursor int

	mu      sync.Mutex
	pkts    []*capture.Packet
	bytes   int
	dropped int
	notify  chan struct{} // closed and replaced whenever pkts grows or the reader ends
	ended   bool
	err     error
	done    chan struct{} // closed when the reader has ended
}

func (c *liveCap) run() {
	defer close(c.done)
	d := capture.NewDecoder()
	for {
		fr, err := c.live.Next()
		c.mu.Lock()
		if err != nil {
			if err != io.EOF {
				c.err = err
			}
			c.ended = true
			close(c.notify)
			c.mu.Unlock()
			return
		}
		if len(c.pkts) < maxLivePackets && c.bytes+len(fr.Data) <= maxLiveBytes {
			p := d.Decode(fr)
			c.pkts = append(c.pkts, p)
			c.bytes += len(p.Data)
			close(c.notify)
			c.notify = make(chan struct{})
		} else {
			c.dropped++
		}
		c.mu.Unlock()
	}
}

// Close ends the capture at once (State.Close calls it for a script that did
// not stop its capture).
func (c *liveCap) Close() error {
	c.live.Close()
	<-c.done
	return nil
}

// stop ends the capture after the packets already queued are read.
func (c *liveCap) stop() {
	c.live.Stop()
	<-c.done
	c.live.Close()
	c.untrack()
}

func (c *liveCap) snapshot(from int) ([]*capture.Packet, <-chan struct{}, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pkts[min(from, len(c.pkts)):], c.notify, c.ended
}

func checkLive(L *lua.LState, fname string) *liveCap {
	return checkSelf[*liveCap](L, fname, classLive)
}

// start is capture.start{filter=, interface=, snaplen=}.
func (m *captureMod) start(L *lua.LState) int {
	t := checkOpts(L, 1, "start", []string{"filter", "interface", "snaplen"})
	iface := defaultInterface
	if s := stateOf(L).env.Interface; s != "" {
		iface = s
	}
	if v := t.RawGetString("interface"); v != lua.LNil {
		s, ok := v.(lua.LString)
		if !ok || s == "" {
			argError(L, 1, "start", "option \"interface\" must be an interface name, got "+luaShow(v))
		}
		iface = string(s)
	}
	var opt capture.LiveOptions
	if n, ok := optInt(L, t, 1, "start", "snaplen", 1, capture.MaxRecordSize); ok {
		opt.Snaplen = n
	}
	if v := t.RawGetString("filter"); v != lua.LNil {
		s, ok := v.(lua.LString)
		if !ok {
			argError(L, 1, "start", "option \"filter\" must be a capture filter string, got "+luaShow(v))
		}
		if strings.TrimSpace(string(s)) != "" {
			f, err := compileCaptureWithin(ctxOf(L), string(s))
			if err != nil {
				if ctxOf(L).Err() != nil {
					L.Push(lua.LNil)
					L.Push(lua.LString("timeout"))
					return 2
				}
				raiseFilterError(L, "capture filter", err)
			}
			opt.Filter = f
		}
	}
	live, err := capture.OpenLive(iface, opt)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	c := &liveCap{live: live, iface: iface, notify: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	c.untrack = m.s.track(c)
	ud := L.NewUserData()
	ud.Value = c
	ud.Metatable = L.GetTypeMetatable(classLive)
	L.Push(ud)
	return 1
}

// compileCapture compiles a capture filter; a variable so a test can make
// it slow.
var compileCapture = capture.CompileCapture

// compileCaptureWithin compiles a capture filter, giving up when ctx ends: a
// long filter (64 KB of "port 80 or ...") takes seconds to compile, and the
// compiler does not look at the run's deadline (issue 11 item 5). The
// compilation goes on to its end in the background; it is bounded by the
// filter's length limit.
func compileCaptureWithin(ctx context.Context, expr string) (*filter.Filter, error) {
	type compiled struct {
		f   *filter.Filter
		err error
	}
	done := make(chan compiled, 1)
	go func() {
		f, err := compileCapture(expr)
		done <- compiled{f, err}
	}()
	select {
	case c := <-done:
		return c.f, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// liveWait is h:wait(filter[, timeout]): the first packet that matches after
// the one the previous wait returned (from the start of the capture for the
// first wait), waiting for it if need be. Like expect, a wait consumes: what
// it skipped to reach its match is not seen by later waits (h:packets still
// has every packet), and a wait that times out moves nothing.
func (m *captureMod) liveWait(L *lua.LState) int {
	c := checkLive(L, "wait")
	f := m.displayFilter(L, 2, "wait", true, true)
	secs := optNumber(L, 3, "wait", true, defaultWait)
	if !(secs >= 0) {
		argError(L, 2, "wait", "timeout must be a number of seconds, not negative")
	}
	ctx := ctxOf(L)
	timer := time.NewTimer(time.Duration(min(secs, 1e6) * float64(time.Second)))
	defer timer.Stop()
	seen := c.cursor
	for {
		pkts, notify, ended := c.snapshot(seen)
		for _, p := range pkts {
			seen++
			if f == nil || f.Match(p) {
				c.cursor = seen
				pushPacket(L, p)
				return 1
			}
		}
		if ended {
			L.Push(lua.LNil)
			L.Push(lua.LString("closed"))
			return 2
		}
		select {
		case <-notify:
		case <-timer.C:
			// One last look: a packet may have arrived with the deadline.
			if pkts, _, _ := c.snapshot(seen); len(pkts) > 0 {
				continue
			}
			L.Push(lua.LNil)
			L.Push(lua.LString("timeout"))
			return 2
		case <-ctx.Done():
			L.Push(lua.LNil)
			L.Push(lua.LString("timeout"))
			return 2
		}
	}
}

// pushPackets pushes an array of the packets f matches (all when f is nil).
func pushPackets(L *lua.LState, pkts []*capture.Packet, f *filter.Filter) {
	t := L.NewTable()
	for _, p := range pkts {
		if f == nil || f.Match(p) {
			t.Append(newPacket(L, p))
		}
	}
	L.Push(t)
}

func (m *captureMod) livePackets(L *lua.LState) int {
	c := checkLive(L, "packets")
	f := m.displayFilter(L, 2, "packets", true, true)
	pkts, _, _ := c.snapshot(0)
	pushPackets(L, pkts, f)
	return 1
}

func (m *captureMod) liveStop(L *lua.LState) int {
	c := checkLive(L, "stop")
	c.stop()
	pkts, _, _ := c.snapshot(0)
	pushPackets(L, pkts, nil)
	return 1
}

func liveClose(L *lua.LState) int {
	c := checkLive(L, "close")
	c.Close()
	c.untrack()
	return pushOK(L)
}

// liveStats is h:stats() -> packets kept, packets dropped (by the kernel or
// over the capture's memory limit).
func liveStats(L *lua.LState) int {
	c := checkLive(L, "stats")
	_, kdropped := c.live.Stats()
	c.mu.Lock()
	kept, dropped := len(c.pkts), c.dropped
	c.mu.Unlock()
	L.Push(lua.LNumber(kept))
	L.Push(lua.LNumber(uint64(dropped) + kdropped))
	return 2
}

// Capture files.

// reader is a capture file opened by capture.open; each r:packets() reads the
// file anew.
type reader struct {
	path string
	s    *State
	mu   sync.Mutex
	srcs map[*fileIter]struct{} // iterations in progress, closed by r:close()
}

type fileIter struct {
	src     capture.Source
	dec     *capture.Decoder
	f       *filter.Filter
	untrack func()
	done    bool
}

func (it *fileIter) Close() error {
	if it.done {
		return nil
	}
	it.done = true
	return it.src.Close()
}

func checkReader(L *lua.LState, fname string) *reader {
	return checkSelf[*reader](L, fname, classReader)
}

// errOutside and errNoLabDir are resolveCapturePath's refusals: misuse the
// script raises, unlike a missing file.
var (
	errOutside  = errors.New("outside the lab's folders")
	errNoLabDir = errors.New("no lab folder to read captures from")
)

// resolveCapturePath finds name inside the lab's folder or Env.Dirs; nothing
// outside them can be opened.
func (s *State) resolveCapturePath(name string) (string, error) {
	var roots []string
	for _, d := range append([]string{s.env.LabDir}, s.env.Dirs...) {
		if d == "" {
			continue
		}
		if abs, err := filepath.Abs(d); err == nil {
			roots = append(roots, abs)
		}
	}
	if len(roots) == 0 {
		return "", errNoLabDir
	}
	inside := func(root, p string) bool {
		rel, err := filepath.Rel(root, p)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
	}
	var candidates []string
	if filepath.IsAbs(name) {
		candidates = []string{filepath.Clean(name)}
	} else {
		for _, r := range roots {
			candidates = append(candidates, filepath.Join(r, name))
		}
	}
	var firstErr error
	escaped := false
	for _, c := range candidates {
		for _, root := range roots {
			if !inside(root, c) {
				continue
			}
			// Follow symlinks and check again: a link may point outside.
			real, err := filepath.EvalSymlinks(c)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			realRoot, err := filepath.EvalSymlinks(root)
			if err != nil || !inside(realRoot, real) {
				escaped = true
				continue
			}
			return real, nil
		}
	}
	if firstErr != nil && !escaped {
		var pe *os.PathError
		if errors.As(firstErr, &pe) {
			return "", fmt.Errorf("%s: %w", name, pe.Err)
		}
		return "", firstErr
	}
	return "", fmt.Errorf("%q is %w", name, errOutside)
}

// open is capture.open(path).
func (m *captureMod) open(L *lua.LState) int {
	name := checkString(L, 1, "open", false)
	path, err := m.s.resolveCapturePath(name)
	if err != nil {
		if errors.Is(err, errOutside) || errors.Is(err, errNoLabDir) {
			argError(L, 1, "open", err.Error())
		}
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	// Check now that it is a capture, so a wrong file fails here.
	src, err := capture.OpenFile(path)
	if err != nil {
		msg := strings.Replace(err.Error(), path, name, 1)
		if capture.IsNotCapture(err) {
			// Not its first bytes: the file is the lab's, perhaps
			// someone's secret (issue 11 item 8).
			msg = fmt.Sprintf("%s is not a pcap or pcapng capture", name)
		}
		L.Push(lua.LNil)
		L.Push(lua.LString(msg))
		return 2
	}
	src.Close()
	ud := L.NewUserData()
	ud.Value = &reader{path: path, s: m.s, srcs: make(map[*fileIter]struct{})}
	ud.Metatable = L.GetTypeMetatable(classReader)
	L.Push(ud)
	return 1
}

// readerPackets is r:packets([filter]): an iterator over the file's packets
// that match, for `for p in r:packets("tcp") do ... end`.
func (m *captureMod) readerPackets(L *lua.LState) int {
	r := checkReader(L, "packets")
	f := m.displayFilter(L, 2, "packets", true, true)
	src, err := capture.OpenFile(r.path)
	if err != nil {
		L.RaiseError("capture %s: %v", filepath.Base(r.path), err)
	}
	it := &fileIter{src: src, dec: capture.NewDecoder(), f: f}
	it.untrack = r.s.track(it)
	r.mu.Lock()
	r.srcs[it] = struct{}{}
	r.mu.Unlock()
	finish := func() {
		it.Close()
		it.untrack()
		r.mu.Lock()
		delete(r.srcs, it)
		r.mu.Unlock()
	}
	L.Push(L.NewFunction(func(L *lua.LState) int {
		for !it.done {
			if err := ctxOf(L).Err(); err != nil {
				finish()
				L.RaiseError("capture %s: %v", filepath.Base(r.path), context.Cause(ctxOf(L)))
			}
			fr, err := it.src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				finish()
				L.RaiseError("%v", err)
			}
			p := it.dec.Decode(fr)
			if it.f == nil || it.f.Match(p) {
				pushPacket(L, p)
				return 1
			}
		}
		finish()
		L.Push(lua.LNil)
		return 1
	}))
	return 1
}

func readerClose(L *lua.LState) int {
	r := checkReader(L, "close")
	r.mu.Lock()
	its := make([]*fileIter, 0, len(r.srcs))
	for it := range r.srcs {
		its = append(its, it)
	}
	clear(r.srcs)
	r.mu.Unlock()
	for _, it := range its {
		it.Close()
		it.untrack()
	}
	return pushOK(L)
}
