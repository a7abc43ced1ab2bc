package lualib

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.1's patterns, written for wirelab: gopher-lua's matcher lacks the
// frontier pattern %f and differs from C Lua in its corner cases (where an
// empty match moves on, what an unfinished capture does, the error texts). The
// functions here follow the Lua 5.1 reference manual (§5.4.1) and C Lua
// 5.1.5's observable behaviour, which testdata/diff/patterns.lua checks
// against lua5.1 line by line.

const (
	maxCaptures = 32
	capUnclosed = -1 // a capture whose ')' has not been reached
	capPosition = -2 // a position capture, ()
	// maxMatchDepth bounds the matcher's recursion (each `*`, `-`, `?` and
	// capture nests once): C Lua 5.1 has no bound and overflows its C stack;
	// Lua 5.2 stops at 200 C calls. Deep enough for any real pattern.
	maxMatchDepth = 10000
	// stepsPerCheck is how often a long match looks at the run's deadline, so a
	// pattern that backtracks for minutes still stops when the run does.
	stepsPerCheck = 1 << 16
)

// patternError is an error in the pattern itself, raised as Lua 5.1 words it.
type patternError string

type patCapture struct {
	init, len int
}

type matcher struct {
	L       *lua.LState
	src     string
	pat     string
	level   int
	capture [maxCaptures]patCapture
	depth   int
	steps   int
}

func (m *matcher) fail(msg string) { panic(patternError(msg)) }

// tick counts matching work and stops a match that outlives the run.
func (m *matcher) tick() {
	m.steps++
	if m.steps%stepsPerCheck != 0 {
		return
	}
	if ctx := m.L.Context(); ctx != nil && ctx.Err() != nil {
		m.fail(ctx.Err().Error()) // what the VM raises at the deadline
	}
}

func isAlpha(c byte) bool  { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isSpace(c byte) bool  { return c == ' ' || (c >= '\t' && c <= '\r') }
func isCntrl(c byte) bool  { return c < 32 || c == 127 }
func isPunct(c byte) bool  { return c > 32 && c < 127 && !isAlpha(c) && !isDigit(c) }
func isXDigit(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

// matchClass reports whether c is in the class %cl (the C locale's ctype).
func matchClass(c, cl byte) bool {
	var res bool
	switch cl | 0x20 {
	case 'a':
		res = isAlpha(c)
	case 'c':
		res = isCntrl(c)
	case 'd':
		res = isDigit(c)
	case 'l':
		res = isLower(c)
	case 'p':
		res = isPunct(c)
	case 's':
		res = isSpace(c)
	case 'u':
		res = isUpper(c)
	case 'w':
		res = isAlpha(c) || isDigit(c)
	case 'x':
		res = isXDigit(c)
	case 'z':
		res = c == 0
	default:
		return cl == c
	}
	if isUpper(cl) {
		return !res
	}
	return res
}

// classEnd returns the index just past the single-character class at p.
func (m *matcher) classEnd(p int) int {
	pat := m.pat
	c := pat[p]
	p++
	switch c {
	case '%':
		if p >= len(pat) {
			m.fail("malformed pattern (ends with '%')")
		}
		return p + 1
	case '[':
		if p < len(pat) && pat[p] == '^' {
			p++
		}
		// The first character is part of the set even when it is ']'.
		for {
			if p >= len(pat) {
				m.fail("malformed pattern (missing ']')")
			}
			c := pat[p]
			p++
			if c == '%' && p < len(pat) {
				p++
			}
			if p < len(pat) && pat[p] == ']' {
				return p + 1
			}
			if p >= len(pat) {
				m.fail("malformed pattern (missing ']')")
			}
		}
	}
	return p
}

// matchBracket reports whether c is in the set pat[p:ec] (p at '[', ec at ']').
func (m *matcher) matchBracket(c byte, p, ec int) bool {
	pat := m.pat
	sig := true
	if pat[p+1] == '^' {
		sig = false
		p++
	}
	for p++; p < ec; p++ {
		switch {
		case pat[p] == '%':
			p++
			if matchClass(c, pat[p]) {
				return sig
			}
		case pat[p+1] == '-' && p+2 < ec:
			p += 2
			if pat[p-2] <= c && c <= pat[p] {
				return sig
			}
		case pat[p] == c:
			return sig
		}
	}
	return !sig
}

// singleMatch reports whether the subject's byte at s matches the class
// pat[p:ep]; false past the subject's end.
func (m *matcher) singleMatch(s, p, ep int) bool {
	if s >= len(m.src) {
		return false
	}
	c := m.src[s]
	switch m.pat[p] {
	case '.':
		return true
	case '%':
		return matchClass(c, m.pat[p+1])
	case '[':
		return m.matchBracket(c, p, ep-1)
	}
	return m.pat[p] == c
}

// match matches the pattern from p against the subject from s and returns
// the end of the match, or -1.
func (m *matcher) match(s, p int) int {
	m.depth++
	if m.depth > maxMatchDepth {
		m.fail("pattern too complex")
	}
	defer func() { m.depth-- }()
	src, pat := m.src, m.pat
	for {
		m.tick()
		if p >= len(pat) {
			return s
		}
		switch pat[p] {
		case '(':
			if p+1 < len(pat) && pat[p+1] == ')' {
				return m.startCapture(s, p+2, capPosition)
			}
			return m.startCapture(s, p+1, capUnclosed)
		case ')':
			return m.endCapture(s, p+1)
		case '%':
			if p+1 < len(pat) {
				switch c := pat[p+1]; {
				case c == 'b':
					s = m.matchBalance(s, p+2)
					if s == -1 {
						return -1
					}
					p += 4
					continue
				case c == 'f':
					p += 2
					if p >= len(pat) || pat[p] != '[' {
						m.fail("missing '[' after '%f' in pattern")
					}
					ep := m.classEnd(p)
					var prev, cur byte
					if s > 0 {
						prev = src[s-1]
					}
					if s < len(src) {
						cur = src[s]
					}
					if m.matchBracket(prev, p, ep-1) || !m.matchBracket(cur, p, ep-1) {
						return -1
					}
					p = ep
					continue
				case isDigit(c):
					s = m.matchCapture(s, c)
					if s == -1 {
						return -1
					}
					p += 2
					continue
				}
			}
		case '$':
			if p+1 == len(pat) {
				if s == len(src) {
					return s
				}
				return -1
			}
		}
		// A single-character class, perhaps with a repetition.
		ep := m.classEnd(p)
		ok := m.singleMatch(s, p, ep)
		if ep < len(pat) {
			switch pat[ep] {
			case '?':
				if ok {
					if r := m.match(s+1, ep+1); r != -1 {
						return r
					}
				}
				p = ep + 1
				continue
			case '*':
				return m.maxExpand(s, p, ep)
			case '+':
				if !ok {
					return -1
				}
				return m.maxExpand(s+1, p, ep)
			case '-':
				return m.minExpand(s, p, ep)
			}
		}
		if !ok {
			return -1
		}
		s++
		p = ep
	}
}

func (m *matcher) maxExpand(s, p, ep int) int {
	i := 0
	for m.singleMatch(s+i, p, ep) {
		i++
	}
	for ; i >= 0; i-- {
		if r := m.match(s+i, ep+1); r != -1 {
			return r
		}
	}
	return -1
}

func (m *matcher) minExpand(s, p, ep int) int {
	for {
		if r := m.match(s, ep+1); r != -1 {
			return r
		}
		if !m.singleMatch(s, p, ep) {
			return -1
		}
		s++
	}
}

func (m *matcher) startCapture(s, p, what int) int {
	if m.level >= maxCaptures {
		m.fail("too many captures")
	}
	m.capture[m.level] = patCapture{s, what}
	m.level++
	r := m.match(s, p)
	if r == -1 {
		m.level--
	}
	return r
}

func (m *matcher) endCapture(s, p int) int {
	l := -1
	for i := m.level - 1; i >= 0; i-- {
		if m.capture[i].len == capUnclosed {
			l = i
			break
		}
	}
	if l < 0 {
		m.fail("invalid pattern capture")
	}
	m.capture[l].len = s - m.capture[l].init
	r := m.match(s, p)
	if r == -1 {
		m.capture[l].len = capUnclosed
	}
	return r
}

func (m *matcher) matchBalance(s, p int) int {
	if p+1 >= len(m.pat) {
		m.fail("unbalanced pattern")
	}
	if s >= len(m.src) || m.src[s] != m.pat[p] {
		return -1
	}
	b, e := m.pat[p], m.pat[p+1]
	cont := 1
	for s++; s < len(m.src); s++ {
		switch m.src[s] {
		case e:
			cont--
			if cont == 0 {
				return s + 1
			}
		case b:
			cont++
		}
	}
	return -1
}

func (m *matcher) checkCapture(c byte) int {
	l := int(c) - '1'
	if l < 0 || l >= m.level || m.capture[l].len == capUnclosed {
		m.fail("invalid capture index")
	}
	return l
}

func (m *matcher) matchCapture(s int, c byte) int {
	l := m.checkCapture(c)
	cp := m.capture[l]
	if len(m.src)-s >= cp.len && m.src[cp.init:cp.init+cp.len] == m.src[s:s+cp.len] {
		return s + cp.len
	}
	return -1
}

// oneCapture returns capture i of the match src[s:e] (the whole match when
// the pattern has no captures and i is 0).
func (m *matcher) oneCapture(i, s, e int) lua.LValue {
	if i >= m.level {
		if i != 0 {
			m.fail("invalid capture index")
		}
		return lua.LString(m.src[s:e])
	}
	cp := m.capture[i]
	switch cp.len {
	case capUnclosed:
		m.fail("unfinished capture")
	case capPosition:
		return lua.LNumber(cp.init + 1)
	}
	return lua.LString(m.src[cp.init : cp.init+cp.len])
}

// pushCaptures pushes every capture of the match src[s:e] (or the whole match
// when there are none and whole is set) and returns how many.
func (m *matcher) pushCaptures(s, e int, whole bool) int {
	n := m.level
	if n == 0 && whole {
		n = 1
	}
	for i := 0; i < n; i++ {
		m.L.Push(m.oneCapture(i, s, e))
	}
	return n
}

// protectPattern runs f, turning a pattern error into a Lua error.
func protectPattern(L *lua.LState, f func() int) (n int) {
	defer func() {
		if r := recover(); r != nil {
			if msg, ok := r.(patternError); ok {
				L.RaiseError("%s", string(msg))
			}
			panic(r)
		}
	}()
	return f()
}

// checkLString is luaL_checklstring: a string, or a number in its %.14g form.
func checkLString(L *lua.LState, n int) string {
	switch v := L.Get(n).(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return numberString(v)
	}
	typeError(L, n, "string")
	return ""
}

func optLString(L *lua.LState, n int, def string) string {
	if L.Get(n) == lua.LNil {
		return def
	}
	return checkLString(L, n)
}

// typeError raises Lua 5.1's "bad argument" for a value of the wrong type,
// saying "no value" past the last argument as C Lua does.
func typeError(L *lua.LState, n int, want string) {
	got := "no value"
	if n <= L.GetTop() {
		got = L.Get(n).Type().String()
	}
	L.ArgError(n, want+" expected, got "+got)
}

// luaCheckNumber is luaL_checknumber: a number, or a string that reads as one.
func luaCheckNumber(L *lua.LState, n int) float64 {
	switch v := L.Get(n).(type) {
	case lua.LNumber:
		return float64(v)
	case lua.LString:
		if f, ok := str2number(string(v)); ok {
			return f
		}
	}
	typeError(L, n, "number")
	return 0
}

func luaOptInt(L *lua.LState, n int, def int) int {
	if L.Get(n) == lua.LNil {
		return def
	}
	return int(luaCheckNumber(L, n))
}

// posrelat turns a Lua string position (negative: from the end) into one
// counted from 1, or 0.
func posrelat(pos, n int) int {
	if pos < 0 {
		pos += n + 1
	}
	if pos < 0 {
		return 0
	}
	return pos
}

const patternSpecials = "^$*+?.([%-"

func strFind(L *lua.LState) int  { return findAux(L, true) }
func strMatch(L *lua.LState) int { return findAux(L, false) }

func findAux(L *lua.LState, find bool) int {
	s := checkLString(L, 1)
	p := checkLString(L, 2)
	init := posrelat(luaOptInt(L, 3, 1), len(s)) - 1
	if init < 0 {
		init = 0
	} else if init > len(s) {
		init = len(s)
	}
	if find && (lua.LVAsBool(L.Get(4)) || !strings.ContainsAny(p, patternSpecials)) {
		if i := strings.Index(s[init:], p); i >= 0 {
			L.Push(lua.LNumber(init + i + 1))
			L.Push(lua.LNumber(init + i + len(p)))
			return 2
		}
		L.Push(lua.LNil)
		return 1
	}
	return protectPattern(L, func() int {
		m := &matcher{L: L, src: s, pat: p}
		anchor := len(p) > 0 && p[0] == '^'
		start := 0
		if anchor {
			start = 1
		}
		for s1 := init; ; s1++ {
			m.level = 0
			if e := m.match(s1, start); e != -1 {
				if find {
					L.Push(lua.LNumber(s1 + 1))
					L.Push(lua.LNumber(e))
					return m.pushCaptures(-1, -1, false) + 2
				}
				return m.pushCaptures(s1, e, true)
			}
			if s1 >= len(s) || anchor {
				break
			}
		}
		L.Push(lua.LNil)
		return 1
	})
}

func strGmatch(L *lua.LState) int {
	s := checkLString(L, 1)
	p := checkLString(L, 2)
	pos := 0
	L.Push(L.NewFunction(func(L *lua.LState) int {
		return protectPattern(L, func() int {
			m := &matcher{L: L, src: s, pat: p}
			for src := pos; src <= len(s); src++ {
				m.level = 0
				if e := m.match(src, 0); e != -1 {
					pos = e
					if e == src {
						pos++
					}
					return m.pushCaptures(src, e, true)
				}
			}
			pos = len(s) + 1
			return 0
		})
	}))
	return 1
}

func strGsub(L *lua.LState) int {
	src := checkLString(L, 1)
	p := checkLString(L, 2)
	repl := L.Get(3)
	switch repl.Type() {
	case lua.LTNumber, lua.LTString, lua.LTTable, lua.LTFunction:
	default:
		L.ArgError(3, "string/function/table expected")
	}
	maxN := luaOptCInt(L, 4, len(src)+1)
	return protectPattern(L, func() int {
		m := &matcher{L: L, src: src, pat: p}
		anchor := len(p) > 0 && p[0] == '^'
		start := 0
		if anchor {
			start = 1
		}
		var b strings.Builder
		n, s := 0, 0
	loop:
		for n < maxN {
			m.level = 0
			e := m.match(s, start)
			if e != -1 {
				n++
				m.addValue(&b, s, e, repl)
			}
			switch {
			case e != -1 && e > s:
				s = e
			case s < len(src):
				b.WriteByte(src[s])
				s++
			default:
				break loop
			}
			if anchor {
				break
			}
		}
		b.WriteString(src[s:])
		L.Push(lua.LString(b.String()))
		L.Push(lua.LNumber(n))
		return 2
	})
}

// addValue appends the replacement for the match src[s:e].
func (m *matcher) addValue(b *strings.Builder, s, e int, repl lua.LValue) {
	L := m.L
	var v lua.LValue
	switch r := repl.(type) {
	case lua.LString, lua.LNumber:
		news := checkReplString(r)
		for i := 0; i < len(news); i++ {
			c := news[i]
			if c != '%' {
				b.WriteByte(c)
				continue
			}
			i++
			if i >= len(news) {
				b.WriteByte(0) // C reads the string's terminating NUL
				continue
			}
			c = news[i]
			switch {
			case !isDigit(c):
				b.WriteByte(c)
			case c == '0':
				b.WriteString(m.src[s:e])
			default:
				b.WriteString(valueString(m.oneCapture(int(c-'1'), s, e)))
			}
		}
		return
	case *lua.LTable:
		v = L.GetTable(r, m.oneCapture(0, s, e))
	case *lua.LFunction:
		top := L.GetTop()
		L.Push(r)
		n := m.pushCaptures(s, e, true)
		L.Call(n, 1)
		v = L.Get(-1)
		L.SetTop(top)
	}
	switch x := v.(type) {
	case lua.LString:
		b.WriteString(string(x))
	case lua.LNumber:
		b.WriteString(numberString(x))
	default:
		if !lua.LVAsBool(v) {
			b.WriteString(m.src[s:e]) // nil or false: keep the original
			return
		}
		m.fail("invalid replacement value (a " + v.Type().String() + ")")
	}
}

func checkReplString(v lua.LValue) string {
	if n, ok := v.(lua.LNumber); ok {
		return numberString(n)
	}
	return string(v.(lua.LString))
}

// valueString is a capture as gsub writes it: a position in %.14g.
func valueString(v lua.LValue) string {
	if n, ok := v.(lua.LNumber); ok {
		return numberString(n)
	}
	return string(v.(lua.LString))
}
