package lualib

import (
	"fmt"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.1 names the value an operation failed on: "attempt to index global
// 'cfg' (a nil value)", "attempt to call method 'recieve' (a nil value)".
// gopher-lua's VM says "attempt to index a non-table object(nil) with key
// 'x'" or "attempt to call a non-function object" and names nothing. Its
// errors are raised inside the VM, where no hook reaches, but before raising
// it looks for a metamethod, and nil, booleans, numbers and functions share
// one metatable per type (lua_setmetatable on a non-table value). wirelab gives
// them a metatable whose metamethods raise Lua 5.1's message (and adds the
// same to the string library's metatable): they run while
// the failing function's frame is still on the stack, so they can read its
// bytecode (FunctionProto.Code, Constants, DbgLocals, DbgUpvalues), its
// current line (GetInfo "l") and its live registers (GetLocal), and name
// the culprit as C Lua's getobjname does. getmetatable still answers nil
// for nil, booleans, numbers and functions, so no script can see the difference; the
// string metatable shows the added keys (docs/lua-api.md).
//
// gopher-lua tells the line a frame is on, not the instruction, so the
// name comes from every instruction on that line that could have raised
// this error: those whose operand register does not hold the failing value
// now are ruled out; if the rest disagree on the name, the name is left out
// ("attempt to index a nil value"), never guessed.

// arithEvents are the arithmetic metamethods, by the opcode each belongs to.
var arithEvents = map[string]int{
	"__add": lua.OP_ADD, "__sub": lua.OP_SUB, "__mul": lua.OP_MUL,
	"__div": lua.OP_DIV, "__mod": lua.OP_MOD, "__pow": lua.OP_POW,
}

// installCulprits sets the naming metatable of nil, booleans and numbers
// (installFunctionCulprits gives functions and coroutines a copy),
// hides it from getmetatable, and adds what fails on a string to the string
// metatable. It runs before installPcall, whose Lua side
// keeps the getmetatable it finds.
func (s *State) installCulprits() {
	L := s.L
	g := L.G.Global
	// gopher-lua does arithmetic on two numbers and concatenates numbers
	// without asking their metatable
	full := L.NewTable()
	call := L.NewFunction(culpritCall)
	concat, fornum := L.NewFunction(luaConcat), L.NewFunction(luaForNumbers)
	full.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		// (1)["(concat)"] is how a compiled chunk finds luaConcat (concat.go)
		if L.Get(1).Type() == lua.LTNumber {
			switch L.Get(2) {
			case lua.LString(concatName):
				L.Push(concat)
				return 1
			case lua.LString(forNumName):
				L.Push(fornum)
				return 1
			}
		}
		return culpritIndex(L)
	}))
	full.RawSetString("__newindex", L.NewFunction(culpritIndex))
	full.RawSetString("__call", call)
	full.RawSetString("__len", L.NewFunction(culpritLen))
	for event, op := range arithEvents {
		full.RawSetString(event, L.NewFunction(culpritArith(event, op)))
	}
	full.RawSetString("__unm", L.NewFunction(culpritUnm))
	full.RawSetString("__concat", L.NewFunction(culpritConcat))
	L.SetMetatable(lua.LNil, full)
	L.SetMetatable(lua.LFalse, full)
	L.SetMetatable(lua.LNumber(0), full)
	// gopher-lua asks a string's metatable before converting it to a
	// number, so its arithmetic metamethods do the arithmetic of strings
	// that convert (culpritArith).
	if str, ok := L.GetMetatable(lua.LString("")).(*lua.LTable); ok {
		for _, event := range []string{"__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm", "__concat"} {
			str.RawSetString(event, full.RawGetString(event))
		}
		str.RawSetString("__call", call)
	}

	orig, ok := g.RawGetString("getmetatable").(*lua.LFunction)
	if !ok || orig.GFunction == nil {
		return
	}
	getmt := orig.GFunction
	g.RawSetString("getmetatable", L.NewFunction(func(L *lua.LState) int {
		if L.GetTop() > 0 {
			switch L.Get(1).Type() {
			case lua.LTNil, lua.LTBool, lua.LTNumber:
				L.Push(lua.LNil)
				return 1
			}
		}
		return getmt(L)
	}))
}

// hooked reports whether v's type has the naming metamethods.
func hooked(v lua.LValue) bool {
	switch v.Type() {
	case lua.LTNil, lua.LTBool, lua.LTNumber, lua.LTString, lua.LTFunction, lua.LTThread:
		return true
	}
	return false
}

// raiseTyped raises Lua 5.1's luaG_typeerror: "attempt to OP NAME (a T
// value)", or without a name "attempt to OP a T value".
//
// The error is raised from this Go function, which C Lua has no frame for
// (its VM raises it): the state remembers the value, and the traceback of
// that error leaves the frame out (luaTraceback).
func raiseTyped(L *lua.LState, op, name string, v lua.LValue) {
	msg := fmt.Sprintf("attempt to %s a %s value", op, v.Type().String())
	if name != "" {
		msg = fmt.Sprintf("attempt to %s %s (a %s value)", op, name, v.Type().String())
	}
	pos := ""
	if dbg, ok := L.GetStack(1); ok {
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.CurrentLine > 0 {
			pos = fmt.Sprintf("%s:%d: ", dbg.Source, dbg.CurrentLine)
		}
	}
	obj := lua.LString(pos + msg)
	stateOf(L).culprit = obj
	L.Error(obj, 0)
}

// culpritIndex is __index and __newindex: (object, key[, value]).
func culpritIndex(L *lua.LState) int {
	obj, key := L.Get(1), L.Get(2)
	f := failingFrame(L)
	name := f.name(func(pc int, inst uint32) (int, bool) {
		var reg, k int
		switch opcode(inst) {
		case lua.OP_GETTABLE, lua.OP_GETTABLEKS, lua.OP_SELF:
			reg, k = argB(inst), argC(inst)
		case lua.OP_SETTABLE, lua.OP_SETTABLEKS:
			reg, k = argA(inst), argB(inst)
		default:
			return 0, false
		}
		if isK(k) && f.fn.Proto.Constants[indexK(k)] != key {
			return 0, false
		}
		return reg, f.holds(reg, obj)
	})
	raiseTyped(L, "index", name, obj)
	return 0
}

// culpritCall is __call: (callee, arguments...).
func culpritCall(L *lua.LState) int {
	fn := L.Get(1)
	f := failingFrame(L)
	// The called frame starts at the callee's register: the failing CALL is
	// the one whose A is the first register the caller's frame no longer has.
	top := f.top()
	name := f.name(func(pc int, inst uint32) (int, bool) {
		switch opcode(inst) {
		case lua.OP_CALL, lua.OP_TAILCALL:
			a := argA(inst)
			return a, top < 0 || a == top
		}
		return 0, false
	})
	raiseTyped(L, "call", name, fn)
	return 0
}

// culpritLen is __len: (value).
func culpritLen(L *lua.LState) int {
	v := L.Get(1)
	f := failingFrame(L)
	name := f.name(func(pc int, inst uint32) (int, bool) {
		if opcode(inst) != lua.OP_LEN {
			return 0, false
		}
		return argB(inst), f.holds(argB(inst), v)
	})
	raiseTyped(L, "get length of", name, v)
	return 0
}

// culpritUnm is __unm: (value). gopher-lua asks a string's metatable
// before converting it, so this negates a string that converts ("2").
func culpritUnm(L *lua.LState) int {
	v := L.Get(1)
	if x, ok := arithNumber(v); ok {
		L.Push(lua.LNumber(-x))
		return 1
	}
	f := failingFrame(L)
	name := f.name(func(pc int, inst uint32) (int, bool) {
		if opcode(inst) != lua.OP_UNM {
			return 0, false
		}
		return argB(inst), f.holds(argB(inst), v)
	})
	raiseTyped(L, "perform arithmetic on", name, v)
	return 0
}

// deferTo calls other's own metamethod for event when it has one: gopher-lua
// asks the first operand's metatable first, so a nil or boolean on the left
// would otherwise shadow a table's __add or __concat on the right, which
// Lua 5.1 calls.
func deferTo(L *lua.LState, other lua.LValue, event string, a, b lua.LValue) bool {
	if hooked(other) {
		return false
	}
	mm, ok := L.GetMetaField(other, event).(*lua.LFunction)
	if !ok {
		return false
	}
	L.Push(mm)
	L.Push(a)
	L.Push(b)
	L.Call(2, 1)
	return true
}

// culpritArith is an arithmetic metamethod: (a, b). Operands that both
// convert to numbers (strings such as "10") are added as numbers, as Lua 5.1
// does before it looks for a metamethod. Otherwise Lua 5.1 blames the first
// operand unless it converts, then the second.
func culpritArith(event string, op int) lua.LGFunction {
	return func(L *lua.LState) int {
		a, b := L.Get(1), L.Get(2)
		if x, ok := arithNumber(a); ok {
			if y, ok := arithNumber(b); ok {
				L.Push(lua.LNumber(arith(op, x, y)))
				return 1
			}
		}
		other := b
		if hooked(b) {
			other = a
		}
		if deferTo(L, other, event, a, b) {
			return 1
		}
		bad, operand := a, 0
		if _, ok := arithNumber(a); ok {
			bad, operand = b, 1
		}
		f := failingFrame(L)
		name := f.name(func(pc int, inst uint32) (int, bool) {
			if opcode(inst) != op {
				return 0, false
			}
			rk := argB(inst)
			if operand == 1 {
				rk = argC(inst)
			}
			if isK(rk) {
				// a constant has no name, and only a number can be one here
				return -1, f.fn.Proto.Constants[indexK(rk)] == bad
			}
			return rk, f.holds(rk, bad)
		})
		raiseTyped(L, "perform arithmetic on", name, bad)
		return 0
	}
}

// arithNumber converts v as Lua 5.1's arithmetic does (luaV_tonumber).
func arithNumber(v lua.LValue) (float64, bool) {
	switch v := v.(type) {
	case lua.LNumber:
		return float64(v), true
	case lua.LString:
		return str2number(string(v))
	}
	return 0, false
}

// arith is gopher-lua's arithmetic on numbers (numberArith, luaModulo).
func arith(op int, x, y float64) float64 {
	switch op {
	case lua.OP_ADD:
		return x + y
	case lua.OP_SUB:
		return x - y
	case lua.OP_MUL:
		return x * y
	case lua.OP_DIV:
		return x / y
	case lua.OP_MOD:
		v := math.Mod(x, y)
		if y > 0 && v < 0 || y < 0 && v > 0 {
			v += y
		}
		return v
	}
	return math.Pow(x, y)
}

// culpritConcat is __concat: (a, b). Lua 5.1 blames the first operand unless
// it is a string or a number.
func culpritConcat(L *lua.LState) int {
	a, b := L.Get(1), L.Get(2)
	other := b
	if hooked(b) {
		other = a
	}
	if deferTo(L, other, "__concat", a, b) {
		return 1
	}
	bad := a
	switch a.Type() {
	case lua.LTString, lua.LTNumber:
		bad = b
	}
	f := failingFrame(L)
	var regs []int
	name := f.name(func(pc int, inst uint32) (int, bool) {
		if opcode(inst) != lua.OP_CONCAT {
			return 0, false
		}
		// R(B) .. ... .. R(C): the culprit is in the one register of them
		// holding it, if only one does
		regs = regs[:0]
		for r := argB(inst); r <= argC(inst); r++ {
			if f.holds(r, bad) {
				regs = append(regs, r)
			}
		}
		if len(regs) != 1 {
			return -1, true
		}
		return regs[0], true
	})
	raiseTyped(L, "concatenate", name, bad)
	return 0
}

// frame is the Lua function an error is raised in, seen from a metamethod
// it called.
type frame struct {
	L    *lua.LState
	dbg  *lua.Debug
	fn   *lua.LFunction // nil when the caller is not a Lua function
	line int
}

// failingFrame is the caller of the running metamethod.
func failingFrame(L *lua.LState) frame {
	f := frame{L: L}
	dbg, ok := L.GetStack(1)
	if !ok {
		return f
	}
	v, err := L.GetInfo("fl", dbg, lua.LNil)
	fn, ok := v.(*lua.LFunction)
	if err != nil || !ok || fn.IsG || fn.Proto == nil || dbg.CurrentLine <= 0 {
		return f
	}
	f.dbg, f.fn, f.line = dbg, fn, dbg.CurrentLine
	return f
}

// holds reports whether register reg may hold v now: true when the register
// is out of reach (then it cannot rule the instruction out).
func (f frame) holds(reg int, v lua.LValue) bool {
	name, got := f.L.GetLocal(f.dbg, reg+1)
	if name == "" {
		return true
	}
	return got == v
}

// top is the first register the frame no longer reaches (a call's callee
// register), or -1.
func (f frame) top() int {
	if f.fn == nil {
		return -1
	}
	for r := 0; r <= 255; r++ {
		if name, _ := f.L.GetLocal(f.dbg, r+1); name == "" {
			return r
		}
	}
	return -1
}

// name is the culprit's name as getobjname gives it, from the instructions
// on the frame's line that site accepts (reporting the culprit's register,
// -1 for one without a name), or "" when there is none or they disagree.
func (f frame) name(site func(pc int, inst uint32) (reg int, ok bool)) string {
	if f.fn == nil {
		return ""
	}
	p := f.fn.Proto
	found, name := false, ""
	for pc, inst := range p.Code {
		if pc >= len(p.DbgSourcePositions) || p.DbgSourcePositions[pc] != f.line {
			continue
		}
		reg, ok := site(pc, inst)
		if !ok {
			continue
		}
		n := ""
		if reg >= 0 {
			n = objName(f.fn, pc, reg)
		}
		if found && n != name {
			return ""
		}
		found, name = true, n
	}
	return name
}

// objName is Lua 5.1's getobjname: what register reg holds at pc, by the
// instruction that last set it.
func objName(fn *lua.LFunction, pc, reg int) string {
	if n, ok := localName(fn.Proto, reg, pc); ok {
		if isIdentifier(n) {
			return fmt.Sprintf("local '%s'", n)
		}
		return "" // a for loop's or a rewritten assignment's temporary
	}
	p := fn.Proto
	last := lastSet(p, pc, reg)
	if last < 0 {
		return ""
	}
	inst := p.Code[last]
	switch opcode(inst) {
	case lua.OP_GETGLOBAL:
		if k, ok := p.Constants[argBx(inst)].(lua.LString); ok {
			return fmt.Sprintf("global '%s'", k)
		}
	case lua.OP_MOVE:
		if b := argB(inst); b < argA(inst) {
			return objName(fn, last, b)
		}
	case lua.OP_GETTABLE, lua.OP_GETTABLEKS:
		return fmt.Sprintf("field '%s'", kname(p, argC(inst)))
	case lua.OP_GETUPVAL:
		if b := argB(inst); b < len(p.DbgUpvalues) {
			return fmt.Sprintf("upvalue '%s'", p.DbgUpvalues[b])
		}
	case lua.OP_SELF:
		if reg == argA(inst)+1 {
			return objName(fn, last, argB(inst))
		}
		return fmt.Sprintf("method '%s'", kname(p, argC(inst)))
	}
	return ""
}

// localName is the name of the local variable in register reg at pc, as
// Lua 5.1's luaF_getlocalname finds it: the reg-th of the locals active
// there. (LFunction.LocalName counts a local active only from the
// instruction after its first, so misses `local t; return t.x`.)
func localName(p *lua.FunctionProto, reg, pc int) (string, bool) {
	for _, l := range p.DbgLocals {
		if l.StartPc > pc {
			break
		}
		if pc < l.EndPc {
			if reg == 0 {
				return l.Name, true
			}
			reg--
		}
	}
	return "", false
}

// kname is a constant key's name, "?" for any other key (as in Lua 5.1).
func kname(p *lua.FunctionProto, rk int) string {
	if isK(rk) {
		if s, ok := p.Constants[indexK(rk)].(lua.LString); ok {
			return string(s)
		}
	}
	return "?"
}

// lastSet is the last instruction before lastpc that sets register reg, or
// -1: Lua 5.1's symbexec, reading the code in order and following the
// forward jumps that land before lastpc.
func lastSet(p *lua.FunctionProto, lastpc, reg int) int {
	last := -1
	for pc := 0; pc < lastpc; pc++ {
		inst := p.Code[pc]
		a := argA(inst)
		switch op := opcode(inst); op {
		case lua.OP_LOADNIL:
			if a <= reg && reg <= argB(inst) {
				last = pc
			}
		case lua.OP_CALL, lua.OP_TAILCALL, lua.OP_VARARG:
			if reg >= a {
				last = pc
			}
		case lua.OP_TFORLOOP:
			if reg >= a+2 {
				last = pc
			}
		case lua.OP_FORLOOP, lua.OP_FORPREP:
			if reg >= a && reg <= a+3 {
				last = pc
			}
		case lua.OP_SELF:
			if reg == a || reg == a+1 {
				last = pc
			}
		case lua.OP_JMP:
			if dest := pc + 1 + argSBx(inst); pc < dest && dest <= lastpc {
				pc = dest - 1
			}
		case lua.OP_CLOSURE:
			if reg == a {
				last = pc
			}
			// the upvalues' pseudo-instructions that follow set nothing
			if bx := argBx(inst); bx < len(p.FunctionPrototypes) {
				pc += int(p.FunctionPrototypes[bx].NumUpvalues)
			}
		case lua.OP_MOVE, lua.OP_MOVEN, lua.OP_LOADK, lua.OP_LOADBOOL, lua.OP_GETUPVAL,
			lua.OP_GETGLOBAL, lua.OP_GETTABLE, lua.OP_GETTABLEKS, lua.OP_NEWTABLE,
			lua.OP_ADD, lua.OP_SUB, lua.OP_MUL, lua.OP_DIV, lua.OP_MOD, lua.OP_POW,
			lua.OP_UNM, lua.OP_NOT, lua.OP_LEN, lua.OP_CONCAT, lua.OP_TESTSET:
			if reg == a {
				last = pc
			}
		}
	}
	return last
}

// gopher-lua's instruction layout (opcode.go), which it does not export:
// opcode 6 bits, A 8, C 9, B 9; Bx 18 bits, sBx biased by its half.
func opcode(inst uint32) int { return int(inst >> 26) }
func argA(inst uint32) int   { return int(inst>>18) & 0xff }
func argB(inst uint32) int   { return int(inst & 0x1ff) }
func argC(inst uint32) int   { return int(inst>>9) & 0x1ff }
func argBx(inst uint32) int  { return int(inst & 0x3ffff) }
func argSBx(inst uint32) int { return argBx(inst) - 0x1ffff }
func isK(rk int) bool        { return rk&0x100 != 0 }
func indexK(rk int) int      { return rk &^ 0x100 }

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return !luaKeywords[s]
}

var luaKeywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "if": true, "in": true, "local": true,
	"nil": true, "not": true, "or": true, "repeat": true, "return": true, "then": true,
	"true": true, "until": true, "while": true,
}
