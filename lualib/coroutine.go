package lualib

import lua "github.com/yuin/gopher-lua"

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
	L.Call(nargs, lua.MultRet)
	return L.GetTop()
}
