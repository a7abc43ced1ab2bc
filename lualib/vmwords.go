package lualib

import (
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// installFunctionCulprits gives functions and coroutines the naming
// metatable culprit.go gives nil, booleans and numbers (gopher-lua keeps
// one metatable per type for them too), so indexing, calling, measuring or
// doing arithmetic on one names it as Lua 5.1 does ("attempt to index
// global 'print' (a function value)", where gopher-lua said "attempt to
// index a non-table object(function) with key 'x'"). '..' is left as it is
// (no __concat). getmetatable still answers nil for them. It runs after
// installCulprits and before installPcall.
func (s *State) installFunctionCulprits() {
	L := s.L
	full, ok := L.GetMetatable(lua.LNil).(*lua.LTable)
	if !ok {
		return
	}
	mt := L.NewTable()
	full.ForEach(func(k, v lua.LValue) {
		if k.String() != "__concat" {
			mt.RawSet(k, v)
		}
	})
	L.SetMetatable(L.NewFunction(func(*lua.LState) int { return 0 }), mt)
	L.SetMetatable(L, mt)
	g := L.G.Global
	getmt, ok := g.RawGetString("getmetatable").(*lua.LFunction)
	if !ok || !getmt.IsG {
		return
	}
	orig := getmt.GFunction
	getmt.GFunction = func(L *lua.LState) int {
		switch L.Get(1).Type() {
		case lua.LTFunction, lua.LTThread:
			L.Push(lua.LNil)
			return 1
		}
		return orig(L)
	}
}

// vmWords are gopher-lua VM messages and C Lua 5.1's words for them.
var vmWords = []struct {
	re   *regexp.Regexp
	repl string
}{
	// luaG_ordererror
	{regexp.MustCompile(`attempt to compare (\w+) with (\w+)$`), ""},
	// forprep
	{regexp.MustCompile(`for statement init must be a number$`), "'for' initial value must be a number"},
	{regexp.MustCompile(`for statement limit must be a number$`), "'for' limit must be a number"},
	{regexp.MustCompile(`for statement step must be a number$`), "'for' step must be a number"},
	// luaG_aritherror, without the name (the operands are not known here)
	{regexp.MustCompile(`cannot perform (?:add|sub|mul|div|mod|pow) operation between (\w+) and (\w+)$`), "arith"},
	// luaG_typeerror for a value that has no naming metatable (a table,
	// a userdata)
	{regexp.MustCompile(`attempt to index a non-table object\((\w+)\) with key '.*'$`), "attempt to index a $1 value"},
}

// vmWording rewrites the message of an error the Lua machine raised in
// gopher-lua's words into C Lua 5.1's, keeping its position. Any other
// message is returned as it is.
func vmWording(msg string) string {
	if !strings.Contains(msg, "attempt to") && !strings.Contains(msg, "for statement") && !strings.Contains(msg, "cannot perform") {
		return msg
	}
	for _, w := range vmWords {
		m := w.re.FindStringSubmatchIndex(msg)
		if m == nil {
			continue
		}
		var repl string
		switch w.repl {
		case "":
			a, b := msg[m[2]:m[3]], msg[m[4]:m[5]]
			if a != b {
				return msg
			}
			repl = "attempt to compare two " + a + " values"
		case "arith":
			// the first operand, unless it is a number (or converts to
			// one); gopher-lua raises this only when neither has a
			// metamethod, so neither is a number
			a, b := msg[m[2]:m[3]], msg[m[4]:m[5]]
			bad := a
			if a == "number" || a == "string" {
				bad = b
			}
			repl = "attempt to perform arithmetic on a " + bad + " value"
		default:
			repl = string(w.re.ExpandString(nil, w.repl, msg, m))
		}
		return msg[:m[0]] + repl
	}
	return msg
}

// machineWording is vmWording for an error value the script did not raise
// itself (State.raised): only the machine's messages are reworded.
func (s *State) machineWording(v lua.LValue) lua.LValue {
	msg, ok := v.(lua.LString)
	if !ok || (s.raised != nil && sameValue(v, s.raised)) {
		return v
	}
	if w := vmWording(string(msg)); w != string(msg) {
		return lua.LString(w)
	}
	return v
}
