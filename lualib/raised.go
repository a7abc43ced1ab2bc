package lualib

import (
	"errors"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// The script's own errors are told from the Lua machine's by the value
// raised, not by its text: error and assert record what they raise
// (State.raised), and an error that leaves a chunk with that very value is
// the script's (Error.Raised). A value re-raised unchanged (by error(err)
// after a pcall, or through a coroutine) is still the script's. "That very
// value" is the same string, not only an equal one: the machine builds each
// of its messages afresh, so even a bug whose message the script once raised
// and caught word for word is told apart.

// installAssert wraps the base library's assert so that the message a
// failed assert raises is recorded as the script's own. The original does
// the raising, so its messages and positions are unchanged.
func (s *State) installAssert() {
	g := s.L.G.Global
	fn, ok := g.RawGetString("assert").(*lua.LFunction)
	if !ok || fn.GFunction == nil {
		return
	}
	orig := fn.GFunction
	g.RawSetString("assert", s.L.NewFunction(func(L *lua.LState) int {
		if L.ToBool(1) {
			return orig(L)
		}
		defer func() {
			if r := recover(); r != nil {
				if ae, ok := r.(*lua.ApiError); ok {
					stateOf(L).raised = ae.Object
				}
				panic(r)
			}
		}()
		return orig(L)
	}))
}

// chunkError is luaError for an error that ended a chunk of this state,
// with Raised set when its value is the one the script raised last.
func (s *State) chunkError(err error) error {
	e := luaError(err)
	var le *Error
	var ae *lua.ApiError
	if errors.As(e, &le) && errors.As(err, &ae) && ae.Type == lua.ApiErrorRun {
		if s.raised != nil {
			le.Raised = sameValue(ae.Object, s.raised)
		}
		if !le.Raised {
			le.Message = vmWording(le.Message)
		}
		if s.culprit != nil && sameValue(ae.Object, s.culprit) {
			le.Traceback = luaTraceback(ae.StackTrace, true)
		}
	}
	return e
}

// sameValue reports whether a and b are one Lua value: for strings, the same
// bytes in memory.
func sameValue(a, b lua.LValue) bool {
	as, ok1 := a.(lua.LString)
	bs, ok2 := b.(lua.LString)
	if ok1 && ok2 && len(as) > 0 {
		return len(as) == len(bs) && unsafe.StringData(string(as)) == unsafe.StringData(string(bs))
	}
	return a == b
}
