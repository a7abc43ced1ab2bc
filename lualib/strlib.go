package lualib

import (
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// installString replaces gopher-lua's string functions with Lua 5.1's
// (strpattern.go, strformat.go and the small ones below): numbers read as
// strings in their %.14g form, and errors are worded as C Lua words them.
// Methods on strings use the same table.
func installString(L *lua.LState, str *lua.LTable) {
	gmatch := L.NewFunction(strGmatch)
	for name, f := range map[string]lua.LValue{
		"find":    L.NewFunction(strFind),
		"match":   L.NewFunction(strMatch),
		"gmatch":  gmatch,
		"gfind":   gmatch,
		"gsub":    L.NewFunction(strGsub),
		"format":  L.NewFunction(strFormat),
		"rep":     L.NewFunction(strRep),
		"sub":     L.NewFunction(strSub),
		"len":     L.NewFunction(strLen),
		"lower":   L.NewFunction(strLower),
		"upper":   L.NewFunction(strUpper),
		"reverse": L.NewFunction(strReverse),
		"byte":    L.NewFunction(strByte),
		"char":    L.NewFunction(strChar),
		// Lua 5.3's, an extension (strpack.go).
		"pack":     L.NewFunction(strPack),
		"unpack":   L.NewFunction(strUnpack),
		"packsize": L.NewFunction(strPacksize),
	} {
		str.RawSetString(name, f)
	}
}

func strRep(L *lua.LState) int {
	s := checkLString(L, 1)
	n := luaCheckInt(L, 2)
	if n <= 0 || s == "" {
		L.Push(lua.LString(""))
		return 1
	}
	if len(s) > math.MaxInt/n {
		L.RaiseError("resulting string too large")
	}
	L.Push(lua.LString(strings.Repeat(s, n)))
	return 1
}

// subRange turns Lua's i, j (1-based, negative from the end) into a slice
// range of a string of length n, as string.sub reads them.
func subRange(i, j, n int) (int, int) {
	i, j = posrelat(i, n), posrelat(j, n)
	if i < 1 {
		i = 1
	}
	if j > n {
		j = n
	}
	if i > j {
		return 0, 0
	}
	return i - 1, j
}

func strSub(L *lua.LState) int {
	s := checkLString(L, 1)
	lo, hi := subRange(int(luaCheckNumber(L, 2)), luaOptInt(L, 3, -1), len(s))
	L.Push(lua.LString(s[lo:hi]))
	return 1
}

func strLen(L *lua.LState) int {
	L.Push(lua.LNumber(len(checkLString(L, 1))))
	return 1
}

// mapBytes applies f to every byte (the C locale: ASCII letters only).
func mapBytes(s string, f func(byte) byte) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = f(c)
	}
	return string(b)
}

func strLower(L *lua.LState) int {
	L.Push(lua.LString(mapBytes(checkLString(L, 1), func(c byte) byte {
		if isUpper(c) {
			return c | 0x20
		}
		return c
	})))
	return 1
}

func strUpper(L *lua.LState) int {
	L.Push(lua.LString(mapBytes(checkLString(L, 1), func(c byte) byte {
		if isLower(c) {
			return c &^ 0x20
		}
		return c
	})))
	return 1
}

func strReverse(L *lua.LState) int {
	b := []byte(checkLString(L, 1))
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	L.Push(lua.LString(b))
	return 1
}

func strByte(L *lua.LState) int {
	s := checkLString(L, 1)
	i := luaOptInt(L, 2, 1)
	lo, hi := subRange(i, luaOptInt(L, 3, i), len(s))
	if L.GetTop()+hi-lo > maxCStack {
		L.RaiseError("stack overflow (string slice too long)")
	}
	for _, c := range []byte(s[lo:hi]) {
		L.Push(lua.LNumber(c))
	}
	return hi - lo
}

func strChar(L *lua.LState) int {
	b := make([]byte, L.GetTop())
	for i := range b {
		c := luaCheckInt(L, i+1)
		if c < 0 || c > 255 {
			L.ArgError(i+1, "invalid value")
		}
		b[i] = byte(c)
	}
	L.Push(lua.LString(b))
	return 1
}
