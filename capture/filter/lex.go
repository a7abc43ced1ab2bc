package filter

import (
	"strconv"
	"strings"
)

type tokKind uint8

const (
	tEOF    tokKind = iota
	tWord           // field names, keywords, numbers, addresses, byte strings
	tString         // a quoted string; text is the unescaped value
	tOp             // an operator; text is as written
	tLParen         // (
	tRParen         // )
	tLBrace         // {
	tRBrace         // }
	tSlice          // [...]; text is what is between the brackets
	tComma          // ,
	tDotDot         // ..
)

type token struct {
	kind tokKind
	text string
	pos  int
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == ':' || c == '-' || c == '/' || c >= 0x80
}

// operators, longest first so the lexer takes the longest match.
var displayOps = []string{"===", "!==", "==", "!=", "<=", ">=", "~=", "&&", "||", "^^", "<", ">", "~", "!", "&"}

// lexDisplay splits a display filter into tokens.
func lexDisplay(src string) []token {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", i})
			i++
		case c == '{':
			toks = append(toks, token{tLBrace, "{", i})
			i++
		case c == '}':
			toks = append(toks, token{tRBrace, "}", i})
			i++
		case c == '#':
			toks = append(toks, token{tOp, "#", i})
			i++
		case c == ',':
			toks = append(toks, token{tComma, ",", i})
			i++
		case c == '[':
			end := strings.IndexByte(src[i:], ']')
			if end < 0 {
				fail(src, i, "%q is not closed: a byte slice is written [start:length]", "[")
			}
			toks = append(toks, token{tSlice, src[i+1 : i+end], i})
			i += end + 1
		case (c == 'r' || c == 'R') && i+1 < len(src) && src[i+1] == '"' && (i == 0 || !isWordByte(src[i-1])):
			// A raw string, r"\d+": no escapes, handy for regular expressions.
			end := strings.IndexByte(src[i+2:], '"')
			if end < 0 {
				fail(src, i, "string is not closed (expected \")")
			}
			toks = append(toks, token{tString, src[i+2 : i+2+end], i})
			i += end + 3
		case c == '"':
			s, n := lexString(src, i)
			toks = append(toks, token{tString, s, i})
			i += n
		case c == '\'':
			// A character constant: 'a', '\n', '\x41'.
			j := i + 1
			for j < len(src) && src[j] != '\'' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				fail(src, i, "character constant is not closed (expected ')")
			}
			toks = append(toks, token{tWord, src[i : j+1], i})
			i = j + 1
		case isWordByte(c) || c == '+' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1 // a number may start with + (ip.ttl == +64), as in Wireshark
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			toks = appendWord(toks, src[i:j], i)
			i = j
		default:
			op := ""
			for _, o := range displayOps {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				switch c {
				case '=':
					fail(src, i, "%q is not an operator; use == to compare", "=")
				case '|':
					fail(src, i, "%q is not an operator; use || (or) to combine tests", "|")
				case '^':
					fail(src, i, "%q is not an operator; use ^^ (xor)", "^")
				}
				fail(src, i, "unexpected character %q", string(rune(c)))
			}
			toks = append(toks, token{tOp, op, i})
			i += len(op)
		}
	}
	return append(toks, token{tEOF, "", len(src)})
}

// appendWord adds a word, splitting it at ".." (a range in a set: 8000..8080).
func appendWord(toks []token, w string, pos int) []token {
	for {
		k := strings.Index(w, "..")
		if k < 0 {
			break
		}
		if k > 0 {
			toks = append(toks, token{tWord, w[:k], pos})
		}
		toks = append(toks, token{tDotDot, "..", pos + k})
		w = w[k+2:]
		pos += k + 2
	}
	if w != "" {
		toks = append(toks, token{tWord, w, pos})
	}
	return toks
}

// lexString reads the quoted string at src[i] and returns its value and length in
// src. Escapes are C's: \n \r \t \a \b \f \v \\ \" \' \xNN \NNN (octal).
func lexString(src string, i int) (string, int) {
	var b strings.Builder
	j := i + 1
	for {
		if j >= len(src) {
			fail(src, i, "string is not closed (expected \")")
		}
		c := src[j]
		if c == '"' {
			return b.String(), j + 1 - i
		}
		if c != '\\' {
			b.WriteByte(c)
			j++
			continue
		}
		if j+1 >= len(src) {
			fail(src, i, "string is not closed (expected \")")
		}
		e := src[j+1]
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '\\', '"', '\'':
			b.WriteByte(e)
		case 'x':
			k := j + 2
			for k < len(src) && k < j+4 && isHex(src[k]) {
				k++
			}
			if k == j+2 {
				fail(src, j, "\\x must be followed by hex digits")
			}
			n, _ := strconv.ParseUint(src[j+2:k], 16, 8)
			b.WriteByte(byte(n))
			j = k
			continue
		case '0', '1', '2', '3', '4', '5', '6', '7':
			k := j + 1
			for k < len(src) && k < j+4 && src[k] >= '0' && src[k] <= '7' {
				k++
			}
			n, err := strconv.ParseUint(src[j+1:k], 8, 8)
			if err != nil {
				fail(src, j, "octal escape %q is out of range", src[j:k])
			}
			b.WriteByte(byte(n))
			j = k
			continue
		default:
			fail(src, j, "unknown escape %s in string (known: \\n \\r \\t \\\\ \\\" \\xNN \\NNN)", src[j:j+2])
		}
		j += 2
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// cursor walks a token list ending in tEOF; both parsers embed it.
type cursor struct {
	toks []token
	i    int
}

func (c *cursor) peek() token { return c.toks[c.i] }

// peekAt is the token k ahead of the next one, or the final tEOF.
func (c *cursor) peekAt(k int) token {
	if c.i+k < len(c.toks) {
		return c.toks[c.i+k]
	}
	return c.toks[len(c.toks)-1]
}

// next consumes a token; at tEOF it stays there.
func (c *cursor) next() token {
	t := c.toks[c.i]
	if t.kind != tEOF {
		c.i++
	}
	return t
}

// is reports whether the next token is one of the given operators or keywords.
func (c *cursor) is(alts ...string) bool {
	t := c.peek()
	if t.kind != tOp && t.kind != tWord {
		return false
	}
	for _, a := range alts {
		if t.text == a {
			return true
		}
	}
	return false
}
