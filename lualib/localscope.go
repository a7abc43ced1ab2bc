package lualib

import (
	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// gopher-lua v1.1.2 closes a block's locals in its debug information by
// register instead of by local (funcContext.EndScope writes
// DbgLocals[register].EndPc), so a local of an inner block (a for loop's
// k, an if's local) stays alive in FunctionProto.DbgLocals to the end of
// the function, and a local declared after such a block is never alive:
// after `for k in pairs(t) do end; local y`, y's register read as 'k' and
// culprit.go named 'k' where Lua 5.1 names 'y'. fixLocalScopes rewrites
// every DbgLocals[i].EndPc from the chunk's syntax: it walks each function
// as the compiler does (the locals in the order the compiler registers
// them, each block's register offset), so it knows which block each local
// belongs to; a block's end is the for loop's FORLOOP or TFORLOOP for a
// loop, or the pc the compiler wrote for it where no later block
// overwrote it, or else the earliest pc it can be (then a local may read
// as no local near its block's end: a name left out, never a wrong one).
// A function whose walk does not give the compiler's locals is left as it
// is.

type scopeBlock struct {
	offset int   // the first register of the block
	locals []int // DbgLocals indices
}

type scopeLeave struct {
	locals []int // DbgLocals indices closed here
	regs   []int // their registers (what the compiler wrote by)
	pc     int   // -1 until known
}

type scopeWalker struct {
	names  []string
	starts []int // the StartPc of each local, from the proto
	regs   []int
	blocks []*scopeBlock
	leaves []*scopeLeave
	funcs  []*ast.FunctionExpr // nested functions, in compile order
	// the functions of `function a:b()` statements, which the compiler
	// gives a self
	methods map[*ast.FunctionExpr]bool
}

// fixLocalScopes fixes p (compiled from the main chunk stmts) and the
// functions in it.
func fixLocalScopes(stmts []ast.Stmt, p *lua.FunctionProto) {
	main := &ast.FunctionExpr{ParList: &ast.ParList{HasVargs: true}, Stmts: stmts}
	fixFunction(main, false, true, p)
}

func fixFunction(fn *ast.FunctionExpr, method, main bool, p *lua.FunctionProto) {
	w := &scopeWalker{methods: map[*ast.FunctionExpr]bool{}}
	w.enter()
	if method {
		w.register("self")
	}
	for _, n := range fn.ParList.Names {
		w.register(n)
	}
	if fn.ParList.HasVargs && !main && lua.CompatVarArg {
		w.register("arg")
	}
	w.stmts(fn.Stmts)
	top := w.blocks[0]
	w.leave(top)
	nested := w.funcs
	if len(w.names) == len(p.DbgLocals) {
		same := true
		for i, l := range p.DbgLocals {
			same = same && l.Name == w.names[i]
		}
		if same {
			w.fix(p)
		}
	}
	if len(nested) == len(p.FunctionPrototypes) {
		for i, f := range nested {
			np := p.FunctionPrototypes[i]
			if np.LineDefined == f.Line() && np.LastLineDefined == f.LastLine() {
				fixFunction(f, w.methods[f], false, np)
			}
		}
	}
}

func (w *scopeWalker) enter() {
	off := 0
	if n := len(w.blocks); n > 0 {
		b := w.blocks[n-1]
		off = b.offset + len(b.locals)
	}
	w.blocks = append(w.blocks, &scopeBlock{offset: off})
}

func (w *scopeWalker) leave(b *scopeBlock) {
	l := &scopeLeave{locals: b.locals, pc: -1}
	for i := range b.locals {
		l.regs = append(l.regs, b.offset+i)
	}
	w.leaves = append(w.leaves, l)
	w.blocks = w.blocks[:len(w.blocks)-1]
}

func (w *scopeWalker) leaveTop() { w.leave(w.blocks[len(w.blocks)-1]) }

func (w *scopeWalker) register(name string) {
	b := w.blocks[len(w.blocks)-1]
	w.regs = append(w.regs, b.offset+len(b.locals))
	b.locals = append(b.locals, len(w.names))
	w.names = append(w.names, name)
}

func (w *scopeWalker) stmts(list []ast.Stmt) {
	for _, s := range list {
		w.stmt(s)
	}
}

// block is compileBlock: a block of its own only when it has statements.
func (w *scopeWalker) block(list []ast.Stmt) {
	if len(list) == 0 {
		return
	}
	w.enter()
	w.stmts(list)
	w.leaveTop()
}

func (w *scopeWalker) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		w.exprs(s.Lhs)
		w.exprs(s.Rhs)
	case *ast.LocalAssignStmt:
		if len(s.Names) == 1 && len(s.Exprs) == 1 {
			if _, ok := s.Exprs[0].(*ast.FunctionExpr); ok {
				w.register(s.Names[0])
				w.exprs(s.Exprs)
				return
			}
		}
		w.exprs(s.Exprs)
		for _, n := range s.Names {
			w.register(n)
		}
	case *ast.FuncCallStmt:
		w.expr(s.Expr)
	case *ast.DoBlockStmt:
		w.enter()
		w.stmts(s.Stmts)
		w.leaveTop()
	case *ast.WhileStmt:
		w.expr(s.Condition)
		w.enter()
		w.stmts(s.Stmts)
		w.leaveTop()
	case *ast.RepeatStmt:
		w.enter()
		w.stmts(s.Stmts)
		w.expr(s.Condition)
		w.leaveTop()
	case *ast.FuncDefStmt:
		if s.Name.Func == nil {
			w.expr(s.Name.Receiver)
			w.methods[s.Func] = true
			w.expr(s.Func)
		} else {
			w.expr(s.Name.Func)
			w.expr(s.Func)
		}
	case *ast.ReturnStmt:
		w.exprs(s.Exprs)
	case *ast.IfStmt:
		w.expr(s.Condition)
		w.block(s.Then)
		w.block(s.Else)
	case *ast.NumberForStmt:
		w.enter()
		w.register("(for index)")
		w.expr(s.Init)
		w.register("(for limit)")
		w.expr(s.Limit)
		w.register("(for step)")
		w.expr(s.Step)
		w.register(s.Name)
		w.stmts(s.Stmts)
		w.leaveTop()
	case *ast.GenericForStmt:
		w.enter()
		w.register("(for generator)")
		w.register("(for state)")
		w.register("(for control)")
		w.exprs(s.Exprs)
		for _, n := range s.Names {
			w.register(n)
		}
		w.stmts(s.Stmts)
		w.leaveTop()
	}
}

func (w *scopeWalker) exprs(list []ast.Expr) {
	for _, e := range list {
		w.expr(e)
	}
}

// expr finds the functions in e, in the order the compiler compiles them.
func (w *scopeWalker) expr(e ast.Expr) {
	switch e := e.(type) {
	case *ast.FunctionExpr:
		w.funcs = append(w.funcs, e)
	case *ast.AttrGetExpr:
		w.expr(e.Object)
		w.expr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			w.expr(f.Key)
			w.expr(f.Value)
		}
	case *ast.FuncCallExpr:
		w.expr(e.Func)
		w.expr(e.Receiver)
		w.exprs(e.Args)
	case *ast.LogicalOpExpr:
		w.expr(e.Lhs)
		w.expr(e.Rhs)
	case *ast.RelationalOpExpr:
		w.expr(e.Lhs)
		w.expr(e.Rhs)
	case *ast.StringConcatOpExpr:
		w.expr(e.Lhs)
		w.expr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		w.expr(e.Lhs)
		w.expr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		w.expr(e.Expr)
	case *ast.UnaryNotOpExpr:
		w.expr(e.Expr)
	case *ast.UnaryLenOpExpr:
		w.expr(e.Expr)
	}
}

// fix rewrites p's EndPcs (C Lua's sense: the first pc the local is no
// longer alive at).
func (w *scopeWalker) fix(p *lua.FunctionProto) {
	// the pc each leave wrote, where no later leave wrote the same entry
	last := map[int]*scopeLeave{}
	for _, l := range w.leaves {
		for _, r := range l.regs {
			last[r] = l
		}
	}
	for r, l := range last {
		if r < len(p.DbgLocals) {
			l.pc = p.DbgLocals[r].EndPc
		}
	}
	// a loop's end from its code
	for _, l := range w.leaves {
		if len(l.locals) < 4 {
			continue
		}
		first := p.DbgLocals[l.locals[0]]
		v := p.DbgLocals[l.locals[3]].StartPc - 1
		if v < 0 || v >= len(p.Code) {
			continue
		}
		inst := p.Code[v]
		switch {
		case first.Name == "(for index)" && opcode(inst) == lua.OP_FORPREP:
			if q := v + 1 + argSBx(inst); q > v && q <= len(p.Code) {
				l.pc = q - 1
			}
		case first.Name == "(for generator)" && opcode(inst) == lua.OP_JMP:
			if q := v + 1 + argSBx(inst); q > v && q < len(p.Code) && opcode(p.Code[q]) == lua.OP_TFORLOOP {
				l.pc = q - 1
			}
		}
	}
	// the others at the earliest they can be: not before the previous
	// leave, nor before their block's last local started
	prev := -1
	for _, l := range w.leaves {
		low := prev
		for _, i := range l.locals {
			if s := p.DbgLocals[i].StartPc - 1; s > low {
				low = s
			}
		}
		if l.pc < low {
			l.pc = low
		}
		prev = l.pc
	}
	for _, l := range w.leaves {
		for _, i := range l.locals {
			p.DbgLocals[i].EndPc = l.pc + 1
		}
	}
}
