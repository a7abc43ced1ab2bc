package lualib

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Lua 5.1's numeric for converts a string bound to a number (`for i = 1,
// "3"` counts to 3); gopher-lua's FORPREP refuses anything but a number. So
// loadLua gives a loop whose bounds may be strings its numbers first, in a
// block of its own:
//
//	for i = a, b, c do ... end   becomes
//	do local (fornum init), (fornum limit), (fornum step) = (fornum)(a, b, c); for i = (fornum init), (fornum limit), (fornum step) do ... end end
//
// (fornum) is luaForNumbers, a chunk local set as (concat) is (concat.go).
// The three are evaluated before any is checked, as FORPREP checks them, and
// the error is Lua 5.1's: "'for' limit must be a number".

const forNumName = "(fornum)"

// forNeedsNumbers reports whether a bound of s may be a string: what is not
// a number literal, a length or arithmetic.
func forNeedsNumbers(s *ast.NumberForStmt) bool {
	for _, e := range []ast.Expr{s.Init, s.Limit, s.Step} {
		switch e.(type) {
		case nil, *ast.NumberExpr, *ast.UnaryLenOpExpr, *ast.UnaryMinusOpExpr, *ast.ArithmeticOpExpr:
		default:
			return true
		}
	}
	return false
}

// forNumbers is s in a block that converts its bounds first.
func forNumbers(s *ast.NumberForStmt) ast.Stmt {
	line, last := s.Line(), s.LastLine()
	at := func(n ast.PositionHolder) {
		n.SetLine(line)
		n.SetLastLine(last)
	}
	names := []string{"(fornum init)", "(fornum limit)", "(fornum step)"} // not gopher-lua's own "(for limit)"
	args := []ast.Expr{s.Init, s.Limit}
	if s.Step != nil {
		args = append(args, s.Step)
	}
	names = names[:len(args)]
	fn := &ast.IdentExpr{Value: forNumName}
	call := &ast.FuncCallExpr{Func: fn, Args: args}
	local := &ast.LocalAssignStmt{Names: names, Exprs: []ast.Expr{call}}
	for _, n := range []ast.PositionHolder{fn, call, local} {
		at(n)
	}
	idents := make([]ast.Expr, len(names))
	for i, n := range names {
		id := &ast.IdentExpr{Value: n}
		at(id)
		idents[i] = id
	}
	s.Init, s.Limit = idents[0], idents[1]
	if len(idents) > 2 {
		s.Step = idents[2]
	}
	block := &ast.DoBlockStmt{Stmts: []ast.Stmt{local, s}}
	at(block)
	return block
}

// luaForNumbers is (fornum)(init, limit[, step]): each as a number, as
// Lua 5.1's FORPREP converts them (tonumber of a string), or its error.
func luaForNumbers(L *lua.LState) int {
	n := L.GetTop()
	for i, what := range []string{"initial value", "limit", "step"}[:min(n, 3)] {
		switch v := L.Get(i + 1).(type) {
		case lua.LNumber:
			L.Push(v)
		case lua.LString:
			if f, ok := str2number(string(v)); ok {
				L.Push(lua.LNumber(f))
				continue
			}
			forError(L, what)
		default:
			forError(L, what)
		}
	}
	return min(n, 3)
}

// forError raises "'for' WHAT must be a number" at the loop's line.
func forError(L *lua.LState, what string) {
	pos := ""
	if dbg, ok := L.GetStack(1); ok {
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.CurrentLine > 0 {
			pos = fmt.Sprintf("%s:%d: ", dbg.Source, dbg.CurrentLine)
		}
	}
	obj := lua.LString(pos + "'for' " + what + " must be a number")
	stateOf(L).culprit = obj
	L.Error(obj, 0)
}
