package lualib

import (
	"math"
	"math/rand"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// installTableMath replaces the table and math functions whose behaviour
// differs from C Lua 5.1's in gopher-lua: table.concat writes numbers in
// their %.14g form and names its error as Lua 5.1 does, table.remove on an
// empty table returns nothing, and math.randomseed seeds math.random (Go's
// global generator ignores a seed since Go 1.24, so the same seed gave a
// different sequence). The generator is the script's own: the same seed
// gives the same numbers in every run, though not C's (its rand()).
func (s *State) installTableMath() {
	L := s.L
	if t, ok := L.G.Global.RawGetString("table").(*lua.LTable); ok {
		t.RawSetString("concat", L.NewFunction(tabConcat))
		t.RawSetString("remove", L.NewFunction(tabRemove))
	}
	if m, ok := L.G.Global.RawGetString("math").(*lua.LTable); ok {
		r := rand.New(rand.NewSource(rand.Int63()))
		m.RawSetString("randomseed", L.NewFunction(func(L *lua.LState) int {
			r.Seed(int64(luaCheckNumber(L, 1)))
			return 0
		}))
		m.RawSetString("random", L.NewFunction(func(L *lua.LState) int {
			// C: (rand()%RAND_MAX)/RAND_MAX, in [0, 1)
			x := r.Float64()
			switch L.GetTop() {
			case 0:
				L.Push(lua.LNumber(x))
			case 1:
				u := luaCheckInt(L, 1)
				if u < 1 {
					L.ArgError(1, "interval is empty")
				}
				L.Push(lua.LNumber(math.Floor(x*float64(u)) + 1))
			case 2:
				l, u := luaCheckInt(L, 1), luaCheckInt(L, 2)
				if l > u {
					L.ArgError(2, "interval is empty")
				}
				L.Push(lua.LNumber(math.Floor(x*float64(u-l+1)) + float64(l)))
			default:
				L.RaiseError("wrong number of arguments")
			}
			return 1
		}))
	}
}

// tabConcat is Lua 5.1's table.concat(t [, sep [, i [, j]]]).
func tabConcat(L *lua.LState) int {
	// C checks the separator first
	sep := optLString(L, 2, "")
	t := checkTable(L, 1)
	i := luaOptCInt(L, 3, 1)
	j := luaOptCInt(L, 4, t.Len())
	var b strings.Builder
	for k := i; k <= j; k++ {
		switch v := t.RawGetInt(k).(type) {
		case lua.LString:
			b.WriteString(string(v))
		case lua.LNumber:
			b.WriteString(numberString(v))
		default:
			L.RaiseError("invalid value (%s) at index %s in table for 'concat'", v.Type().String(), strconv.Itoa(k))
		}
		if k != j {
			b.WriteString(sep)
		}
		if k == math.MaxInt {
			break
		}
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// tabRemove is Lua 5.1's table.remove(t [, pos]): nothing from an empty
// table.
func tabRemove(L *lua.LState) int {
	t := L.CheckTable(1)
	e := t.Len()
	pos := luaOptCInt(L, 2, e)
	if pos < 1 || pos > e {
		return 0 // outside the list: nothing removed
	}
	L.Push(t.RawGetInt(pos))
	for ; pos < e; pos++ {
		t.RawSetInt(pos, t.RawGetInt(pos+1))
	}
	t.RawSetInt(e, lua.LNil)
	return 1
}

// tabSort is Lua 5.1.5's table.sort(t [, comp]) after its argument checks:
// its quicksort (auxsort), step for step, so elements that compare equal
// end in C Lua's order, a comparator is called on the same pairs, and an
// inconsistent one ('a <= b') is "invalid order function for sorting" where
// C finds it so.
func tabSort(L *lua.LState) int {
	t := L.CheckTable(1)
	var comp lua.LValue = lua.LNil
	if L.GetTop() >= 2 {
		comp = L.Get(2)
	}
	lt := func(a, b lua.LValue) bool {
		if comp == lua.LNil {
			return L.LessThan(a, b)
		}
		L.Push(comp)
		L.Push(a)
		L.Push(b)
		L.Call(2, 1)
		r := lua.LVAsBool(L.Get(-1))
		L.Pop(1)
		return r
	}
	auxsort(L, t, lt, 1, t.Len())
	return 0
}

func auxsort(L *lua.LState, t *lua.LTable, lt func(a, b lua.LValue) bool, l, u int) {
	get, set := t.RawGetInt, t.RawSetInt
	for l < u {
		// sort a[l], a[(l+u)/2] and a[u]
		if al, au := get(l), get(u); lt(au, al) {
			set(l, au)
			set(u, al)
		}
		if u-l == 1 {
			break
		}
		i := (l + u) / 2
		if ai, al := get(i), get(l); lt(ai, al) {
			set(i, al)
			set(l, ai)
		} else if au := get(u); lt(au, ai) {
			set(i, au)
			set(u, ai)
		}
		if u-l == 2 {
			break
		}
		p := get(i) // the pivot, kept at u-1
		set(i, get(u-1))
		set(u-1, p)
		// invariant: a[l..i] <= P <= a[j..u]
		i, j := l, u-1
		for {
			var ai, aj lua.LValue
			for {
				i++
				ai = get(i)
				if !lt(ai, p) {
					break
				}
				if i > u {
					L.RaiseError("invalid order function for sorting")
				}
			}
			for {
				j--
				aj = get(j)
				if !lt(p, aj) {
					break
				}
				if j < l {
					L.RaiseError("invalid order function for sorting")
				}
			}
			if j < i {
				break
			}
			set(i, aj)
			set(j, ai)
		}
		au1, ai := get(u-1), get(i)
		set(u-1, ai)
		set(i, au1)
		// the smaller half recursively, the larger one in this loop
		if i-l < u-i {
			j = l
			i = i - 1
			l = i + 2
		} else {
			j = i + 1
			i = u
			u = j - 2
		}
		auxsort(L, t, lt, j, i)
	}
}
