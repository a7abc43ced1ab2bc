package lualib

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// bit32 is Lua 5.2's bit32 library, an extension wirelab adds to Lua 5.1 so a
// script can take packets apart (flags, checksums, DNS headers). Operands are
// read as C Lua 5.2 reads them on x86-64: rounded to the nearest integer (ties
// to even) and taken modulo 2^32; results are in [0, 2^32). testdata/diff52
// compares it with lua5.2.
func openBit32(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	L.SetFuncs(t, map[string]lua.LGFunction{
		"band":    bitReduce(math.MaxUint32, func(a, b uint32) uint32 { return a & b }),
		"bor":     bitReduce(0, func(a, b uint32) uint32 { return a | b }),
		"bxor":    bitReduce(0, func(a, b uint32) uint32 { return a ^ b }),
		"btest":   bitTest,
		"bnot":    func(L *lua.LState) int { return pushU32(L, ^checkU32(L, 1)) },
		"lshift":  func(L *lua.LState) int { return pushU32(L, shift(checkU32(L, 1), checkInt(L, 2))) },
		"rshift":  func(L *lua.LState) int { return pushU32(L, shift(checkU32(L, 1), -checkInt(L, 2))) },
		"arshift": bitArshift,
		"lrotate": func(L *lua.LState) int { return pushU32(L, rotate(checkU32(L, 1), checkInt(L, 2))) },
		"rrotate": func(L *lua.LState) int { return pushU32(L, rotate(checkU32(L, 1), -checkInt(L, 2))) },
		"extract": bitExtract,
		"replace": bitReplace,
	})
	return t
}

// toU32 is lua_tounsigned on x86-64: round to nearest, keep the low 32 bits.
func toU32(x float64) uint32 {
	r := math.RoundToEven(x)
	if math.IsInf(r, 0) || r != r {
		return 0
	}
	return uint32(int64(math.Mod(r, 1<<32)))
}

func checkU32(L *lua.LState, n int) uint32 { return toU32(luaCheckNumber(L, n)) }

// checkInt is a shift or a field argument: truncated, as C Lua 5.2 does.
func checkInt(L *lua.LState, n int) int {
	x := math.Trunc(luaCheckNumber(L, n))
	return int(math.Max(math.Min(x, math.MaxInt32), math.MinInt32))
}

func pushU32(L *lua.LState, v uint32) int {
	L.Push(lua.LNumber(v))
	return 1
}

func bitReduce(start uint32, op func(a, b uint32) uint32) lua.LGFunction {
	return func(L *lua.LState) int {
		r := start
		for i := 1; i <= L.GetTop(); i++ {
			r = op(r, checkU32(L, i))
		}
		return pushU32(L, r)
	}
}

func bitTest(L *lua.LState) int {
	r := uint32(math.MaxUint32)
	for i := 1; i <= L.GetTop(); i++ {
		r &= checkU32(L, i)
	}
	L.Push(lua.LBool(r != 0))
	return 1
}

// shift shifts left by n (right when n is negative), with zeros shifted in.
func shift(r uint32, n int) uint32 {
	switch {
	case n <= -32 || n >= 32:
		return 0
	case n < 0:
		return r >> uint(-n)
	}
	return r << uint(n)
}

func rotate(r uint32, n int) uint32 {
	n &= 31
	return r<<uint(n) | r>>uint((32-n)&31)
}

func bitArshift(L *lua.LState) int {
	r, n := checkU32(L, 1), checkInt(L, 2)
	if n < 0 || r&0x80000000 == 0 {
		return pushU32(L, shift(r, -n))
	}
	if n >= 32 {
		return pushU32(L, math.MaxUint32)
	}
	return pushU32(L, r>>uint(n)|^(uint32(math.MaxUint32)>>uint(n)))
}

// fieldArgs reads extract's and replace's field and width (from argument n).
func fieldArgs(L *lua.LState, n int) (int, int) {
	f := checkInt(L, n)
	w := 1
	if L.Get(n+1) != lua.LNil {
		w = checkInt(L, n+1)
	}
	if f < 0 {
		L.ArgError(n, "field cannot be negative")
	}
	if w <= 0 {
		L.ArgError(n+1, "width must be positive")
	}
	if f+w > 32 {
		L.RaiseError("trying to access non-existent bits")
	}
	return f, w
}

func mask(w int) uint32 { return ^((uint32(math.MaxUint32) << uint(w-1)) << 1) }

func bitExtract(L *lua.LState) int {
	r := checkU32(L, 1)
	f, w := fieldArgs(L, 2)
	return pushU32(L, (r>>uint(f))&mask(w))
}

func bitReplace(L *lua.LState) int {
	r, v := checkU32(L, 1), checkU32(L, 2)
	f, w := fieldArgs(L, 3)
	m := mask(w)
	return pushU32(L, r&^(m<<uint(f))|(v&m)<<uint(f))
}
