package lualib

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Lua 5.1 turns a number into text for `..` with "%.14g" ("avg: " .. 10/3 is
// "avg: 3.3333333333333"); gopher-lua's OP_CONCAT writes the shortest exact
// form (3.3333333333333335) and asks no hook. So loadLua compiles every `..`
// chain as one call of a Go function that is luaV_concat:
//
//	a .. b .. c   becomes   (concat)(a, b, c)
//
// where (concat) is a local of the chunk's main function (a name no script
// can write), set once from a key only the hidden metatable of numbers
// answers: `local (concat) = (1)["(concat)"]` (1, not 0: a chunk's -0 would
// share 0's constant). Nested functions reach it as an upvalue. Every chunk
// wirelab compiles goes through loadLua (DoFile, DoString, loadstring,
// dofile, require). What the call does is Lua 5.1's luaV_concat: right to
// left, as many strings and numbers at once as there are, a table's or
// userdata's __concat for a pair that is not both, and "attempt to concatenate
// local 'x' (a nil value)" naming the operand as getobjname does, from the
// call's argument registers.

// concatName is the local every rewritten chunk declares, and the key of the
// number metatable that holds the function.
const concatName = "(concat)"

// concatRewrite is the call that replaces a `..` chain whose operands are
// ops: the last operand, a call or `...`, is cut to one value as an operand
// of `..` is, and the call itself gives one value and is never a tail call
// (`return a .. b` keeps its frame, so an error in it names its line).
func concatRewrite(e *ast.StringConcatOpExpr, ops []ast.Expr) ast.Expr {
	switch last := ops[len(ops)-1].(type) {
	case *ast.FuncCallExpr:
		last.AdjustRet = true
	case *ast.Comma3Expr:
		last.AdjustRet = true
	}
	fn := &ast.IdentExpr{Value: concatName}
	call := &ast.FuncCallExpr{Func: fn, Args: ops, AdjustRet: true}
	for _, n := range []ast.PositionHolder{fn, call} {
		n.SetLine(e.Line())
		n.SetLastLine(e.LastLine())
	}
	return call
}

// concatOperands flattens the chain e: `a .. b .. c` is a .. (b .. c) in the
// tree, and C Lua concatenates it in one instruction; a parenthesised
// `(a .. b) .. c` stays two, as in C Lua (its left operand is a call by now).
func concatOperands(e *ast.StringConcatOpExpr) []ast.Expr {
	ops := []ast.Expr{e.Lhs}
	for {
		next, ok := e.Rhs.(*ast.StringConcatOpExpr)
		if !ok {
			return append(ops, e.Rhs)
		}
		ops = append(ops, next.Lhs)
		e = next
	}
}

// hiddenLocal is a statement a rewritten chunk starts with: the local name,
// set from the hidden number metatable's key of that name ("(concat)",
// "(fornum)").
func hiddenLocal(name string, line int) ast.Stmt {
	one := &ast.NumberExpr{Value: "1"}
	key := &ast.StringExpr{Value: name}
	get := &ast.AttrGetExpr{Object: one, Key: key}
	l := &ast.LocalAssignStmt{Names: []string{name}, Exprs: []ast.Expr{get}}
	for _, n := range []ast.PositionHolder{one, key, get, l} {
		n.SetLine(line)
		n.SetLastLine(line)
	}
	return l
}

// luaConcat is (concat)(a, b, ...): luaV_concat over its arguments.
func luaConcat(L *lua.LState) int {
	n := L.GetTop()
	size, plain := 0, true
	for i := 1; i <= n; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			size += len(v)
		case lua.LNumber:
			size += 8
		default:
			plain = false
		}
	}
	if plain {
		var b strings.Builder
		b.Grow(size)
		for i := 1; i <= n; i++ {
			appendOperand(&b, L.Get(i))
		}
		L.Push(lua.LString(b.String()))
		return 1
	}
	v := make([]lua.LValue, n)
	for i := range v {
		v[i] = L.Get(i + 1)
	}
	top := n // v[:top] is what is left to concatenate
	for top > 1 {
		a, b := v[top-2], v[top-1]
		if !concatable(a) || !concatable(b) {
			mm := concatMeta(L, a)
			if mm == lua.LNil {
				mm = concatMeta(L, b)
			}
			if mm == lua.LNil {
				bad := top - 2
				if concatable(a) {
					bad = top - 1
				}
				concatError(L, bad, n, v[bad])
			}
			L.Push(mm)
			L.Push(a)
			L.Push(b)
			L.Call(2, 1)
			v[top-2] = L.Get(-1)
			L.Pop(1)
			top--
			continue
		}
		k := top - 2
		for k > 0 && concatable(v[k-1]) {
			k--
		}
		var s strings.Builder
		for _, x := range v[k:top] {
			appendOperand(&s, x)
		}
		v[k] = lua.LString(s.String())
		top = k + 1
	}
	L.Push(v[0])
	return 1
}

func concatable(v lua.LValue) bool {
	switch v.(type) {
	case lua.LString, lua.LNumber:
		return true
	}
	return false
}

// concatMeta is v's __concat, or nil: only a table's or userdata's, as a
// script can set (the metatables culprit.go gives nil, booleans, numbers and
// strings are not Lua 5.1's).
func concatMeta(L *lua.LState, v lua.LValue) lua.LValue {
	switch v.Type() {
	case lua.LTTable, lua.LTUserData:
		return L.GetMetaField(v, "__concat")
	}
	return lua.LNil
}

// appendOperand writes a string or a number as Lua 5.1's tostring does
// ("%.14g"; integers below 10^14 as they are).
func appendOperand(b *strings.Builder, v lua.LValue) {
	switch v := v.(type) {
	case lua.LString:
		b.WriteString(string(v))
	case lua.LNumber:
		f := float64(v)
		if f == math.Trunc(f) && math.Abs(f) < 1e14 && (f != 0 || !math.Signbit(f)) {
			var buf [24]byte
			b.Write(strconv.AppendInt(buf[:0], int64(f), 10))
			return
		}
		b.WriteString(numberString(v))
	}
}

// concatError raises "attempt to concatenate NAME (a T value)" for argument
// bad (0-based) of n: the name is what the call's argument register was
// loaded from, as getobjname names a CONCAT operand.
func concatError(L *lua.LState, bad, n int, v lua.LValue) {
	f := failingFrame(L)
	top := f.top()
	name := f.name(func(pc int, inst uint32) (int, bool) {
		if opcode(inst) != lua.OP_CALL {
			return 0, false
		}
		a := argA(inst)
		if top >= 0 && a != top || argB(inst) != n+1 {
			return 0, false
		}
		reg := a + 1 + bad
		// two calls on one line can share A ("a" .. x) ("b" .. y): the
		// one whose operand came from a variable holding something else
		// now is not this one
		return reg, f.loadedFrom(pc, reg, v)
	})
	raiseTyped(L, "concatenate", name, v)
}

// loadedFrom reports whether register reg, as the instructions before pc
// left it, may hold v: false only when it was copied from a local or an
// upvalue that holds something else now.
func (f frame) loadedFrom(pc, reg int, v lua.LValue) bool {
	p := f.fn.Proto
	last := lastSet(p, pc, reg)
	if last < 0 {
		return true
	}
	inst := p.Code[last]
	switch opcode(inst) {
	case lua.OP_MOVE:
		if b := argB(inst); b < argA(inst) {
			if _, ok := localName(p, b, last); ok {
				return f.holds(b, v)
			}
		}
	case lua.OP_GETUPVAL:
		if b := argB(inst); b < len(f.fn.Upvalues) {
			_, got := f.L.GetUpvalue(f.fn, b+1)
			return got == v
		}
	}
	return true
}
