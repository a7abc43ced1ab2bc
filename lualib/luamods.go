package lualib

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// The rest of LuaSocket a script can require: ltn12, mime, socket.url,
// socket.headers, socket.http, socket.tp and socket.smtp, written in Lua for
// wirelab (lua/*.lua), over the Go socket module and mime.core (mime.go). They
// load on first require, as in C Lua, and each is compiled once per process.

//go:embed lua/*.lua
var luaSources embed.FS

// requireModules is the registry of modules a script loads with require: a
// name maps to the Go function that builds it, or to a Lua file in lua/.
var requireModules = map[string]any{
	"mime.core":      openMimeCore,
	"ltn12":          "lua/ltn12.lua",
	"mime":           "lua/mime.lua",
	"socket.url":     "lua/socket.url.lua",
	"socket.headers": "lua/socket.headers.lua",
	"socket.http":    "lua/socket.http.lua",
	"socket.tp":      "lua/socket.tp.lua",
	"socket.smtp":    "lua/socket.smtp.lua",
}

// socketHelpers is LuaSocket's own Lua half of the socket module (choose,
// source, sink); it runs over the Go module when a script first reads one of
// socketHelperNames.
const socketHelpers = "lua/socket.lua"

var socketHelperNames = []string{"choose", "sink", "sinkt", "source", "sourcet"}

var protos sync.Map // file -> *protoOnce

type protoOnce struct {
	once  sync.Once
	proto *lua.FunctionProto
	err   error
}

// proto compiles an embedded Lua file once for every state of the process.
func proto(file string) (*lua.FunctionProto, error) {
	v, _ := protos.LoadOrStore(file, &protoOnce{})
	p := v.(*protoOnce)
	p.once.Do(func() {
		src, err := luaSources.ReadFile(file)
		if err != nil {
			p.err = err
			return
		}
		name := strings.TrimPrefix(file, "lua/")
		name = strings.ReplaceAll(strings.TrimSuffix(name, ".lua"), ".", "/") + ".lua"
		p.proto, p.err = compileLua(strings.NewReader(string(src)), name)
	})
	return p.proto, p.err
}

// builtinModule returns the loader of a built-in require-able module, or nil
// when name is not one.
func (s *State) builtinModule(L *lua.LState, name string) *lua.LFunction {
	switch m := requireModules[name].(type) {
	case func(*State) lua.LValue:
		return L.NewFunction(func(L *lua.LState) int {
			L.Push(m(s))
			return 1
		})
	case string:
		p, err := proto(m)
		if err != nil {
			L.RaiseError("error loading built-in module '%s': %v", name, err)
		}
		return L.NewFunctionFromProto(p)
	}
	return nil
}

// lazySocketHelpers makes the first read of socket.choose, socket.sink, ...
// run socketHelpers over mod.
func lazySocketHelpers(s *State, mod *lua.LTable) {
	L := s.L
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		key := L.CheckAny(2)
		k, ok := key.(lua.LString)
		if !ok || !isHelperName(string(k)) {
			return 0
		}
		L.SetMetatable(mod, lua.LNil)
		p, err := proto(socketHelpers)
		if err != nil {
			L.RaiseError("%s", fmt.Sprintf("loading socket's helpers: %v", err))
		}
		L.Push(L.NewFunctionFromProto(p))
		L.Push(mod)
		L.Call(1, 0)
		L.Push(mod.RawGetString(string(k)))
		return 1
	}))
	L.SetMetatable(mod, mt)
}

func isHelperName(k string) bool {
	for _, n := range socketHelperNames {
		if n == k {
			return true
		}
	}
	return false
}
