package lualib

import (
	"errors"
	"math"
	"math/bits"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// numberString formats n as C Lua 5.1 does (LUAI_NUMFFORMAT "%.14g"):
// 1/3 prints 0.33333333333333, 2^53 9.007199254741e+15, math.huge inf.
// gopher-lua prints the shortest exact form instead. print and tostring use
// it, and so does `..` (concat.go).
func numberString(n lua.LNumber) string {
	f := float64(n)
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f != f:
		// glibc prints the sign of a NaN: x86's default one (0/0,
		// inf-inf) is negative
		if math.Signbit(f) {
			return "-nan"
		}
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
		if L.GetTop() == 0 {
			L.ArgError(1, "value expected")
		}
		if n, ok := L.Get(1).(lua.LNumber); ok && L.GetTop() >= 1 {
			L.Push(lua.LString(numberString(n)))
			return 1
		}
		L.Insert(L.Get(lua.UpvalueIndex(1)), 1)
		L.Call(L.GetTop()-1, 1)
		return 1
	}, orig))
}

// str2number reads s as C Lua 5.1 reads a number (luaO_str2d over glibc's
// strtod): spaces around it, a decimal number with an optional exponent, a
// hexadecimal one (0x10, 0x1p4), inf or nan. gopher-lua misses exponents
// (tonumber("1e2") is nil there).
func str2number(s string) (float64, bool) {
	t := strings.Trim(s, " \t\n\v\f\r")
	if t == "" || strings.ContainsRune(t, '_') {
		return 0, false
	}
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 {
		return 0, false
	}
	neg := strings.HasPrefix(t, "-")
	if isNaNText(body) {
		// strtod's "nan" and "nan(chars)", with the sign given
		if neg {
			return negNaN, true
		}
		return math.NaN(), true
	}
	if len(body) > 1 && body[0] == '0' && body[1]|0x20 == 'x' {
		h := body[2:]
		if h == "" {
			return 0, false
		}
		if !strings.ContainsAny(h, "pP") {
			h += "p0"
		}
		f, err := strconv.ParseFloat("0x"+h, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
		if neg {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// baseTonumber is tonumber as C Lua 5.1 has it: base 10 reads what
// str2number reads; another base reads an unsigned integer as strtoul does
// (a minus sign wraps it around).
func baseTonumber(L *lua.LState) int {
	base := 10
	if L.Get(2) != lua.LNil {
		base = luaCheckInt(L, 2)
	}
	if base == 10 {
		if L.GetTop() < 1 {
			L.ArgError(1, "value expected")
		}
		switch v := L.Get(1).(type) {
		case lua.LNumber:
			L.Push(v)
			return 1
		case lua.LString:
			if f, ok := str2number(string(v)); ok {
				L.Push(lua.LNumber(f))
				return 1
			}
		}
		L.Push(lua.LNil)
		return 1
	}
	s := checkLString(L, 1)
	if base < 2 || base > 36 {
		L.ArgError(2, "base out of range")
	}
	if n, ok := strtoul(s, base); ok {
		L.Push(lua.LNumber(float64(n)))
		return 1
	}
	L.Push(lua.LNil)
	return 1
}

// strtoul reads all of s (spaces around it allowed) as an integer in base,
// with C's strtoul's sign handling and saturation.
func strtoul(s string, base int) (uint64, bool) {
	t := strings.Trim(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if base == 16 && len(t) > 2 && t[0] == '0' && t[1]|0x20 == 'x' {
		t = t[2:]
	}
	if t == "" {
		return 0, false
	}
	var n uint64
	over := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		var d int
		switch {
		case isDigit(c):
			d = int(c - '0')
		case isAlpha(c):
			d = int(c|0x20-'a') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		hi, lo := bits.Mul64(n, uint64(base))
		lo, carry := bits.Add64(lo, uint64(d), 0)
		if hi != 0 || carry != 0 {
			over = true
		}
		n = lo
	}
	if over {
		return math.MaxUint64, true
	}
	if neg {
		n = -n
	}
	return n, true
}

// negNaN is x86's default NaN, the one 0/0 gives: its sign bit is set.
var negNaN = math.Float64frombits(0xFFF8000000000000)

// isNaNText reports whether s is what glibc's strtod reads as a NaN:
// "nan", any case, optionally followed by "(n-char-sequence)".
func isNaNText(s string) bool {
	if len(s) < 3 || !strings.EqualFold(s[:3], "nan") {
		return false
	}
	rest := s[3:]
	if rest == "" {
		return true
	}
	if len(rest) < 2 || rest[0] != '(' || rest[len(rest)-1] != ')' {
		return false
	}
	for _, c := range []byte(rest[1 : len(rest)-1]) {
		if !(isDigit(c) || isAlpha(c) || c == '_') {
			return false
		}
	}
	return true
}
