package lualib

import (
	"fmt"
	"strconv"
	"strings"
)

// syntaxMessage rereads a chunk gopher-lua's parser refused and words its
// first error as C Lua 5.1's parser does: "name:line: 'end' expected (to close
// 'function' at line 3) near '<eof>'", "name:1: unexpected symbol near '='".
// gopher-lua's own message gives a column and no expected token. It returns
// "" when it finds no error (the two grammars disagree): the caller keeps
// gopher-lua's message then. It is a recogniser only: nothing is compiled.
func syntaxMessage(src, name string) (msg string) {
	p := &synParser{lx: synLexer{src: src, line: 1}, chunk: chunkID(src, name)}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(synError)
			if !ok {
				panic(r)
			}
			msg = string(e)
		}
	}()
	p.fn = &synFunc{vararg: true}
	p.next()
	p.block()
	p.check(tkEOF)
	return ""
}

// chunkID is how C Lua 5.1 (Debian's, LUA_IDSIZE 80) names a chunk in a
// message: "=name" and "@file" without their first character, a chunk named
// by its own source (loadstring without a name) as [string "first line..."].
func chunkID(src, name string) string {
	switch {
	case strings.HasPrefix(name, "="):
		return trunc(name[1:], 79)
	case strings.HasPrefix(name, "@"):
		if n := name[1:]; len(n) > 79 {
			return "..." + n[len(n)-76:]
		}
		return name[1:]
	case name != src:
		return name
	}
	first := src
	if i := strings.IndexAny(src, "\r\n"); i >= 0 {
		first = src[:i]
	}
	if len(first) > 63 {
		first = first[:63]
	}
	if first != src {
		return `[string "` + first + `..."]`
	}
	return `[string "` + src + `"]`
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

type synError string

// Tokens: single characters are themselves; the rest follow.
const (
	tkEOF = 256 + iota
	tkName
	tkNumber
	tkString
	tkConcat
	tkDots
	tkEq
	tkGe
	tkLe
	tkNe
	tkKeyword // base for the reserved words, in synKeywords order
)

var synKeywords = []string{"and", "break", "do", "else", "elseif", "end", "false",
	"for", "function", "if", "in", "local", "nil", "not", "or", "repeat",
	"return", "then", "true", "until", "while"}

func kw(word string) int {
	for i, w := range synKeywords {
		if w == word {
			return tkKeyword + i
		}
	}
	panic("not a keyword: " + word)
}

var (
	kwAnd, kwBreak, kwDo, kwElse, kwElseif, kwEnd   = kw("and"), kw("break"), kw("do"), kw("else"), kw("elseif"), kw("end")
	kwFalse, kwFor, kwFunction, kwIf, kwIn, kwLocal = kw("false"), kw("for"), kw("function"), kw("if"), kw("in"), kw("local")
	kwNil, kwNot, kwOr, kwRepeat, kwReturn, kwThen  = kw("nil"), kw("not"), kw("or"), kw("repeat"), kw("return"), kw("then")
	kwTrue, kwUntil, kwWhile                        = kw("true"), kw("until"), kw("while")
)

// tokenText is how a message shows a kind of token (luaX_token2str).
func tokenText(t int) string {
	switch {
	case t >= tkKeyword:
		return synKeywords[t-tkKeyword]
	case t < 256:
		if t < 32 || t == 127 {
			return fmt.Sprintf("char(%d)", t)
		}
		return string(rune(t))
	}
	return map[int]string{tkEOF: "<eof>", tkName: "<name>", tkNumber: "<number>",
		tkString: "<string>", tkConcat: "..", tkDots: "...", tkEq: "==", tkGe: ">=",
		tkLe: "<=", tkNe: "~="}[t]
}

type synLexer struct {
	src  string
	pos  int
	line int
}

type synToken struct {
	t    int
	text string // what a message quotes for a name, number or string
}

func (lx *synLexer) peekc(off int) byte {
	if lx.pos+off < len(lx.src) {
		return lx.src[lx.pos+off]
	}
	return 0
}

func (lx *synLexer) eof() bool { return lx.pos >= len(lx.src) }

// newline consumes one line break (\n, \r, \r\n or \n\r).
func (lx *synLexer) newline() {
	c := lx.src[lx.pos]
	lx.pos++
	if !lx.eof() && (lx.src[lx.pos] == '\n' || lx.src[lx.pos] == '\r') && lx.src[lx.pos] != c {
		lx.pos++
	}
	lx.line++
}

func isNewline(c byte) bool  { return c == '\n' || c == '\r' }
func isNameChar(c byte) bool { return c == '_' || isAlpha(c) }

func (p *synParser) lexError(msg string, near string) {
	if near != "" {
		msg += " near '" + near + "'"
	}
	panic(synError(fmt.Sprintf("%s:%d: %s", p.chunk, p.lx.line, msg)))
}

// scan reads the next token.
func (p *synParser) scan() synToken {
	lx := &p.lx
	for {
		if lx.eof() {
			return synToken{t: tkEOF}
		}
		c := lx.src[lx.pos]
		switch {
		case isNewline(c):
			lx.newline()
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			lx.pos++
		case c == '-' && lx.peekc(1) == '-':
			lx.pos += 2
			if lx.peekc(0) == '[' {
				start := lx.pos
				if level := p.longLevel(); level >= 0 {
					p.longString(start, level, "unfinished long comment")
					continue
				}
				lx.pos = start
			}
			for !lx.eof() && !isNewline(lx.src[lx.pos]) {
				lx.pos++
			}
		case c == '[':
			start := lx.pos
			level := p.longLevel()
			if level >= 0 {
				return synToken{t: tkString, text: p.longString(start, level, "unfinished long string")}
			}
			if level == -1 {
				lx.pos = start + 1
				return synToken{t: '['}
			}
			p.lexError("invalid long string delimiter", lx.src[start:lx.pos])
		case c == '=' || c == '<' || c == '>' || c == '~':
			lx.pos++
			if lx.peekc(0) != '=' {
				return synToken{t: int(c)}
			}
			lx.pos++
			return synToken{t: map[byte]int{'=': tkEq, '<': tkLe, '>': tkGe, '~': tkNe}[c]}
		case c == '"' || c == '\'':
			return p.shortString(c)
		case c == '.':
			if lx.peekc(1) == '.' {
				if lx.peekc(2) == '.' {
					lx.pos += 3
					return synToken{t: tkDots}
				}
				lx.pos += 2
				return synToken{t: tkConcat}
			}
			if !isDigit(lx.peekc(1)) {
				lx.pos++
				return synToken{t: '.'}
			}
			return p.number()
		case isDigit(c):
			return p.number()
		case isNameChar(c):
			start := lx.pos
			for !lx.eof() && (isNameChar(lx.src[lx.pos]) || isDigit(lx.src[lx.pos])) {
				lx.pos++
			}
			word := lx.src[start:lx.pos]
			for i, w := range synKeywords {
				if w == word {
					return synToken{t: tkKeyword + i}
				}
			}
			return synToken{t: tkName, text: word}
		default:
			lx.pos++
			return synToken{t: int(c)}
		}
	}
}

// longLevel reads "[", some "=" and "[" at the lexer's position: the level
// (the number of "="), -1 for a lone "[", -2 for "[=" without the second "[".
func (p *synParser) longLevel() int {
	lx := &p.lx
	lx.pos++ // [
	level := 0
	for lx.peekc(0) == '=' {
		level++
		lx.pos++
	}
	if lx.peekc(0) == '[' {
		lx.pos++
		return level
	}
	if level == 0 {
		return -1
	}
	return -2
}

// longString reads a long string or comment's body up to its closing
// bracket; the text is the whole of it, brackets included.
func (p *synParser) longString(start, level int, unfinished string) string {
	lx := &p.lx
	if !lx.eof() && isNewline(lx.src[lx.pos]) {
		lx.newline()
	}
	for {
		if lx.eof() {
			p.lexError(unfinished, "<eof>")
		}
		c := lx.src[lx.pos]
		switch {
		case c == ']':
			lx.pos++
			n := 0
			for lx.peekc(0) == '=' {
				n++
				lx.pos++
			}
			if n == level && lx.peekc(0) == ']' {
				lx.pos++
				return lx.src[start:lx.pos]
			}
		case c == '[' && level == 0 && lx.peekc(1) == '[':
			// Lua 5.1 refuses "[[" inside a level-0 long string or comment
			lx.pos += 2
			p.lexError("nesting of [[...]] is deprecated", "[")
		case isNewline(c):
			lx.newline()
		default:
			lx.pos++
		}
	}
}

func (p *synParser) shortString(quote byte) synToken {
	lx := &p.lx
	var b strings.Builder
	b.WriteByte(quote)
	lx.pos++
	for {
		if lx.eof() {
			p.lexError("unfinished string", "<eof>")
		}
		c := lx.src[lx.pos]
		switch {
		case c == quote:
			lx.pos++
			b.WriteByte(quote)
			return synToken{t: tkString, text: b.String()}
		case isNewline(c):
			p.lexError("unfinished string", b.String())
		case c == '\\':
			lx.pos++
			if lx.eof() {
				continue // unfinished string at the end
			}
			e := lx.src[lx.pos]
			switch {
			case isNewline(e):
				b.WriteByte('\n')
				lx.newline()
				continue
			case isDigit(e):
				n := 0
				for i := 0; i < 3 && isDigit(lx.peekc(0)); i++ {
					n = n*10 + int(lx.src[lx.pos]-'0')
					lx.pos++
				}
				if n > 255 {
					p.lexError("escape sequence too large", b.String())
				}
				b.WriteByte(byte(n))
				continue
			}
			if r, ok := map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v'}[e]; ok {
				e = r
			}
			b.WriteByte(e)
			lx.pos++
		default:
			b.WriteByte(c)
			lx.pos++
		}
	}
}

// number reads a numeral as Lua 5.1 does (digits and dots, an exponent with
// its sign, then any letters and digits) and refuses what strtod cannot read.
func (p *synParser) number() synToken {
	lx := &p.lx
	start := lx.pos
	for !lx.eof() && (isDigit(lx.src[lx.pos]) || lx.src[lx.pos] == '.') {
		lx.pos++
	}
	if c := lx.peekc(0); c == 'e' || c == 'E' {
		lx.pos++
		if c := lx.peekc(0); c == '+' || c == '-' {
			lx.pos++
		}
	}
	for !lx.eof() && (isNameChar(lx.src[lx.pos]) || isDigit(lx.src[lx.pos])) {
		lx.pos++
	}
	text := lx.src[start:lx.pos]
	if !luaNumeral(text) {
		p.lexError("malformed number", text)
	}
	return synToken{t: tkNumber, text: text}
}

// luaNumeral is whether strtod (or, for 0x, strtoul) reads all of s.
func luaNumeral(s string) bool {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		_, err := strconv.ParseUint(s[2:], 16, 64)
		return err == nil || strings.Contains(err.Error(), "range")
	}
	if strings.ContainsAny(s, "xXpPnN_iI") {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || strings.Contains(err.Error(), "range")
}

type synFunc struct {
	vararg bool
	loops  int
}

type synParser struct {
	lx       synLexer
	chunk    string
	tok      synToken
	ahead    *synToken
	lastLine int // line of the last token consumed
	fn       *synFunc
}

func (p *synParser) next() {
	p.lastLine = p.lx.line
	if p.ahead != nil {
		p.tok, p.ahead = *p.ahead, nil
		return
	}
	p.tok = p.scan()
}

func (p *synParser) lookahead() int {
	if p.ahead == nil {
		t := p.scan()
		p.ahead = &t
	}
	return p.ahead.t
}

// near is the current token as a message quotes it.
func (p *synParser) near() string {
	switch p.tok.t {
	case tkName, tkNumber, tkString:
		return p.tok.text
	}
	return tokenText(p.tok.t)
}

func (p *synParser) syntaxError(msg string) { p.lexError(msg, p.near()) }

func (p *synParser) expected(t int) {
	p.syntaxError("'" + tokenText(t) + "' expected")
}

func (p *synParser) check(t int) {
	if p.tok.t != t {
		p.expected(t)
	}
}

func (p *synParser) checkNext(t int) {
	p.check(t)
	p.next()
}

func (p *synParser) testNext(t int) bool {
	if p.tok.t == t {
		p.next()
		return true
	}
	return false
}

// checkMatch closes what opened at line where with who.
func (p *synParser) checkMatch(what, who, where int) {
	if p.testNext(what) {
		return
	}
	if where == p.lx.line {
		p.expected(what)
	}
	p.syntaxError(fmt.Sprintf("'%s' expected (to close '%s' at line %d)", tokenText(what), tokenText(who), where))
}

func (p *synParser) checkName() {
	p.check(tkName)
	p.next()
}

func (p *synParser) blockFollows() bool {
	switch p.tok.t {
	case kwElse, kwElseif, kwEnd, kwUntil, tkEOF:
		return true
	}
	return false
}

// block is a chunk: statements until one that must be last, or a block's end.
func (p *synParser) block() {
	last := false
	for !last && !p.blockFollows() {
		last = p.statement()
		p.testNext(';')
	}
}

func (p *synParser) loopBody() {
	p.fn.loops++
	p.block()
	p.fn.loops--
}

// thenBlock parses `if`/`elseif` COND `then` BLOCK from the keyword on.
func (p *synParser) thenBlock() {
	p.next()
	p.expr()
	p.checkNext(kwThen)
	p.block()
}

// statement reads one statement; true for return and break.
func (p *synParser) statement() bool {
	line := p.lx.line
	switch p.tok.t {
	case kwIf:
		p.thenBlock()
		for p.tok.t == kwElseif {
			p.thenBlock()
		}
		if p.testNext(kwElse) {
			p.block()
		}
		p.checkMatch(kwEnd, kwIf, line)
	case kwWhile:
		p.next()
		p.expr()
		p.checkNext(kwDo)
		p.loopBody()
		p.checkMatch(kwEnd, kwWhile, line)
	case kwDo:
		p.next()
		p.block()
		p.checkMatch(kwEnd, kwDo, line)
	case kwFor:
		p.next()
		p.checkName()
		switch p.tok.t {
		case '=':
			p.next()
			p.expr()
			p.checkNext(',')
			p.expr()
			if p.testNext(',') {
				p.expr()
			}
		case ',', kwIn:
			for p.testNext(',') {
				p.checkName()
			}
			p.checkNext(kwIn)
			p.exprList()
		default:
			p.syntaxError("'=' or 'in' expected")
		}
		p.checkNext(kwDo)
		p.loopBody()
		p.checkMatch(kwEnd, kwFor, line)
	case kwRepeat:
		p.next()
		p.loopBody()
		p.checkMatch(kwUntil, kwRepeat, line)
		p.expr()
	case kwFunction:
		p.next()
		p.checkName()
		for p.testNext('.') {
			p.checkName()
		}
		if p.testNext(':') {
			p.checkName()
		}
		p.body(line)
	case kwLocal:
		p.next()
		if p.testNext(kwFunction) {
			p.checkName()
			p.body(line)
			break
		}
		p.checkName()
		for p.testNext(',') {
			p.checkName()
		}
		if p.testNext('=') {
			p.exprList()
		}
	case kwReturn:
		p.next()
		if !p.blockFollows() && p.tok.t != ';' {
			p.exprList()
		}
		return true
	case kwBreak:
		p.next()
		if p.fn.loops == 0 {
			p.syntaxError("no loop to break")
		}
		return true
	default:
		p.exprStatement()
	}
	return false
}

// Kinds of a prefix expression, for what may be assigned to.
const (
	synOther = iota
	synAssignable
	synCall
)

func (p *synParser) exprStatement() {
	kind := p.primary()
	if kind == synCall {
		return
	}
	for {
		if kind != synAssignable {
			p.syntaxError("syntax error")
		}
		if !p.testNext(',') {
			break
		}
		kind = p.primary()
	}
	p.checkNext('=')
	p.exprList()
}

func (p *synParser) body(line int) {
	outer := p.fn
	p.fn = &synFunc{}
	p.checkNext('(')
	if p.tok.t != ')' {
		for {
			if p.tok.t == tkDots {
				p.next()
				p.fn.vararg = true
				break
			}
			if p.tok.t != tkName {
				p.syntaxError("<name> or '...' expected")
			}
			p.next()
			if !p.testNext(',') {
				break
			}
		}
	}
	p.checkNext(')')
	p.block()
	p.checkMatch(kwEnd, kwFunction, line)
	p.fn = outer
}

func (p *synParser) exprList() {
	p.expr()
	for p.testNext(',') {
		p.expr()
	}
}

func isBinary(t int) bool {
	switch t {
	case '+', '-', '*', '/', '%', '^', tkConcat, tkNe, tkEq, '<', tkLe, '>', tkGe, kwAnd, kwOr:
		return true
	}
	return false
}

// expr reads an expression; priorities do not change what is accepted.
func (p *synParser) expr() {
	for {
		for p.tok.t == kwNot || p.tok.t == '-' || p.tok.t == '#' {
			p.next()
		}
		p.simple()
		if !isBinary(p.tok.t) {
			return
		}
		p.next()
	}
}

func (p *synParser) simple() {
	switch p.tok.t {
	case tkNumber, tkString, kwNil, kwTrue, kwFalse:
		p.next()
	case tkDots:
		if !p.fn.vararg {
			p.syntaxError("cannot use '...' outside a vararg function")
		}
		p.next()
	case '{':
		p.constructor()
	case kwFunction:
		line := p.lx.line
		p.next()
		p.body(line)
	default:
		p.primary()
	}
}

// primary reads a prefix expression and its suffixes, and says what it is.
func (p *synParser) primary() int {
	kind := synOther
	switch p.tok.t {
	case tkName:
		p.next()
		kind = synAssignable
	case '(':
		line := p.lx.line
		p.next()
		p.expr()
		p.checkMatch(')', '(', line)
	default:
		p.syntaxError("unexpected symbol")
	}
	for {
		switch p.tok.t {
		case '.':
			p.next()
			p.checkName()
			kind = synAssignable
		case '[':
			p.next()
			p.expr()
			p.checkNext(']')
			kind = synAssignable
		case ':':
			p.next()
			p.checkName()
			p.args()
			kind = synCall
		case '(', tkString, '{':
			p.args()
			kind = synCall
		default:
			return kind
		}
	}
}

func (p *synParser) args() {
	switch p.tok.t {
	case tkString:
		p.next()
	case '{':
		p.constructor()
	case '(':
		line := p.lx.line
		if line != p.lastLine {
			p.syntaxError("ambiguous syntax (function call x new statement)")
		}
		p.next()
		if p.tok.t != ')' {
			p.exprList()
		}
		p.checkMatch(')', '(', line)
	default:
		p.syntaxError("function arguments expected")
	}
}

func (p *synParser) constructor() {
	line := p.lx.line
	p.checkNext('{')
	for p.tok.t != '}' {
		switch {
		case p.tok.t == tkName && p.lookahead() == '=':
			p.next()
			p.next()
			p.expr()
		case p.tok.t == '[':
			p.next()
			p.expr()
			p.checkNext(']')
			p.checkNext('=')
			p.expr()
		default:
			p.expr()
		}
		if !p.testNext(',') && !p.testNext(';') {
			break
		}
	}
	p.checkMatch('}', '{', line)
}

// SyntaxMessage is C Lua 5.1's message for the first syntax error in src, a
// chunk named name ("file.lua:4: ')' expected (to close '(' at line 3) near
// 'end'"), or "" when Lua 5.1's grammar accepts it. The lab loader uses it for
// the Lua files it checks without running them.
func SyntaxMessage(src, name string) string { return syntaxMessage(src, name) }
