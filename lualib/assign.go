package lualib

import (
	"bytes"
	"fmt"
	"io"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// gopher-lua compiles a multiple assignment one target at a time, so a target
// assigned early is read already changed by a later value: `a, b = b, a` leaves
// both equal to b (gopher-lua issue #440; Lua 5.1 evaluates every value, then
// assigns). wirelab compiles every chunk through loadLua, which rewrites each
// `..` chain (concat.go) and each multiple assignment before compiling it:
//
//	a, t[k] = e1, e2   becomes   do local o, k2 = t, k; local v1, v2 = e1, e2; a = v1; o[k2] = v2 end
//
// The temporaries' names cannot be written in Lua, so no script can see them.

// loadLua parses and compiles src as L.Load does, with multiple assignments
// rewritten.
func loadLua(L *lua.LState, src io.Reader, name string) (*lua.LFunction, error) {
	p, err := compileLua(src, name)
	if err != nil {
		return nil, err
	}
	return L.NewFunctionFromProto(p), nil
}

func compileLua(in io.Reader, name string) (*lua.FunctionProto, error) {
	src, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	if err := CheckNesting(string(src), name); err != nil {
		return nil, &lua.ApiError{Type: lua.ApiErrorSyntax, Object: lua.LString(err.Error()), Cause: err}
	}
	chunk, err := parse.Parse(bytes.NewReader(src), name)
	if err != nil {
		msg := err.Error()
		if m := syntaxMessage(string(src), name); m != "" {
			msg = m // C Lua 5.1's words for it
		}
		return nil, &lua.ApiError{Type: lua.ApiErrorSyntax, Object: lua.LString(msg), Cause: err}
	}
	var r assignRewriter
	chunk = r.stmts(chunk)
	line := 1
	if len(chunk) > 0 {
		line = chunk[0].Line()
	}
	if r.fornums > 0 {
		chunk = append([]ast.Stmt{hiddenLocal(forNumName, line)}, chunk...)
	}
	if r.concats > 0 {
		chunk = append([]ast.Stmt{hiddenLocal(concatName, line)}, chunk...)
	}
	p, err := lua.Compile(chunk, name)
	if err == nil {
		fixLocalScopes(chunk, p)
	}
	if err != nil {
		// "no loop to break", "cannot use '...' outside a vararg function"
		msg := err.Error()
		if m := syntaxMessage(string(src), name); m != "" {
			msg = m
		}
		return nil, &lua.ApiError{Type: lua.ApiErrorSyntax, Object: lua.LString(msg), Cause: err}
	}
	return p, nil
}

type assignRewriter struct {
	n       int // temporaries made
	concats int // `..` chains rewritten
	fornums int // numeric for loops given forNumbers
}

func (r *assignRewriter) temp() string {
	r.n++
	return fmt.Sprintf("(assign %d)", r.n)
}

func (r *assignRewriter) stmts(list []ast.Stmt) []ast.Stmt {
	for i, s := range list {
		list[i] = r.stmt(s)
	}
	return list
}

func (r *assignRewriter) stmt(s ast.Stmt) ast.Stmt {
	switch s := s.(type) {
	case *ast.AssignStmt:
		r.exprs(s.Lhs)
		r.exprs(s.Rhs)
		if len(s.Lhs) > 1 {
			return r.split(s)
		}
	case *ast.LocalAssignStmt:
		r.exprs(s.Exprs)
	case *ast.FuncCallStmt:
		s.Expr = r.expr(s.Expr)
	case *ast.DoBlockStmt:
		r.stmts(s.Stmts)
	case *ast.WhileStmt:
		s.Condition = r.expr(s.Condition)
		r.stmts(s.Stmts)
	case *ast.RepeatStmt:
		s.Condition = r.expr(s.Condition)
		r.stmts(s.Stmts)
	case *ast.IfStmt:
		s.Condition = r.expr(s.Condition)
		r.stmts(s.Then)
		r.stmts(s.Else)
	case *ast.NumberForStmt:
		s.Init = r.expr(s.Init)
		s.Limit = r.expr(s.Limit)
		s.Step = r.expr(s.Step)
		r.stmts(s.Stmts)
		if forNeedsNumbers(s) {
			r.fornums++
			return forNumbers(s)
		}
	case *ast.GenericForStmt:
		r.exprs(s.Exprs)
		r.stmts(s.Stmts)
	case *ast.FuncDefStmt:
		if s.Name != nil {
			s.Name.Func = r.expr(s.Name.Func)
			s.Name.Receiver = r.expr(s.Name.Receiver)
		}
		r.expr(s.Func)
	case *ast.ReturnStmt:
		r.exprs(s.Exprs)
	}
	return s
}

func (r *assignRewriter) exprs(list []ast.Expr) {
	for i, e := range list {
		list[i] = r.expr(e)
	}
}

// expr rewrites what e holds (function bodies, `..` chains) and returns e,
// or the call a `..` chain becomes (concat.go).
func (r *assignRewriter) expr(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.FunctionExpr:
		r.stmts(e.Stmts)
	case *ast.AttrGetExpr:
		e.Object = r.expr(e.Object)
		e.Key = r.expr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			f.Key = r.expr(f.Key)
			f.Value = r.expr(f.Value)
		}
	case *ast.FuncCallExpr:
		e.Func = r.expr(e.Func)
		e.Receiver = r.expr(e.Receiver)
		r.exprs(e.Args)
	case *ast.LogicalOpExpr:
		e.Lhs = r.expr(e.Lhs)
		e.Rhs = r.expr(e.Rhs)
	case *ast.RelationalOpExpr:
		e.Lhs = r.expr(e.Lhs)
		e.Rhs = r.expr(e.Rhs)
	case *ast.StringConcatOpExpr:
		ops := concatOperands(e)
		r.exprs(ops)
		r.concats++
		return concatRewrite(e, ops)
	case *ast.ArithmeticOpExpr:
		e.Lhs = r.expr(e.Lhs)
		e.Rhs = r.expr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		e.Expr = r.expr(e.Expr)
	case *ast.UnaryNotOpExpr:
		e.Expr = r.expr(e.Expr)
	case *ast.UnaryLenOpExpr:
		e.Expr = r.expr(e.Expr)
	}
	return e
}

// split turns a multiple assignment into a block that evaluates the targets'
// tables and keys, then every value, into temporaries, then assigns them one by
// one.
func (r *assignRewriter) split(s *ast.AssignStmt) ast.Stmt {
	line, last := s.Line(), s.LastLine()
	at := func(n ast.PositionHolder) {
		n.SetLine(line)
		n.SetLastLine(last)
	}
	ident := func(name string) *ast.IdentExpr {
		e := &ast.IdentExpr{Value: name}
		at(e)
		return e
	}
	local := func(names []string, exprs []ast.Expr) ast.Stmt {
		l := &ast.LocalAssignStmt{Names: names, Exprs: exprs}
		at(l)
		return l
	}
	block := &ast.DoBlockStmt{}
	at(block)
	targets := make([]ast.Expr, len(s.Lhs))
	for i, t := range s.Lhs {
		a, ok := t.(*ast.AttrGetExpr)
		if !ok {
			targets[i] = t
			continue
		}
		obj, key := r.temp(), r.temp()
		block.Stmts = append(block.Stmts, local([]string{obj, key}, []ast.Expr{a.Object, a.Key}))
		g := &ast.AttrGetExpr{Object: ident(obj), Key: ident(key)}
		at(g)
		targets[i] = g
	}
	values := make([]string, max(len(s.Lhs), len(s.Rhs)))
	for i := range values {
		values[i] = r.temp()
	}
	block.Stmts = append(block.Stmts, local(values, s.Rhs))
	for i, t := range targets {
		a := &ast.AssignStmt{Lhs: []ast.Expr{t}, Rhs: []ast.Expr{ident(values[i])}}
		at(a)
		block.Stmts = append(block.Stmts, a)
	}
	return block
}
