package lualib

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// installArgChecks replaces the base, table, math, os and coroutine
// functions whose argument checks differ from C Lua 5.1.5's in gopher-lua
// (no check at all, another order, other words), each written after what
// the C function does. It runs after the other replacements and before
// installPcall.
func (s *State) installArgChecks() {
	L := s.L
	g := L.G.Global
	set := func(t lua.LValue, name string, f lua.LGFunction) {
		if tbl, ok := t.(*lua.LTable); ok {
			tbl.RawSetString(name, L.NewFunction(f))
		}
	}
	set(g, "setmetatable", baseSetmetatable)
	set(g, "select", baseSelect)
	set(g, "unpack", baseUnpack)
	// changed in place: the function keeps its upvalues
	if rawset, ok := g.RawGetString("rawset").(*lua.LFunction); ok && rawset.IsG {
		orig := rawset.GFunction
		rawset.GFunction = func(L *lua.LState) int {
			orig(L)
			L.SetTop(1)
			return 1
		}
	}
	if assert, ok := g.RawGetString("assert").(*lua.LFunction); ok && assert.IsG {
		orig := assert.GFunction
		assert.GFunction = func(L *lua.LState) int {
			if L.GetTop() == 0 {
				L.ArgError(1, "value expected")
			}
			if !L.ToBool(1) {
				// luaL_optstring: a number is its text, anything else
				// but nil a type error
				switch v := L.Get(2).(type) {
				case lua.LNumber:
					L.Replace(2, lua.LString(numberString(v)))
				case lua.LString, *lua.LNilType:
				default:
					typeError(L, 2, "string")
				}
			}
			return orig(L)
		}
	}
	tbl := g.RawGetString("table")
	set(tbl, "insert", tabInsert)
	set(tbl, "setn", func(L *lua.LState) int {
		checkTable(L, 1)
		L.RaiseError("'setn' is obsolete")
		return 0
	})
	set(tbl, "foreach", tabForeach)
	set(tbl, "foreachi", tabForeachi)
	if t, ok := tbl.(*lua.LTable); ok {
		if sort, ok := t.RawGetString("sort").(*lua.LFunction); ok && sort.IsG {
			orig := sort.GFunction
			// C's sort takes a nil comparator as none
			sort.GFunction = func(L *lua.LState) int {
				if L.GetTop() >= 2 && L.Get(2) == lua.LNil {
					L.SetTop(1)
				}
				return orig(L)
			}
		}
	}
	m := g.RawGetString("math")
	set(m, "max", mathMinMax(func(a, b float64) bool { return a > b }))
	set(m, "min", mathMinMax(func(a, b float64) bool { return a < b }))
	// C evaluates luaL_checknumber(L, 1), luaL_checknumber(L, 2) as
	// arguments of one call, and gcc evaluates them right to left: the
	// second argument is checked first.
	for name, f := range map[string]func(x, y float64) float64{
		"fmod":  math.Mod,
		"pow":   math.Pow,
		"atan2": math.Atan2,
		"ldexp": func(x, y float64) float64 { return math.Ldexp(x, int(y)) },
	} {
		f := f
		set(m, name, func(L *lua.LState) int {
			y := luaCheckNumber(L, 2)
			x := luaCheckNumber(L, 1)
			r := f(x, y)
			if r != r {
				// a NaN argument comes back as it is, the first first;
				// a domain error (fmod(1, 0), pow(-1, 0.5)) is x86's
				// default NaN, whose sign glibc prints
				switch {
				case x != x:
					r = x
				case y != y:
					r = y
				default:
					r = negNaN
				}
			}
			L.Push(lua.LNumber(r))
			return 1
		})
	}
	for name, f := range map[string]struct {
		fn  func(float64) float64
		neg bool // a domain error is -nan in glibc (else nan)
	}{
		"acos": {math.Acos, false}, "asin": {math.Asin, false}, "atan": {math.Atan, false},
		"ceil": {math.Ceil, false}, "floor": {math.Floor, false},
		"cos": {math.Cos, true}, "sin": {math.Sin, true}, "tan": {math.Tan, true},
		"cosh": {math.Cosh, false}, "sinh": {math.Sinh, false}, "tanh": {math.Tanh, false},
		"exp": {math.Exp, false}, "log": {math.Log, true}, "log10": {math.Log10, false},
		"sqrt": {math.Sqrt, true},
	} {
		f := f
		set(m, name, func(L *lua.LState) int {
			x := luaCheckNumber(L, 1)
			r := f.fn(x)
			if r != r {
				switch {
				case x != x:
					r = x
				case f.neg:
					r = negNaN
				default:
					r = math.NaN()
				}
			}
			L.Push(lua.LNumber(r))
			return 1
		})
	}
	set(m, "modf", func(L *lua.LState) int {
		x := luaCheckNumber(L, 1)
		ip, fp := math.Modf(x)
		switch {
		case math.IsInf(x, 0):
			ip, fp = x, math.Copysign(0, x)
		case x != x:
			ip, fp = x, x
		}
		L.Push(lua.LNumber(ip))
		L.Push(lua.LNumber(fp))
		return 2
	})
	set(g.RawGetString("os"), "difftime", func(L *lua.LState) int {
		t0 := 0.0
		if L.Get(2) != lua.LNil {
			t0 = luaCheckNumber(L, 2)
		}
		t1 := luaCheckNumber(L, 1)
		L.Push(lua.LNumber(t1 - t0))
		return 1
	})
}

func checkTable(L *lua.LState, n int) *lua.LTable {
	t, ok := L.Get(n).(*lua.LTable)
	if !ok {
		typeError(L, n, "table")
	}
	return t
}

// luaCheckInt is luaL_checkint: the number as a lua_Integer (x86's
// conversion: out of range is the smallest one), then a C int (its low 32
// bits), so string.rep("x", 2^32 + 2) is "xx" and 2^31 is negative.
func luaCheckInt(L *lua.LState, n int) int {
	return cInt(luaCheckNumber(L, n))
}

// luaOptCInt is luaL_optint.
func luaOptCInt(L *lua.LState, n int, def int) int {
	if L.Get(n) == lua.LNil {
		return def
	}
	return luaCheckInt(L, n)
}

func cInt(x float64) int {
	i := int64(math.MinInt64)
	if x >= -(1<<63) && x < 1<<63 {
		i = int64(x)
	}
	return int(int32(i))
}

// baseSetmetatable is Lua 5.1's setmetatable(t, mt).
func baseSetmetatable(L *lua.LState) int {
	mt := L.Get(2)
	t := checkTable(L, 1)
	if L.GetTop() < 2 || (mt != lua.LNil && mt.Type() != lua.LTTable) {
		L.ArgError(2, "nil or table expected")
	}
	if L.GetMetaField(t, "__metatable") != lua.LNil {
		L.RaiseError("cannot change a protected metatable")
	}
	L.SetMetatable(t, mt)
	L.SetTop(1)
	return 1
}

// baseSelect is Lua 5.1's select(n, ...): '#' (any string starting with
// it) counts, a negative n counts from the end.
func baseSelect(L *lua.LState) int {
	n := L.GetTop()
	if s, ok := L.Get(1).(lua.LString); ok && len(s) > 0 && s[0] == '#' {
		L.Push(lua.LNumber(n - 1))
		return 1
	}
	i := luaCheckInt(L, 1)
	if i < 0 {
		i = n + i
	} else if i > n {
		i = n
	}
	if i < 1 {
		L.ArgError(1, "index out of range")
	}
	return n - i
}

// maxCStack is C Lua 5.1's LUAI_MAXCSTACK: lua_checkstack refuses to grow a
// C function's stack past it, so unpack gives at most about that many.
const maxCStack = 8000

// baseUnpack is Lua 5.1's unpack(t [, i [, j]]).
func baseUnpack(L *lua.LState) int {
	t := checkTable(L, 1)
	i := luaOptCInt(L, 2, 1)
	e := 0
	if L.Get(3) != lua.LNil {
		e = luaCheckInt(L, 3)
	} else {
		e = t.Len()
	}
	if i > e {
		return 0
	}
	n := e - i + 1
	if n <= 0 || n >= math.MaxInt32 || L.GetTop()+n > maxCStack {
		L.RaiseError("too many results to unpack")
	}
	for ; i <= e; i++ {
		L.Push(t.RawGetInt(i))
	}
	return n
}

// tabInsert is Lua 5.1's table.insert(t, [pos,] v).
func tabInsert(L *lua.LState) int {
	t := checkTable(L, 1)
	e := t.Len() + 1
	var pos int
	switch L.GetTop() {
	case 2:
		pos = e
	case 3:
		pos = luaCheckInt(L, 2)
		if pos > e {
			e = pos
		}
		for i := e; i > pos; i-- {
			t.RawSetInt(i, t.RawGetInt(i-1))
		}
	default:
		L.RaiseError("wrong number of arguments to 'insert'")
	}
	t.RawSetInt(pos, L.Get(-1))
	return 0
}

// tabForeach is Lua 5.1's table.foreach(t, f): f(k, v) for each pair until
// f returns non-nil, which foreach returns.
func tabForeach(L *lua.LState) int {
	t := checkTable(L, 1)
	f := checkFunction(L, 2)
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		L.Push(f)
		L.Push(k)
		L.Push(v)
		L.Call(2, 1)
		if r := L.Get(-1); r != lua.LNil {
			return 1
		}
		L.Pop(1)
	}
	return 0
}

// tabForeachi is Lua 5.1's table.foreachi(t, f): f(i, t[i]) for i = 1, #t.
func tabForeachi(L *lua.LState) int {
	t := checkTable(L, 1)
	f := checkFunction(L, 2)
	n := t.Len()
	for i := 1; i <= n; i++ {
		L.Push(f)
		L.Push(lua.LNumber(i))
		L.Push(t.RawGetInt(i))
		L.Call(2, 1)
		if r := L.Get(-1); r != lua.LNil {
			return 1
		}
		L.Pop(1)
	}
	return 0
}

func checkFunction(L *lua.LState, n int) *lua.LFunction {
	f, ok := L.Get(n).(*lua.LFunction)
	if !ok {
		typeError(L, n, "function")
	}
	return f
}

// mathMinMax is math.max or math.min: at least one number.
func mathMinMax(better func(a, b float64) bool) lua.LGFunction {
	return func(L *lua.LState) int {
		n := L.GetTop()
		x := luaCheckNumber(L, 1)
		for i := 2; i <= n; i++ {
			if y := luaCheckNumber(L, i); better(y, x) {
				x = y
			}
		}
		L.Push(lua.LNumber(x))
		return 1
	}
}

// noValueRE is a gopher-lua type error: "... bad argument #N to F (T
// expected, got nil)".
var noValueRE = regexp.MustCompile(`bad argument #(\d+) to .* expected, got (nil)\)$`)

// sayNoValue makes every Go function of the standard tables say what C
// Lua's luaL_typerror says of an argument past the last one: "got no
// value", where gopher-lua says "got nil". Each function is changed in
// place (the same *LFunction), so what holds it already gets the change.
func (s *State) sayNoValue() {
	g := s.L.G.Global
	tables := []*lua.LTable{g}
	for _, name := range []string{"string", "table", "math", "os", "coroutine", "io"} {
		if t, ok := g.RawGetString(name).(*lua.LTable); ok {
			tables = append(tables, t)
		}
	}
	// the standard files' methods
	if iot, ok := g.RawGetString("io").(*lua.LTable); ok {
		if f, ok := iot.RawGetString("stdout").(*lua.LUserData); ok {
			if mt, ok := f.Metatable.(*lua.LTable); ok {
				if methods, ok := mt.RawGetString("__index").(*lua.LTable); ok {
					tables = append(tables, methods)
				}
			}
		}
	}
	seen := map[*lua.LFunction]bool{}
	for _, t := range tables {
		t.ForEach(func(k, v lua.LValue) {
			fn, ok := v.(*lua.LFunction)
			if !ok || !fn.IsG || seen[fn] {
				return
			}
			if t != g && lua5_3[k.String()] {
				return // Lua 5.3's words (strpack.go)
			}
			seen[fn] = true
			fn.GFunction = withNoValue(fn, fn.GFunction)
		})
	}
}

// lua5_3 are the string functions taken from Lua 5.3, which say "got nil"
// where 5.3 does.
var lua5_3 = map[string]bool{"pack": true, "unpack": true, "packsize": true}

func withNoValue(self *lua.LFunction, orig lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		top := L.GetTop()
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			ae, ok := r.(*lua.ApiError)
			if !ok {
				panic(r)
			}
			msg, ok := ae.Object.(lua.LString)
			if !ok || !strings.Contains(string(msg), "bad argument #") {
				panic(r)
			}
			// raised by this very call, not by a function it called
			if dbg, ok := L.GetStack(0); ok {
				if fn, err := L.GetInfo("f", dbg, lua.LNil); err != nil || fn != self {
					panic(r)
				}
			}
			fixed := string(msg)
			if m := noValueRE.FindStringSubmatchIndex(fixed); m != nil {
				if n, _ := strconv.Atoi(fixed[m[2]:m[3]]); n > top {
					fixed = fixed[:m[4]] + "no value" + fixed[m[5]:]
				}
			}
			fixed = methodArg(L, fixed)
			if fixed == string(msg) {
				panic(r)
			}
			L.Error(lua.LString(fixed), 0)
		}()
		return orig(L)
	}
}

// badArgRE is an argument error: its number, the function's name (quoted
// or not) and the message.
var badArgRE = regexp.MustCompile(`bad argument #(\d+) to '?([A-Za-z_][A-Za-z0-9_]*)'? \((.*)\)$`)

// methodArg is luaL_argerror's count for a method call (s:rep({})): self is
// not counted, and an error in self itself is "calling 'rep' on bad self".
// The call is a method call when every call on the caller's current line
// to a function of that name calls it as a method (OP_SELF); when they
// disagree, msg is left as it is.
func methodArg(L *lua.LState, msg string) string {
	m := badArgRE.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg
	}
	name := msg[m[4]:m[5]]
	f := failingFrame(L)
	if f.fn == nil {
		return msg
	}
	p := f.fn.Proto
	method, plain := false, false
	for pc, inst := range p.Code {
		if pc >= len(p.DbgSourcePositions) || p.DbgSourcePositions[pc] != f.line {
			continue
		}
		if op := opcode(inst); op != lua.OP_CALL && op != lua.OP_TAILCALL {
			continue
		}
		a := argA(inst)
		last := lastSet(p, pc, a)
		if last >= 0 && opcode(p.Code[last]) == lua.OP_SELF && argA(p.Code[last]) == a {
			if kname(p, argC(p.Code[last])) == name {
				method = true
			}
			continue
		}
		if n := objName(f.fn, pc, a); strings.HasSuffix(n, "'"+name+"'") {
			plain = true
		}
	}
	if !method || plain {
		return msg
	}
	n, _ := strconv.Atoi(msg[m[2]:m[3]])
	if n-1 == 0 {
		return msg[:m[0]] + "calling '" + name + "' on bad self (" + msg[m[6]:m[7]] + ")"
	}
	return msg[:m[2]] + strconv.Itoa(n-1) + msg[m[3]:]
}
