package lualib

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// maxCoroutineDepth bounds nested resumes, as C Lua's LUAI_MAXCCALLS (200)
// does: gopher-lua has no such limit, and each level is a whole Lua thread,
// so unbounded nesting exhausts memory long before anything else stops it.
const maxCoroutineDepth = 200

// limitCoroutines wraps coroutine.resume and coroutine.wrap to count nesting.
func (s *State) limitCoroutines() {
	L := s.L
	co, ok := L.G.Global.RawGetString("coroutine").(*lua.LTable)
	if !ok {
		return
	}
	if resume, ok := co.RawGetString("resume").(*lua.LFunction); ok {
		co.RawSetString("resume", L.NewClosure(limitedResume, resume))
	}
	if wrap, ok := co.RawGetString("wrap").(*lua.LFunction); ok {
		co.RawSetString("wrap", L.NewClosure(limitedWrap, wrap))
	}
	// create and wrap take a Lua function, as in C Lua 5.1 (gopher-lua also
	// takes a Go one).
	for _, name := range []string{"create", "wrap"} {
		if f, ok := co.RawGetString(name).(*lua.LFunction); ok {
			co.RawSetString(name, L.NewClosure(func(L *lua.LState) int {
				if fn, ok := L.Get(1).(*lua.LFunction); !ok || fn.IsG {
					L.ArgError(1, "Lua function expected")
				}
				nargs := L.GetTop()
				L.Insert(L.Get(lua.UpvalueIndex(1)), 1)
				L.Call(nargs, lua.MultRet)
				return L.GetTop()
			}, f))
		}
	}
}

func enterCoroutine(L *lua.LState) (leave func(), ok bool) {
	s := stateOf(L)
	if s.coDepth >= maxCoroutineDepth {
		return nil, false
	}
	s.coDepth++
	return func() { s.coDepth-- }, true
}

func limitedResume(L *lua.LState) int {
	if _, ok := L.Get(1).(*lua.LState); !ok {
		L.ArgError(1, "coroutine expected")
	}
	leave, ok := enterCoroutine(L)
	if !ok {
		L.Push(lua.LFalse)
		L.Push(lua.LString("C stack overflow"))
		return 2
	}
	defer leave()
	nargs := L.GetTop()
	L.Insert(L.Get(lua.UpvalueIndex(1)), 1)
	L.Call(nargs, lua.MultRet)
	if L.GetTop() == 2 && L.Get(1) == lua.LFalse {
		// gopher-lua's wording, in Lua 5.1's
		switch L.Get(2) {
		case lua.LString("can not resume a dead thread"):
			L.Replace(2, lua.LString("cannot resume dead coroutine"))
		case lua.LString("can not resume a running thread"):
			L.Replace(2, lua.LString("cannot resume non-suspended coroutine"))
		default:
			if msg, ok := stateOf(L).machineWording(L.Get(2)).(lua.LString); ok {
				L.Replace(2, lua.LString(quoteArgName(string(msg))))
			}
		}
	}
	return L.GetTop()
}

func limitedWrap(L *lua.LState) int {
	L.Push(L.Get(lua.UpvalueIndex(1)))
	L.Push(L.Get(1))
	L.Call(1, 1)
	L.Push(L.NewClosure(limitedWrapped, L.Get(-1)))
	return 1
}

func limitedWrapped(L *lua.LState) int {
	leave, ok := enterCoroutine(L)
	if !ok {
		L.RaiseError("C stack overflow")
	}
	defer leave()
	nargs := L.GetTop()
	L.Insert(L.Get(lua.UpvalueIndex(1)), 1)
	if err := L.PCall(nargs, lua.MultRet, nil); err != nil {
		obj := lua.LValue(lua.LString(err.Error()))
		if e, ok := err.(*lua.ApiError); ok {
			obj = e.Object
		}
		// Lua 5.1's words for a dead coroutine (gopher-lua: "can not resume
		// a dead thread"); any other error passes through unchanged.
		if s, ok := obj.(lua.LString); ok && strings.HasSuffix(string(s), "can not resume a dead thread") {
			obj = lua.LString("cannot resume dead coroutine")
		}
		obj = stateOf(L).machineWording(obj)
		L.Error(obj, 0)
	}
	return L.GetTop()
}

// guardSortYield makes a yield from a table.sort comparator what it is in C
// Lua, an error ("attempt to yield across metamethod/C-call boundary") that
// ends the coroutine and that resume returns, where gopher-lua's Go sort cannot
// be suspended and its failed yield ended the whole script. table.sort counts,
// per thread, the sorts it is inside; coroutine.yield refuses in such a
// thread. It runs before installPcall, so the yields pcall.lua passes on are
// guarded too, while its workers' own yields (other threads) are not.
func (s *State) guardSortYield() {
	L := s.L
	tbl, ok1 := L.G.Global.RawGetString("table").(*lua.LTable)
	co, ok2 := L.G.Global.RawGetString("coroutine").(*lua.LTable)
	if !ok1 || !ok2 {
		return
	}
	s.sorting = map[*lua.LState]int{}
	if sort, ok := tbl.RawGetString("sort").(*lua.LFunction); ok {
		tbl.RawSetString("sort", L.NewClosure(func(L *lua.LState) int {
			// the argument errors as C's sort words them (the Go sort, called
			// from here, could not name itself)
			if _, ok := L.Get(1).(*lua.LTable); !ok {
				argErr(L, 1, "sort", false, "table expected, got "+typeName(L, 1))
			}
			if _, ok := L.Get(2).(*lua.LFunction); !ok && L.Get(2) != lua.LNil {
				argErr(L, 2, "sort", false, "function expected, got "+typeName(L, 2))
			}
			if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
				s.sorting[L]++
				defer func() {
					if s.sorting[L]--; s.sorting[L] == 0 {
						delete(s.sorting, L)
					}
				}()
			}
			// C Lua 5.1's quicksort, in this frame (tablib.go)
			return tabSort(L)
		}, sort))
	}
	if yield, ok := co.RawGetString("yield").(*lua.LFunction); ok {
		co.RawSetString("yield", L.NewClosure(func(L *lua.LState) int {
			if s.sorting[L] > 0 {
				L.Error(lua.LString("attempt to yield across metamethod/C-call boundary"), 0)
			}
			return yield.GFunction(L)
		}, yield))
	}
}
