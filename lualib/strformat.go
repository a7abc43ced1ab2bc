package lualib

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// strFormat is string.format as C Lua 5.1 has it: C's printf conversions
// (c d i o u x X e E f g G q s), at most two digits of width and of
// precision, and Lua 5.1's errors for a missing argument or an unknown
// option. gopher-lua hands the format to Go's fmt, whose output leaks into a
// script ("%!u(int64=9)", "%!d(MISSING)") and whose %q Lua cannot read back.
func strFormat(L *lua.LState) int {
	f := checkLString(L, 1)
	var b strings.Builder
	arg := 1
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			b.WriteByte('%')
			continue
		}
		arg++
		if arg > L.GetTop() {
			L.ArgError(arg, "no value")
		}
		spec, conv, next := scanFormat(L, f, i)
		i = next
		switch conv {
		case 'c':
			// C adds sprintf's output up to its first NUL: "%c" of 0
			// adds nothing, "%5c" its padding only
			b.WriteString(cString(pad(spec, string([]byte{byte(int64(luaCheckNumber(L, arg)))}))))
		case 'd', 'i':
			n := toInteger(luaCheckNumber(L, arg))
			b.WriteString(fmt.Sprintf("%"+spec+"d", n))
		case 'o', 'u', 'x', 'X':
			n := toUnsigned(luaCheckNumber(L, arg))
			verb := string(conv)
			if conv == 'u' {
				verb = "d"
			}
			// C ignores '+' and ' ' on unsigned conversions; Go's fmt does not.
			spec = strings.NewReplacer("+", "", " ", "").Replace(spec)
			b.WriteString(fmt.Sprintf("%"+spec+verb, n))
		case 'e', 'E', 'f', 'g', 'G':
			b.WriteString(formatFloat(spec, conv, luaCheckNumber(L, arg)))
		case 'q':
			addQuoted(&b, checkLString(L, arg))
		case 's':
			s := checkLString(L, arg)
			if !strings.Contains(spec, ".") && len(s) >= 100 {
				b.WriteString(s) // C Lua keeps a long string whole, unformatted
				continue
			}
			s = cString(s) // sprintf reads a C string
			if dot := strings.IndexByte(spec, '.'); dot >= 0 {
				prec, _ := strconv.Atoi(spec[dot+1:])
				s = s[:min(prec, len(s))]
				spec = spec[:dot]
			}
			b.WriteString(pad(spec, s))
		case 0:
			// lua_pushfstring's %c of a NUL adds nothing
			L.RaiseError("%s", "invalid option '%' to 'format'")
		default:
			L.RaiseError("invalid option '%%%c' to 'format'", conv)
		}
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// scanFormat reads the flags, width and precision of a conversion starting at
// f[i] and returns them (as a printf spec without '%'), the conversion
// character and its index.
func scanFormat(L *lua.LState, f string, i int) (string, byte, int) {
	start := i
	for i < len(f) && strings.IndexByte("-+ #0", f[i]) >= 0 {
		i++
	}
	if i-start >= len("-+ #0")+1 {
		L.RaiseError("invalid format (repeated flags)")
	}
	digits := func() {
		n := 0
		for i < len(f) && isDigit(f[i]) {
			i++
			n++
		}
		if n > 2 {
			L.RaiseError("invalid format (width or precision too long)")
		}
	}
	digits()
	if i < len(f) && f[i] == '.' {
		i++
		digits()
	}
	if i >= len(f) {
		L.RaiseError("%s", "invalid option '%' to 'format'")
	}
	return f[start:i], f[i], i
}

// toInteger converts as C's (long) cast does: toward zero, clamped.
func toInteger(x float64) int64 {
	switch {
	case x != x:
		return math.MinInt64
	case x >= math.MaxInt64:
		return math.MinInt64 // what x86-64 gives for an out-of-range conversion
	case x <= math.MinInt64:
		return math.MinInt64
	}
	return int64(x)
}

// toUnsigned converts as C's (unsigned long) cast does on x86-64: a negative
// number wraps around.
func toUnsigned(x float64) uint64 {
	if x < 0 {
		return uint64(toInteger(x))
	}
	if x != x {
		return 1 << 63 // cvttsd2si's "integer indefinite"
	}
	if x >= 1<<64 {
		return 0
	}
	return uint64(x)
}

// formatFloat is C's %e, %f or %g: precision 6 when none is given (Go's %g
// would print the shortest form), and inf and nan spelled as glibc does.
func formatFloat(spec string, conv byte, x float64) string {
	if math.IsInf(x, 0) || x != x {
		s := "inf"
		if x != x {
			s = "nan"
			if math.Signbit(x) {
				s = "-nan" // glibc prints the sign bit (0/0's is set)
			}
		} else if x < 0 {
			s = "-inf"
		} else if strings.Contains(spec, "+") {
			s = "+inf"
		} else if strings.Contains(spec, " ") {
			s = " inf"
		}
		if conv == 'E' || conv == 'G' {
			s = strings.ToUpper(s)
		}
		if dot := strings.IndexByte(spec, '.'); dot >= 0 {
			spec = spec[:dot]
		}
		return pad(strings.ReplaceAll(spec, "0", ""), s)
	}
	if !strings.Contains(spec, ".") {
		spec += ".6"
	}
	return fmt.Sprintf("%"+spec+string(conv), x)
}

// pad applies a spec's width and '-' flag to s, counting bytes.
func pad(spec string, s string) string {
	left := strings.Contains(spec, "-")
	w := strings.TrimLeft(spec, "-+ #0")
	if dot := strings.IndexByte(w, '.'); dot >= 0 {
		w = w[:dot]
	}
	width, _ := strconv.Atoi(w)
	if len(s) >= width {
		return s
	}
	fill := strings.Repeat(" ", width-len(s))
	if left {
		return s + fill
	}
	return fill + s
}

// addQuoted writes s as %q does in Lua 5.1: in double quotes, with '"', '\\'
// and a newline escaped by a backslash, '\r' as \r and NUL as \000; every other
// byte as it is, so the result reads back as the same string.
func addQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', '\n':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			b.WriteString(`\r`)
		case 0:
			b.WriteString(`\000`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// cString is s up to its first NUL, as C's string functions read it.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}
