package lualib

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// mime.core: the low-level filters under LuaSocket's mime module (lua/mime.lua
// builds encode, decode, wrap, normalize and stuff on top of them). Each takes
// a context and the next chunk and returns its output and the new context, so
// ltn12.filter.cycle can turn it into a filter; a nil chunk means the input
// ended. The results match C LuaSocket's mime.core 1.0.3, corner cases included
// (lualib/testdata/compat/mime.lua is the differential test).

func openMimeCore(s *State) lua.LValue {
	mod := s.L.SetFuncs(s.L.NewTable(), map[string]lua.LGFunction{
		"b64":   mimeB64,
		"unb64": mimeUnb64,
		"qp":    mimeQP,
		"unqp":  mimeUnqp,
		"wrp":   mimeWrp,
		"qpwrp": mimeQPWrp,
		"eol":   mimeEOL,
		"dot":   mimeDot,
	})
	mod.RawSetString("_VERSION", lua.LString("MIME 1.0.3"))
	return mod
}

// optChunk reads an optional string argument: ok is false for nil or none.
func optChunk(L *lua.LState, n int) (string, bool) {
	if L.Get(n) == lua.LNil {
		return "", false
	}
	return L.CheckString(n), true
}

// pushPair returns a, b to Lua, with nil for an absent value. C's filters return
// nil rather than "" for an empty final output.
func pushPair(L *lua.LState, a string, aNil bool, b string, bNil bool) int {
	if aNil {
		L.Push(lua.LNil)
	} else {
		L.Push(lua.LString(a))
	}
	if bNil {
		L.Push(lua.LNil)
	} else {
		L.Push(lua.LString(b))
	}
	return 2
}

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func b64Group(b *strings.Builder, g []byte) {
	var v uint32
	for i := 0; i < 3; i++ {
		v <<= 8
		if i < len(g) {
			v |= uint32(g[i])
		}
	}
	for i := 0; i < 4; i++ {
		if i <= len(g) {
			b.WriteByte(b64Alphabet[(v>>(18-6*uint(i)))&63])
		} else {
			b.WriteByte('=')
		}
	}
}

// mimeB64 is A, B = b64(C [, D]): A encodes the whole 3-byte groups of C..D and
// B keeps the rest; without D the rest is padded into A and B is nil.
func mimeB64(L *lua.LState) int {
	c, okC := optChunk(L, 1)
	if !okC {
		return pushPair(L, "", true, "", true)
	}
	d, okD := optChunk(L, 2)
	in := c + d
	var b strings.Builder
	n := len(in) / 3 * 3
	for i := 0; i < n; i += 3 {
		b64Group(&b, []byte(in[i:i+3]))
	}
	if okD {
		return pushPair(L, b.String(), false, in[n:], false)
	}
	if n < len(in) {
		b64Group(&b, []byte(in[n:]))
	}
	return pushPair(L, b.String(), b.Len() == 0, "", true)
}

// mimeUnb64 decodes C..D, ignoring characters outside the alphabet; a group cut
// short at the end of the input (no D) is dropped, as C LuaSocket does.
func mimeUnb64(L *lua.LState) int {
	c, okC := optChunk(L, 1)
	if !okC {
		return pushPair(L, "", true, "", true)
	}
	d, okD := optChunk(L, 2)
	in := c + d
	var b strings.Builder
	var group []byte
	var left strings.Builder // the unfinished group's characters, as given
	for i := 0; i < len(in); i++ {
		ch := in[i]
		if ch != '=' && strings.IndexByte(b64Alphabet, ch) < 0 {
			continue
		}
		group = append(group, ch)
		left.WriteByte(ch)
		if len(group) < 4 {
			continue
		}
		var v uint32
		for _, g := range group {
			v <<= 6
			if g != '=' {
				v |= uint32(strings.IndexByte(b64Alphabet, g))
			}
		}
		out := []byte{byte(v >> 16), byte(v >> 8), byte(v)}
		switch {
		case group[2] == '=':
			b.Write(out[:1])
		case group[3] == '=':
			b.Write(out[:2])
		default:
			b.Write(out)
		}
		group = group[:0]
		left.Reset()
	}
	if okD {
		return pushPair(L, b.String(), false, left.String(), false)
	}
	return pushPair(L, b.String(), b.Len() == 0, "", true)
}

// qpClass is how quoted-printable treats a byte.
type qpClass int

const (
	qpPlain  qpClass = iota // printable, written as is
	qpQuoted                // written as =XX
	qpCR                    // CR: a line break when LF follows
	qpIfLast                // space or tab: quoted only at the end of a line
)

func qpClassOf(c byte) qpClass {
	switch {
	case c == '\r':
		return qpCR
	case c == ' ' || c == '\t':
		return qpIfLast
	case c >= 33 && c <= 126 && c != '=':
		return qpPlain
	}
	return qpQuoted
}

const hexUpper = "0123456789ABCDEF"

func qpQuote(b *strings.Builder, c byte) {
	b.WriteByte('=')
	b.WriteByte(hexUpper[c>>4])
	b.WriteByte(hexUpper[c&15])
}

// qpStep encodes the front of buf, given what follows is not yet known, and
// returns how many bytes it used (0: it needs more input to decide).
func qpStep(b *strings.Builder, buf []byte, marker string) int {
	switch qpClassOf(buf[0]) {
	case qpCR:
		if len(buf) < 2 {
			return 0
		}
		if buf[1] == '\n' {
			b.WriteString(marker)
			return 2
		}
		qpQuote(b, buf[0])
		return 1
	case qpIfLast:
		if len(buf) < 3 {
			return 0
		}
		if buf[1] == '\r' && buf[2] == '\n' {
			qpQuote(b, buf[0])
		} else {
			b.WriteByte(buf[0])
		}
		return 1
	case qpPlain:
		b.WriteByte(buf[0])
		return 1
	}
	qpQuote(b, buf[0])
	return 1
}

// mimeQP is A, B = qp(C [, D, marker]): quoted-printable with CRLF written as
// marker. Bytes whose encoding depends on what follows stay in B; without D
// they are encoded as if the input ended there, followed by a soft line break.
func mimeQP(L *lua.LState) int {
	c, okC := optChunk(L, 1)
	if !okC {
		return pushPair(L, "", true, "", true)
	}
	d, okD := optChunk(L, 2)
	marker := L.OptString(3, "\r\n")
	buf := []byte(c + d)
	var b strings.Builder
	for len(buf) > 0 {
		n := qpStep(&b, buf, marker)
		if n == 0 {
			break
		}
		buf = buf[n:]
	}
	if okD {
		return pushPair(L, b.String(), false, string(buf), false)
	}
	if len(buf) > 0 {
		for _, ch := range buf {
			if qpClassOf(ch) == qpPlain {
				b.WriteByte(ch)
			} else {
				qpQuote(&b, ch)
			}
		}
		b.WriteString("=\r\n")
	}
	return pushPair(L, b.String(), b.Len() == 0, "", true)
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// mimeUnqp decodes quoted-printable: =XX escapes and =CRLF soft line breaks;
// anything else after '=' is kept as written. An escape cut short at the end of
// the input stays in B, or is dropped when there is no D.
func mimeUnqp(L *lua.LState) int {
	c, okC := optChunk(L, 1)
	if !okC {
		return pushPair(L, "", true, "", true)
	}
	d, okD := optChunk(L, 2)
	in := c + d
	var b strings.Builder
	i := 0
	for i < len(in) {
		if in[i] != '=' {
			b.WriteByte(in[i])
			i++
			continue
		}
		if len(in)-i < 3 {
			break
		}
		if in[i+1] == '\r' && in[i+2] == '\n' {
			i += 3
			continue
		}
		hi, ok1 := unhex(in[i+1])
		lo, ok2 := unhex(in[i+2])
		if ok1 && ok2 {
			b.WriteByte(hi<<4 | lo)
		} else {
			b.WriteString(in[i : i+3])
		}
		i += 3
	}
	if okD {
		return pushPair(L, b.String(), false, in[i:], false)
	}
	return pushPair(L, b.String(), b.Len() == 0, "", true)
}

// mimeWrp is A, n = wrp(n, C [, length]): C with a CRLF wherever a line would
// pass length characters; n is what is left of the current line. CRs are
// dropped and each LF becomes CRLF. A nil C ends the text with a line break if
// the last line is not empty.
func mimeWrp(L *lua.LState) int {
	left := L.CheckInt(1)
	length := L.OptInt(3, 76)
	c, okC := optChunk(L, 2)
	if !okC {
		return wrapEnd(L, left, length, "\r\n")
	}
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; ch {
		case '\r':
		case '\n':
			b.WriteString("\r\n")
			left = length
		default:
			if left <= 0 {
				b.WriteString("\r\n")
				left = length
			}
			b.WriteByte(ch)
			left--
		}
	}
	L.Push(lua.LString(b.String()))
	L.Push(lua.LNumber(left))
	return 2
}

// mimeQPWrp wraps quoted-printable text with soft line breaks (=CRLF), never
// inside an =XX escape.
func mimeQPWrp(L *lua.LState) int {
	left := L.CheckInt(1)
	length := L.OptInt(3, 76)
	c, okC := optChunk(L, 2)
	if !okC {
		return wrapEnd(L, left, length, "=\r\n")
	}
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; ch {
		case '\r':
		case '\n':
			b.WriteString("\r\n")
			left = length
		case '=':
			if left <= 3 {
				b.WriteString("=\r\n")
				left = length
			}
			b.WriteByte(ch)
			left--
		default:
			if left <= 1 {
				b.WriteString("=\r\n")
				left = length
			}
			b.WriteByte(ch)
			left--
		}
	}
	L.Push(lua.LString(b.String()))
	L.Push(lua.LNumber(left))
	return 2
}

// mimeEOL is A, ctx = eol(ctx, C [, marker]): every CR, LF, CRLF and LFCR in C
// becomes marker; ctx carries a line-break byte whose partner may start the
// next chunk.
func mimeEOL(L *lua.LState) int {
	last := byte(L.CheckInt(1))
	c, okC := optChunk(L, 2)
	marker := L.OptString(3, "\r\n")
	if !okC {
		L.Push(lua.LNil)
		L.Push(lua.LNumber(0))
		return 2
	}
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		ch := c[i]
		if ch == '\r' || ch == '\n' {
			if (last == '\r' || last == '\n') && ch != last {
				last = 0
				continue
			}
			b.WriteString(marker)
			last = ch
			continue
		}
		b.WriteByte(ch)
		last = 0
	}
	L.Push(lua.LString(b.String()))
	L.Push(lua.LNumber(last))
	return 2
}

// mimeDot is A, m = dot(m, C): SMTP dot-stuffing, doubling a '.' that starts a
// line; m counts the CRLF seen so far (2: at the start of a line).
func mimeDot(L *lua.LState) int {
	state := L.CheckInt(1)
	c, okC := optChunk(L, 2)
	if !okC {
		L.Push(lua.LNil)
		L.Push(lua.LNumber(2))
		return 2
	}
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		ch := c[i]
		b.WriteByte(ch)
		switch {
		case ch == '\r':
			state = 1
		case ch == '\n' && state == 1:
			state = 2
		case ch == '.' && state == 2:
			b.WriteByte('.')
			state = 0
		default:
			state = 0
		}
	}
	L.Push(lua.LString(b.String()))
	L.Push(lua.LNumber(state))
	return 2
}

// wrapEnd is wrp's and qpwrp's answer to the end of the text: a final line
// break (brk) when the last line is not empty, and a fresh line's length.
func wrapEnd(L *lua.LState, left, length int, brk string) int {
	if left < length {
		L.Push(lua.LString(brk))
	} else {
		L.Push(lua.LNil)
	}
	L.Push(lua.LNumber(length))
	return 2
}
