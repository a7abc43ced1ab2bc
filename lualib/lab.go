package lualib

import (
	"fmt"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// openLab builds the lab module: the run's arguments, the lab's names and
// services, and the events a script records for the report.
func openLab(s *State) lua.LValue {
	L := s.L
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"host":    labHost,
		"service": labService,
		"log":     labLog,
		"check":   labCheck,
	})
	args := L.NewTable()
	if s.env.Args != nil {
		args = toLua(L, s.env.Args, 0).(*lua.LTable)
	}
	mod.RawSetString("args", args)
	return mod
}

// toLua converts decoded YAML/JSON-like values to Lua values.
func toLua(L *lua.LState, v any, depth int) lua.LValue {
	if depth > 64 {
		return lua.LNil
	}
	switch v := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(v)
	case string:
		return lua.LString(v)
	case int:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case uint64:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	case float32:
		return lua.LNumber(v)
	case time.Duration:
		return lua.LNumber(v.Seconds())
	case []any:
		t := L.CreateTable(len(v), 0)
		for i, e := range v {
			t.RawSetInt(i+1, toLua(L, e, depth+1))
		}
		return t
	case []string:
		t := L.CreateTable(len(v), 0)
		for i, e := range v {
			t.RawSetInt(i+1, lua.LString(e))
		}
		return t
	case map[string]any:
		t := L.CreateTable(0, len(v))
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.RawSetString(k, toLua(L, v[k], depth+1))
		}
		return t
	case map[any]any:
		t := L.CreateTable(0, len(v))
		for k, e := range v {
			t.RawSet(toLua(L, k, depth+1), toLua(L, e, depth+1))
		}
		return t
	default:
		return lua.LString(fmt.Sprint(v))
	}
}

func labHost(L *lua.LState) int {
	name := L.CheckString(1)
	s := stateOf(L)
	if a, ok := s.env.Hosts[name]; ok && a.IsValid() {
		L.Push(lua.LString(a.String()))
		return 1
	}
	L.Push(lua.LNil)
	return 1
}

func labService(L *lua.LState) int {
	name := L.CheckString(1)
	s := stateOf(L)
	svc, ok := s.env.Services[name]
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	t := L.NewTable()
	host := svc.Host
	if host == "" && svc.Addr.IsValid() {
		host = svc.Addr.String()
	}
	t.RawSetString("host", lua.LString(host))
	if svc.Addr.IsValid() {
		t.RawSetString("addr", lua.LString(svc.Addr.String()))
	}
	t.RawSetString("port", lua.LNumber(svc.Port))
	L.Push(t)
	return 1
}

func (s *State) emit(e Event) {
	e.Time = time.Now()
	if s.env.Events != nil {
		s.env.Events(e)
	}
}

func labLog(L *lua.LState) int {
	top := L.GetTop()
	parts := make([]string, 0, top)
	for i := 1; i <= top; i++ {
		parts = append(parts, L.ToStringMeta(L.Get(i)).String())
	}
	stateOf(L).emit(Event{Kind: "log", Message: strings.Join(parts, "\t")})
	return 0
}

func labCheck(L *lua.LState) int {
	name := L.CheckString(1)
	L.CheckAny(2)
	ok := lua.LVAsBool(L.Get(2))
	msg := ""
	if L.GetTop() >= 3 && L.Get(3) != lua.LNil {
		msg = L.ToStringMeta(L.Get(3)).String()
	}
	stateOf(L).emit(Event{Kind: "check", Name: name, OK: ok, Message: msg})
	L.Push(lua.LBool(ok))
	return 1
}
