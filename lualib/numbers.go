package lualib

import (
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// numberString formats n as C Lua 5.1 does (LUAI_NUMFFORMAT "%.14g"):
// 1/3 prints 0.33333333333333, 2^53 9.007199254741e+15, math.huge inf.
// gopher-lua prints the shortest exact form instead. print and tostring use
// it; concatenation (`"x" .. n`) is gopher-lua's VM and keeps its form.
func numberString(n lua.LNumber) string {
	f := float64(n)
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f != f:
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 14, 64)
}

// installNumbers sets math.huge to infinity (gopher-lua's is the largest
// float) and wraps tostring so numbers read as in C Lua.
func (s *State) installNumbers() {
	L := s.L
	if m, ok := L.G.Global.RawGetString("math").(*lua.LTable); ok {
		m.RawSetString("huge", lua.LNumber(math.Inf(1)))
	}
	orig := L.G.Global.RawGetString("tostring")
	L.G.Global.RawSetString("tostring", L.NewClosure(func(L *lua.LState) int {
		if n, ok := L.Get(1).(lua.LNumber); ok && L.GetTop() >= 1 {
			L.Push(lua.LString(numberString(n)))
			return 1
		}
		L.Insert(L.Get(lua.UpvalueIndex(1)), 1)
		L.Call(L.GetTop()-1, 1)
		return 1
	}, orig))
}
