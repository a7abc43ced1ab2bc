package lualib

import (
	_ "embed"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// pcall, xpcall and the coroutine functions that see through them are Lua
// (pcall.lua): each protected call runs in a coroutine of its own. That works
// around two gopher-lua faults without touching its code:
//
//   - its pcall, on catching an error, closes the open upvalues of every frame
//     of the thread, not only of the frames it unwinds, so a closure made
//     before the pcall no longer shares its locals with the function that made
//     it (gopher-lua issue #448: `local n = 0; local f = function() n = n + 1
//     end; pcall(error, "x"); f(); f(); print(n)` printed 0);
//   - a coroutine.yield inside its pcall killed the VM with a nil dereference
//     on the next resume, where Lua 5.2+ (and coxpcall, which copas loads)
//     expect the yield to reach the resumer.
//
// In a coroutine of its own, an error closes only that coroutine's upvalues,
// and a yield is passed on to the enclosing coroutine and the values of the
// next resume passed back in. coroutine.running and coroutine.status answer
// for the script's coroutine, not for the protected call's, as coxpcall's do.
//
//go:embed pcall.lua
var pcallLua string

// installPcall replaces pcall, xpcall, coroutine.running and
// coroutine.status. It runs after limitCoroutines, so nested protected calls
// count towards the same C-stack depth as resumes ("C stack overflow" at 200,
// as in C Lua).
func (s *State) installPcall() error {
	L := s.L
	co := L.G.Global.RawGetString("coroutine").(*lua.LTable)
	fn, err := L.Load(strings.NewReader(pcallLua), "=pcall")
	if err != nil {
		return err
	}
	L.Push(fn)
	L.Push(L.NewClosure(newProtectedThread, co.RawGetString("create")))
	L.Push(co.RawGetString("resume"))
	L.Push(co.RawGetString("status"))
	L.Push(co.RawGetString("yield"))
	L.Push(co.RawGetString("running"))
	L.Push(L.G.Global)
	L.Push(co)
	L.Push(L.NewFunction(isGoFunction))
	L.Push(L.NewFunction(goCall))
	L.Push(L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LBool(s.sorting[L] > 0))
		return 1
	}))
	L.Push(L.NewFunction(pcallArgError))
	L.Push(L.NewFunction(func(L *lua.LState) int {
		L.Push(s.machineWording(L.Get(1)))
		return 1
	}))
	if err := L.PCall(12, 0, nil); err != nil {
		return err
	}
	// coroutine.status checks its argument in Go, so that a tail call
	// (return coroutine.status(co)) names it as C Lua does
	if status, ok := co.RawGetString("status").(*lua.LFunction); ok {
		co.RawSetString("status", L.NewFunction(func(L *lua.LState) int {
			if _, ok := L.Get(1).(*lua.LState); !ok {
				L.ArgError(1, "coroutine expected")
			}
			L.Push(status)
			L.Push(L.Get(1))
			L.Call(1, 1)
			return 1
		}))
	}
	return nil
}

// newProtectedThread(f) is coroutine.create(f) for a protected call's worker:
// its call stack starts small and grows on demand, up to the main thread's
// depth (a script may wrap its whole run in pcall). Workers are pooled and
// outlive the coroutine that made them, so a worker runs under the state's own
// context, not under a child of that coroutine's (which ends with it). The
// upvalue is gopher-lua's coroutine.create, which copies L.Options.
func newProtectedThread(L *lua.LState) int {
	create := L.Get(lua.UpvalueIndex(1)).(*lua.LFunction).GFunction
	saved := L.Options
	ctx := L.RemoveContext()
	L.Options.MinimizeStackMemory = true
	L.Options.CallStackSize = mainCallStack
	L.Options.RegistrySize = 256
	n := create(L)
	L.Options = saved
	if ctx != nil {
		L.SetContext(ctx)
	}
	if th, ok := L.Get(-1).(*lua.LState); ok {
		th.SetContext(stateOf(L).env.Ctx)
	}
	return n
}

// isGoFunction(v) is whether v is a function written in Go.
func isGoFunction(L *lua.LState) int {
	fn, ok := L.Get(1).(*lua.LFunction)
	L.Push(lua.LBool(ok && fn.IsG))
	return 1
}

// goCall(f, ...) calls f from Go and returns what it returns.
func goCall(L *lua.LState) int {
	L.Call(L.GetTop()-1, lua.MultRet)
	return L.GetTop()
}

// pcallArgError(n, msg) is luaL_argerror for the pcall.lua function that
// calls it: "bad argument #n to 'NAME' (msg)" with the name its caller
// called it by and the caller's position, or '?' and no position when
// pcall.lua itself or Go called it (C Lua's pcall calling pcall), or it was
// a tail call (whose caller gopher-lua no longer has).
func pcallArgError(L *lua.LState) int {
	n := L.CheckInt(1)
	msg := L.CheckString(2)
	name, pos := "?", ""
	if self, ok := L.GetStack(1); ok {
		if _, err := L.GetInfo("nS", self, lua.LNil); err == nil && self.What != "tail" {
			if caller, ok := L.GetStack(2); ok {
				if _, err := L.GetInfo("Sl", caller, lua.LNil); err == nil &&
					caller.What != "G" && caller.Source != "=pcall" && isIdentifier(self.Name) {
					name = self.Name
					if caller.CurrentLine > 0 {
						pos = fmt.Sprintf("%s:%d: ", caller.Source, caller.CurrentLine)
					}
				}
			}
		}
	}
	L.Error(lua.LString(fmt.Sprintf("%sbad argument #%d to '%s' (%s)", pos, n, name, msg)), 0)
	return 0
}
