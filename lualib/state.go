// Package lualib owns what a wirelab Lua script can call: a sandboxed gopher-lua
// state and the modules loaded into it (socket, scan, banner, capture, lab). The
// networking logic beneath the bindings is plain Go with a context.Context; the
// bindings parse arguments, call it with the run's context and convert results.
package lualib

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Env is everything a script's state knows about the run it belongs to.
type Env struct {
	// Ctx bounds the whole run: when it is done, a busy Lua loop stops and every
	// blocking call (connect, accept, receive, select, sleep, dns) returns.
	// Nil means context.Background().
	Ctx context.Context
	// Stdout receives print's output. Nil discards it.
	Stdout io.Writer
	// Dirs are the folders require searches for NAME.lua, in order: the
	// script's own folder and, for a submission, the lab's modules folder if it
	// names one (never the lab's folder itself: that holds the reference
	// solution and the checks). Nothing outside them is loadable.
	Dirs []string
	// Hosts, when non-nil, is the only name service: names resolve through it,
	// literal addresses and "localhost" resolve as themselves, anything else is
	// "host not found". Nil means the system resolver.
	Hosts map[string]netip.Addr
	// HostsMore are further addresses of Hosts' names (a lab host with
	// several): a name resolves to its Hosts address, then these.
	HostsMore map[string][]netip.Addr
	// Source, when valid, is the local address client sockets bind to before
	// connecting unless the script binds them itself.
	Source netip.Addr
	// Args is lab.args (the lab's submission.args).
	Args map[string]any
	// Services is what lab.service(name) returns.
	Services map[string]ServiceAddr
	// Events receives lab.log and lab.check records. Nil drops them.
	Events func(Event)
	// LabDir is the lab's folder (capture.open reads files there).
	LabDir string
	// Socket, when set, creates the state's sockets (as syscall.Socket): the
	// runner uses it to make them in a lab host's network namespace. Nil
	// means syscall.Socket, in the calling thread's namespace.
	Socket func(domain, typ, proto int) (int, error)
	// Interface is where capture.start captures when the script names no
	// interface; "" means "lo".
	Interface string
	// Offline, when set, is why the state has no network: socket, scan,
	// banner and capture.start raise it (a lab's Lua checks; see offline.go).
	Offline string
	// MaxOpen, when positive, is how many sockets, listeners and captures
	// the script may hold open at once. OnTooMany is called, once and
	// outside the state's lock, when it opens one more; the caller stops the
	// run (the runner's limits.sockets). Only what this state opened
	// counts: the lab's services, scan's and banner's own probes do not.
	MaxOpen   int
	OnTooMany func()
}

// ServiceAddr is where one of the lab's services listens.
type ServiceAddr struct {
	Host string     // the name from the lab's hosts, or an address
	Addr netip.Addr // the resolved address
	Port int
}

// Event is one lab.log or lab.check call, as the runner writes it to events.jsonl.
type Event struct {
	Time    time.Time `json:"time"`
	Kind    string    `json:"kind"` // "log" or "check"
	Name    string    `json:"name,omitempty"`
	OK      bool      `json:"ok"`
	Message string    `json:"message,omitempty"`
}

// EventLabError is the kind of event that records a fault of the lab's own
// code (a lua service's handle raised an error): the run is graded
// lab-error, not held against the submission.
const EventLabError = "lab-error"

// State is a sandboxed Lua state with the wirelab modules loaded. It is not safe
// for concurrent use, like the *lua.LState it wraps.
type State struct {
	// L is the underlying gopher-lua state.
	L   *lua.LState
	env Env

	coDepth int                 // nested coroutine resumes (see coroutine.go)
	sorting map[*lua.LState]int // threads inside table.sort's comparator calls
	capture *captureMod         // the capture module's data, for PacketsFunc
	raised  lua.LValue          // what the script last raised itself (see Error.Raised)
	culprit lua.LValue          // the error culprit.go last raised (its frame is not C Lua's)

	mu      sync.Mutex
	nextID  uint64
	res     map[uint64]io.Closer
	closed  bool
	tooMany bool // OnTooMany was called
}

// modules is the registry of the Lua modules every state gets, each both a global
// and require-able. An open function builds the module's table for s; it runs
// once per state, when the state is created.
var modules = map[string]func(s *State) lua.LValue{
	"socket":  openSocket,
	"lab":     openLab,
	"scan":    openScan,
	"banner":  openBanner,
	"capture": openCapture,
	"bit32":   func(s *State) lua.LValue { return openBit32(s.L) },
}

// aliases are extra require names for a module in the registry.
var aliases = map[string]string{
	"socket.core": "socket",
}

const stateKey = "wirelab.state"

// Options for every state: the data stack ("registry") starts moderately and
// grows in large steps, so table.concat or unpack on big tables stays cheap.
// The call stack is a fixed array: gopher-lua's growing one
// (MinimizeStackMemory) corrupts the state when it overflows inside nested
// pcalls (pcall returns stale stack slots, then Go panics), where a fixed one
// raises "stack overflow" as Lua does (issue 11 item 5). The main thread gets
// room for deep recursion; coroutines, which a script may create by the
// thousand, get threadCallStack frames each (see NewState).
var options = lua.Options{
	CallStackSize:       mainCallStack,
	MinimizeStackMemory: false,
	RegistrySize:        1024,
	RegistryMaxSize:     1024 * 1024,
	RegistryGrowStep:    1024 * 32,
	SkipOpenLibs:        true,
}

// Call-stack depths, in Lua calls: C Lua allows about 16000 nested Lua calls
// (LUAI_MAXCALLS 20000); a frame costs about 100 bytes here, so a coroutine's
// 1024 cost 100 KiB, and the main thread's 16000 1.6 MiB once.
const (
	mainCallStack   = 16000
	threadCallStack = 1024
)

// NewState returns a sandboxed state for env with every module loaded. The
// caller must Close it.
func NewState(env *Env) (*State, error) {
	s := &State{res: make(map[uint64]io.Closer)}
	if env != nil {
		s.env = *env
	}
	if s.env.Ctx == nil {
		s.env.Ctx = context.Background()
	}
	if s.env.Stdout == nil {
		s.env.Stdout = io.Discard
	}
	L := lua.NewState(options)
	// coroutine.create copies L.Options for the new thread.
	L.Options.CallStackSize = threadCallStack
	s.L = L
	ud := L.NewUserData()
	ud.Value = s
	L.G.Registry.RawSetString(stateKey, ud)
	if err := s.sandbox(); err != nil {
		L.Close()
		return nil, err
	}
	if s.env.Offline != "" {
		s.goOffline()
	}
	L.SetContext(s.env.Ctx)
	return s, nil
}

// stateOf returns the State that owns L (or a coroutine of it).
func stateOf(L *lua.LState) *State {
	ud, ok := L.G.Registry.RawGetString(stateKey).(*lua.LUserData)
	if !ok {
		L.RaiseError("wirelab: state is not a wirelab state")
	}
	return ud.Value.(*State)
}

// Env returns the state's environment (with defaults filled in).
func (s *State) Env() *Env { return &s.env }

// track registers c to be closed by Close, and returns a function that forgets
// it again (call it when the script closes the resource itself).
func (s *State) track(c io.Closer) (untrack func()) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.Close()
		return func() {}
	}
	s.nextID++
	id := s.nextID
	s.res[id] = c
	over := s.env.MaxOpen > 0 && len(s.res) > s.env.MaxOpen && !s.tooMany
	if over {
		s.tooMany = true
	}
	s.mu.Unlock()
	if over && s.env.OnTooMany != nil {
		s.env.OnTooMany()
	}
	return func() {
		s.mu.Lock()
		delete(s.res, id)
		s.mu.Unlock()
	}
}

// Close closes every socket, listener and capture the script left open, then the
// Lua state. It is safe to call more than once, but not while DoFile or DoString
// runs in another goroutine: cancel Env.Ctx and wait for it to return first.
func (s *State) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	res := s.res
	s.res = nil
	s.mu.Unlock()
	ids := make([]uint64, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		res[id].Close()
	}
	s.L.Close()
}

// Error is a script's failure: Message is "file:line: message" as Lua reports it,
// Traceback the Lua stack at the time as C Lua 5.1 prints it ("stack
// traceback:" and a line a level; may be empty).
type Error struct {
	Message   string
	Traceback string
	// Raised is true when the script raised the error itself, with
	// error(value) or a failed assert: a verdict of its own. It is false
	// for an error the Lua machine or a library function raised on a bug
	// of the script: an index, call or arithmetic on the wrong value, a
	// bad argument, a stack overflow, a Go panic. The value tells, not
	// the message: error("attempt to index ...") is the script's.
	Raised bool
}

// Error returns Message, the error as Lua reports it.
func (e *Error) Error() string { return e.Message }

// argNameRE finds gopher-lua's "bad argument #1 to rep (" where Lua 5.1
// writes "bad argument #1 to 'rep' (".
var argNameRE = regexp.MustCompile(`(bad argument #\d+ to )([A-Za-z_][A-Za-z0-9_]*) \(`)

// quoteArgName puts Lua 5.1's quotes around the function name of a
// gopher-lua argument error.
func quoteArgName(msg string) string {
	if !strings.Contains(msg, "bad argument #") {
		return msg
	}
	return argNameRE.ReplaceAllString(msg, "$1'$2' (")
}

func luaError(err error) error {
	var ae *lua.ApiError
	if errors.As(err, &ae) {
		msg := ""
		tb := luaTraceback(ae.StackTrace, false)
		switch v := ae.Object.(type) {
		case nil:
		case lua.LString:
			msg = string(v)
		case lua.LNumber:
			msg = numberString(v)
		case *lua.LNilType:
			msg = v.String()
		default:
			// the standalone lua's words for a table, boolean, function
			// or userdata raised, which it prints without a traceback
			msg, tb = "(error object is not a string)", ""
		}
		if ae.Type == lua.ApiErrorFile && ae.Cause != nil {
			msg = ae.Cause.Error()
		}
		if msg == "" {
			msg = err.Error()
		}
		return &Error{Message: quoteArgName(msg), Traceback: tb}
	}
	return err
}

// DoFile runs the Lua file at path. Errors are *Error ("file:line: message").
func (s *State) DoFile(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read script: %w", err)
	}
	return s.doChunk(string(src), path)
}

// DoString runs src as a chunk named name ("" gives "<string>").
func (s *State) DoString(src, name string) error {
	if name == "" {
		name = "<string>"
	}
	return s.doChunk(src, name)
}

func (s *State) doChunk(src, name string) error {
	if isBinaryChunk(src) {
		return &Error{Message: name + ": attempt to load a binary chunk"}
	}
	src = skipShebang(src)
	fn, err := loadLua(s.L, strings.NewReader(src), name)
	if err != nil {
		return luaError(err)
	}
	s.L.Push(fn)
	s.raised = nil
	if err := s.L.PCall(0, lua.MultRet, nil); err != nil {
		return s.chunkError(err)
	}
	return nil
}

func isBinaryChunk(src string) bool { return strings.HasPrefix(src, "\x1b") }

// skipShebang drops a leading UTF-8 byte order mark (editors on Windows write
// one) and blanks a leading "#!" line, keeping line numbers, as lua 5.2+ does
// for a file.
func skipShebang(src string) string {
	src = strings.TrimPrefix(src, "\xEF\xBB\xBF")
	if strings.HasPrefix(src, "#") {
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			return "--" + src[i:]
		}
		return ""
	}
	return src
}

// sandbox opens the safe standard libraries, removes what escapes the sandbox,
// and installs print, require, load, package and the wirelab modules.
func (s *State) sandbox() error {
	L := s.L
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
		{lua.OsLibName, lua.OpenOs},
	} {
		L.Push(L.NewFunction(lib.open))
		L.Push(lua.LString(lib.name))
		if err := L.PCall(1, 0, nil); err != nil {
			return fmt.Errorf("opening %s: %w", lib.name, err)
		}
	}
	g := L.G.Global
	s.limitCoroutines()
	s.installAssert()
	s.guardSortYield()
	s.installNumbers()
	s.installTableMath()
	s.installCulprits()
	s.installArgChecks()
	s.installFunctionCulprits()
	if err := s.installPcall(); err != nil {
		return fmt.Errorf("installing pcall: %w", err)
	}
	for _, name := range []string{"collectgarbage", "newproxy",
		"getfenv", "setfenv", "module", "_printregs", "require", "load", "loadstring", "print"} {
		g.RawSetString(name, lua.LNil)
	}
	if str, ok := g.RawGetString("string").(*lua.LTable); ok {
		str.RawSetString("dump", lua.LNil)
		installString(L, str)
	}
	g.RawSetString("tonumber", L.NewFunction(baseTonumber))
	if osFull, ok := g.RawGetString("os").(*lua.LTable); ok {
		osFull.RawSetString("date", L.NewFunction(osDate))
		osFull.RawSetString("time", L.NewFunction(osTime))
	}
	osFull, _ := g.RawGetString("os").(*lua.LTable)
	osSafe := L.NewTable()
	for _, name := range []string{"time", "clock", "date", "difftime"} {
		if osFull != nil {
			osSafe.RawSetString(name, osFull.RawGetString(name))
		}
	}
	for name, why := range removedOs {
		osSafe.RawSetString(name, s.unavailable("os."+name, why))
	}
	g.RawSetString("os", osSafe)
	g.RawSetString("dofile", s.unavailable("dofile", noFiles))
	g.RawSetString("loadfile", s.unavailable("loadfile", noFiles))
	g.RawSetString("io", s.installIO())

	L.SetFuncs(g, map[string]lua.LGFunction{
		"print":      basePrint,
		"require":    baseRequire,
		"load":       baseLoad,
		"loadstring": baseLoadString,
		"error":      baseError,
	})
	pkg := L.NewTable()
	loaded := L.NewTable()
	pkg.RawSetString("loaded", loaded)
	pkg.RawSetString("preload", L.NewTable())
	pkg.RawSetString("path", lua.LString(""))
	pkg.RawSetString("cpath", lua.LString(""))
	g.RawSetString("package", pkg)
	L.G.Registry.RawSetString("wirelab.loaded", loaded)
	for _, name := range []string{"_G", "string", "table", "math", "coroutine", "os", "io", "package"} {
		loaded.RawSetString(name, g.RawGetString(name))
	}

	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		mod := modules[name](s)
		g.RawSetString(name, mod)
		loaded.RawSetString(name, mod)
	}
	for alias, name := range aliases {
		loaded.RawSetString(alias, loaded.RawGetString(name))
	}
	s.sayNoValue()
	return nil
}

// noFiles is why dofile and loadfile are gone, and the way out.
const noFiles = "scripts cannot read files; require(\"name\") loads name.lua from the script's own folder"

// removedOs maps the os functions the sandbox removes to why.
var removedOs = map[string]string{
	"execute":   "scripts cannot run commands or touch files",
	"exit":      "a script ends after its last line; error(\"why\") stops it with a failure",
	"getenv":    "scripts cannot read the environment; the lab's settings are in lab.args",
	"setenv":    "scripts cannot change the environment",
	"remove":    "scripts cannot run commands or touch files",
	"rename":    "scripts cannot run commands or touch files",
	"tmpname":   "scripts cannot run commands or touch files",
	"setlocale": "scripts cannot change the locale",
}

// unavailable is a stand-in for a function the sandbox removes: calling it
// raises an error that says so, instead of "attempt to call a nil value".
func (s *State) unavailable(name, why string) *lua.LFunction {
	msg := fmt.Sprintf("%s is not available in wirelab's sandbox (%s)", name, why)
	return s.L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("%s", msg)
		return 0
	})
}

// unavailableTable is a stand-in for a library the sandbox removes: an empty
// table whose every field, read or written, raises an error naming it.
func (s *State) unavailableTable(lib, why string) *lua.LTable {
	L := s.L
	t := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("%s.%s is not available in wirelab's sandbox (%s)", lib, L.ToString(2), why)
		return 0
	}))
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("%s is not available in wirelab's sandbox (%s)", lib, why)
		return 0
	}))
	mt.RawSetString("__metatable", lua.LString("locked"))
	L.SetMetatable(t, mt)
	return t
}

// baseError is error(obj [, level]); unlike gopher-lua's, error() with no
// argument raises nil, as Lua 5.1's does.
// A string message gets the position of the function at the level asked for
// (1: the function that called error, 2: its caller, ...), none when that is
// a Go function, as C Lua's luaL_where does; gopher-lua's blames level 2 on
// the function itself.
func baseError(L *lua.LState) int {
	obj := L.Get(1)
	level := L.OptInt(2, 1)
	if n, ok := obj.(lua.LNumber); ok && level > 0 {
		// a number is a string to lua_isstring: it gets the position too
		obj = lua.LString(numberString(n))
	}
	if msg, ok := obj.(lua.LString); ok && level > 0 {
		pos := ""
		if dbg, ok := L.GetStack(level); ok {
			if _, err := L.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.CurrentLine > 0 {
				pos = fmt.Sprintf("%s:%d: ", dbg.Source, dbg.CurrentLine)
			}
		}
		obj = lua.LString(pos) + msg
	}
	stateOf(L).raised = obj
	L.Error(obj, 0)
	return 0
}

func basePrint(L *lua.LState) int {
	s := stateOf(L)
	top := L.GetTop()
	var b strings.Builder
	for i := 1; i <= top; i++ {
		if i > 1 {
			b.WriteByte('\t')
		}
		if n, ok := L.Get(i).(lua.LNumber); ok {
			b.WriteString(numberString(n))
			continue
		}
		// C's print writes each string with fputs: up to its first NUL
		b.WriteString(cString(L.ToStringMeta(L.Get(i)).String()))
	}
	b.WriteByte('\n')
	io.WriteString(s.env.Stdout, b.String())
	return 0
}

// compile loads src as a Lua function, refusing binary chunks (gopher-lua
// cannot run them, and a sandbox should not try).
func compile(L *lua.LState, src, name string) int {
	if isBinaryChunk(src) {
		L.Push(lua.LNil)
		L.Push(lua.LString("attempt to load a binary chunk"))
		return 2
	}
	fn, err := loadLua(L, strings.NewReader(src), name)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(luaError(err).Error()))
		return 2
	}
	L.Push(fn)
	return 1
}

func baseLoadString(L *lua.LState) int {
	src := L.CheckString(1)
	return compile(L, src, L.OptString(2, src))
}

func baseLoad(L *lua.LState) int {
	fn := L.CheckFunction(1)
	name := L.OptString(2, "=(load)")
	var b strings.Builder
	for {
		L.Push(fn)
		L.Call(0, 1)
		ret := L.Get(-1)
		L.Pop(1)
		if ret == lua.LNil {
			break
		}
		str, ok := ret.(lua.LString)
		if !ok {
			if n, isNum := ret.(lua.LNumber); isNum {
				str = lua.LString(n.String())
			} else {
				L.Push(lua.LNil)
				L.Push(lua.LString("reader function must return a string"))
				return 2
			}
		}
		if str == "" {
			break
		}
		b.WriteString(string(str))
		if b.Len() > 64<<20 {
			L.Push(lua.LNil)
			L.Push(lua.LString("chunk too large"))
			return 2
		}
	}
	return compile(L, b.String(), name)
}

// baseRequire finds name among the built-in modules or as a .lua file inside the
// state's Dirs, never anywhere else. Messages and chunk names show a module's
// path relative to its folder: the folders are the grader's business.
func baseRequire(L *lua.LState) int {
	name := L.CheckString(1)
	s := stateOf(L)
	loaded := L.G.Registry.RawGetString("wirelab.loaded").(*lua.LTable)
	if v := loaded.RawGetString(name); v != lua.LNil {
		if v == loadingSentinel {
			L.RaiseError("loop or previous error loading module '%s'", name)
		}
		L.Push(v)
		return 1
	}
	if fn := s.builtinModule(L, name); fn != nil {
		return runModule(L, loaded, name, fn)
	}
	path, rel, why := s.findModule(name)
	if path == "" {
		L.RaiseError("module '%s' not found: %s", name, why)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		L.RaiseError("error loading module '%s' from file '%s': cannot read it", name, rel)
	}
	if isBinaryChunk(string(src)) {
		L.RaiseError("error loading module '%s' from file '%s': attempt to load a binary chunk", name, rel)
	}
	fn, err := loadLua(L, strings.NewReader(skipShebang(string(src))), rel)
	if err != nil {
		L.RaiseError("error loading module '%s' from file '%s':\n\t%s", name, rel, luaError(err).Error())
	}
	return runModule(L, loaded, name, fn)
}

// runModule runs a module's main chunk with its name and records what it
// returns (or what it put in package.loaded, or true) as the module.
func runModule(L *lua.LState, loaded *lua.LTable, name string, fn *lua.LFunction) int {
	loaded.RawSetString(name, loadingSentinel)
	L.Push(fn)
	L.Push(lua.LString(name))
	if err := L.PCall(1, 1, nil); err != nil {
		loaded.RawSetString(name, lua.LNil)
		if ae, ok := err.(*lua.ApiError); ok {
			L.Error(ae.Object, 0)
		}
		L.RaiseError("%s", err.Error())
	}
	ret := L.Get(-1)
	L.Pop(1)
	if ret == lua.LNil {
		ret = loaded.RawGetString(name)
		if ret == loadingSentinel {
			ret = lua.LTrue
		}
	}
	loaded.RawSetString(name, ret)
	L.Push(ret)
	return 1
}

var loadingSentinel = lua.LString("\x00wirelab-loading")

// findModule maps a module name ("util" or "lib.util") to a file under one of
// the Dirs, refusing anything that could escape them. rel is the file's name
// relative to its folder ("lib/util.lua"), what messages show.
func (s *State) findModule(name string) (path, rel, why string) {
	if name == "" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") ||
		strings.Contains(name, "..") {
		return "", "", "not a valid module name"
	}
	for _, r := range name {
		ok := r == '.' || r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !ok {
			return "", "", "module names are made of letters, digits, '_', '-' and '.'; paths are not allowed"
		}
	}
	rel = strings.ReplaceAll(name, ".", "/") + ".lua"
	for _, dir := range s.env.Dirs {
		root, err := filepath.EvalSymlinks(dir)
		if err != nil {
			continue
		}
		root, _ = filepath.Abs(root)
		p := filepath.Join(root, filepath.FromSlash(rel))
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			continue
		}
		if r, err := filepath.Rel(root, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			continue
		}
		if fi, err := os.Stat(real); err == nil && fi.Mode().IsRegular() {
			return real, rel, ""
		}
	}
	switch len(s.env.Dirs) {
	case 0:
		return "", "", "no built-in module of that name, and no folders to search"
	case 1:
		return "", "", "no built-in module of that name, and no file " + rel + " in the script's folder"
	}
	return "", "", "no built-in module of that name, and no file " + rel + " in the script's folder or the lab's modules folder"
}

// protect sets __metatable so scripts cannot read or replace a host metatable.
func protect(mt *lua.LTable) { mt.RawSetString("__metatable", lua.LString("locked")) }

// ctxOf returns the run's context for a call made on L.
func ctxOf(L *lua.LState) context.Context {
	if ctx := L.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
