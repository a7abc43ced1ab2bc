package lualib

import (
	"fmt"
	"strings"
)

// maxSyntaxLevels is C Lua 5.1's LUAI_MAXCCALLS: its parser counts one C level
// for every block and every (sub)expression it enters and gives up past 200.
// gopher-lua's parser and compiler have no such limit: a chunk nested 200,000
// deep takes seconds and hundreds of MiB to parse and compile, and deeper
// still overflows the Go stack, which kills the grader, not just the script.
const maxSyntaxLevels = 200

// CheckNesting scans the Lua source src (named name in messages) without
// parsing it and returns C Lua's error "name:line: chunk has too many syntax
// levels" when it is nested deeper than C Lua 5.1 accepts; nil otherwise,
// including for code that does not lex (the parser reports that).
//
// The scan counts a lower bound of the levels C Lua's parser enters: one for
// the main chunk and the C call that starts it, one for each open bracket ( [ {,
// each open block (function, do, if, repeat), each unary operator and each
// right-associative operator (.. ^) still pending in an expression. It never
// refuses a chunk C Lua compiles; it may accept one nested a level or two deeper
// than C Lua does, which gopher-lua then compiles.
func CheckNesting(src, name string) error {
	if strings.HasPrefix(name, "=") || strings.HasPrefix(name, "@") {
		name = name[1:] // as C Lua shows a chunk name
	}
	type frame struct{ base, chain int }
	var stack []frame
	base, chain := 2, 0 // the C call into the parser, and the main chunk
	line := 1
	operand := false // the last token ends an operand (so "-" is binary)
	params := false  // after "function": the next ( opens its parameter list
	i := 0
	n := len(src)
	open := func() error {
		stack = append(stack, frame{base, chain})
		base, chain = base+chain+1, 0
		if params {
			base-- // a parameter list is not an expression
			params = false
		}
		if base > maxSyntaxLevels {
			return fmt.Errorf("%s:%d: chunk has too many syntax levels", name, line)
		}
		return nil
	}
	closeLevel := func() {
		if len(stack) > 0 {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			base, chain = f.base, f.chain
		}
	}
	pending := func() error {
		chain++
		if base+chain > maxSyntaxLevels {
			return fmt.Errorf("%s:%d: chunk has too many syntax levels", name, line)
		}
		return nil
	}
	for i < n {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '-' && i+1 < n && src[i+1] == '-':
			i += 2
			if lvl, ok := longBracket(src, i); ok {
				i = skipLong(src, i, lvl, &line)
			} else {
				for i < n && src[i] != '\n' {
					i++
				}
			}
			continue
		case c == '[':
			if lvl, ok := longBracket(src, i); ok {
				i = skipLong(src, i, lvl, &line)
				if operand {
					chain = 0 // a call f[[...]]: its own expression
				}
				operand = true
				continue
			}
			i++
			if err := open(); err != nil {
				return err
			}
			operand = false
			continue
		case c == '"' || c == '\'':
			i++
			for i < n && src[i] != c && src[i] != '\n' {
				if src[i] == '\\' && i+1 < n {
					if src[i+1] == '\n' {
						line++
					}
					i++
				}
				i++
			}
			if i < n && src[i] == c {
				i++
			}
			operand = true
			continue
		case isNameStart(c):
			j := i
			for j < n && (isNameStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			word := src[i:j]
			i = j
			switch word {
			case "function", "do", "if", "repeat":
				if word != "function" || operand {
					chain = 0 // a statement: the expression before it is over
				}
				if err := open(); err != nil {
					return err
				}
				operand = false
				params = word == "function"
			case "end":
				closeLevel()
				operand = true // function ... end is an operand
			case "until":
				closeLevel()
				operand = false
			case "not":
				if err := pending(); err != nil {
					return err
				}
				operand = false
			case "nil", "true", "false":
				if operand {
					chain = 0
				}
				operand = true
			case "and", "or":
				chain = 0
				operand = false
			case "then", "else", "elseif", "while", "for", "in", "local", "return", "break":
				chain = 0
				operand = false
			default:
				if operand {
					chain = 0 // two operands in a row: a new statement
				}
				operand = true
			}
			continue
		case c >= '0' && c <= '9' || c == '.' && i+1 < n && src[i+1] >= '0' && src[i+1] <= '9':
			for i < n && (isNameStart(src[i]) || src[i] >= '0' && src[i] <= '9' || src[i] == '.' ||
				(src[i] == '-' || src[i] == '+') && (src[i-1] == 'e' || src[i-1] == 'E')) {
				i++
			}
			operand = true
			continue
		}
		i++
		switch c {
		case '(', '{':
			if err := open(); err != nil {
				return err
			}
			operand = false
		case ')', ']', '}':
			closeLevel()
			operand = true
		case '#':
			if err := pending(); err != nil {
				return err
			}
			operand = false
		case '-':
			if !operand {
				if err := pending(); err != nil {
					return err
				}
			} else {
				chain = 0
			}
			operand = false
		case '^':
			if err := pending(); err != nil {
				return err
			}
			operand = false
		case '.':
			if i < n && src[i] == '.' {
				i++
				if i < n && src[i] == '.' {
					i++ // ...
					operand = true
					continue
				}
				if err := pending(); err != nil {
					return err
				}
			}
			operand = false
		case ':':
			operand = false
		default: // + * / % = == ~= < > <= >= , ;
			chain = 0
			operand = false
		}
	}
	return nil
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// longBracket reports whether src[i:] opens a long bracket [[ or [==[ and its level.
func longBracket(src string, i int) (int, bool) {
	if i >= len(src) || src[i] != '[' {
		return 0, false
	}
	j := i + 1
	for j < len(src) && src[j] == '=' {
		j++
	}
	if j < len(src) && src[j] == '[' {
		return j - i - 1, true
	}
	return 0, false
}

// skipLong returns the index past the long bracket of level lvl opening at
// src[i], counting the lines it spans; len(src) when it is not closed.
func skipLong(src string, i, lvl int, line *int) int {
	i += lvl + 2
	for i < len(src) {
		switch src[i] {
		case '\n':
			*line++
		case ']':
			j := i + 1
			for j < len(src) && src[j] == '=' {
				j++
			}
			if j-i-1 == lvl && j < len(src) && src[j] == ']' {
				return j + 1
			}
		}
		i++
	}
	return i
}
