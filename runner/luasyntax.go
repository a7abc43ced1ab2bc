package runner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
	"go.yaml.in/yaml/v3"
)

// maxLuaSize bounds a Lua file the loader parses to check its syntax.
const maxLuaSize = 4 << 20

// luaChunk is a lab Lua file parsed once at load time: its statements, or why
// it does not compile.
type luaChunk struct {
	stmts    []ast.Stmt
	err      string // "" when it compiles
	reported bool   // err was already reported at one key naming the file
}

// luaParse parses the Lua file abs (named name in messages) without running it,
// caching the result for files several keys name.
func (d *decoder) luaParse(abs, name string) *luaChunk {
	if c, ok := d.luaFiles[abs]; ok {
		return c
	}
	c := &luaChunk{}
	if d.luaFiles == nil {
		d.luaFiles = map[string]*luaChunk{}
	}
	d.luaFiles[abs] = c
	f, err := openLabFile(abs)
	if err != nil {
		c.err = err.Error()
		return c
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxLuaSize+1))
	switch {
	case err != nil:
		c.err = err.Error()
		return c
	case len(src) > maxLuaSize:
		c.err = fmt.Sprintf("the file is larger than %d bytes", maxLuaSize)
		return c
	}
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF")) // a UTF-8 BOM, as Lua 5.2+ skips it
	if len(src) > 0 && src[0] == '#' {
		// A first line starting with # (a shebang) is skipped, as lua does;
		// keep the line so positions stay right.
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			src = src[i:]
		} else {
			src = nil
		}
	}
	if err := lualib.CheckNesting(string(src), name); err != nil {
		c.err = err.Error()
		return c
	}
	c.stmts, err = parse.Parse(bytes.NewReader(src), name)
	if err != nil {
		c.err = lualib.SyntaxMessage(string(src), name) // C Lua 5.1's words
		if c.err == "" {
			c.err = luaSyntaxMessage(name, err)
		}
	}
	return c
}

// luaSyntaxMessage turns a gopher-lua parse error into "file:line: reason near 'x'".
func luaSyntaxMessage(name string, err error) string {
	var pe *parse.Error
	if !errors.As(err, &pe) {
		return strings.TrimSpace(err.Error())
	}
	msg := strings.TrimSpace(pe.Message)
	if pe.Pos.Line == parse.EOF || pe.Pos.Line <= 0 {
		return fmt.Sprintf("%s: %s at the end of the file", name, msg)
	}
	if pe.Token != "" {
		return fmt.Sprintf("%s:%d: %s near %q", name, pe.Pos.Line, msg, pe.Token)
	}
	return fmt.Sprintf("%s:%d: %s", name, pe.Pos.Line, msg)
}

// luaCompiles reports at n when the Lua file abs, written name in the lab, does
// not compile. what names the key ("submission file", `service "s" script`).
func (d *decoder) luaCompiles(n *yaml.Node, what, name, abs string) (*luaChunk, bool) {
	c := d.luaParse(abs, name)
	if c.err == "" {
		return c, true
	}
	if !c.reported {
		c.reported = true
		d.Errorf(n, "%s %q does not compile: %s", what, name, c.err)
	}
	return c, false
}

// luaDefines reports whether a chunk defines the global function fn at its top
// level (`function fn(` or `fn = function`), and lists the global functions it
// does define. dynamic is true when the chunk assigns through _G or rawset, so
// what it defines cannot be told without running it.
func luaDefines(stmts []ast.Stmt, fn string) (found bool, defined []string, dynamic bool) {
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			defined = append(defined, name)
		}
		if name == fn {
			found = true
		}
	}
	for _, st := range stmts {
		switch s := st.(type) {
		case *ast.FuncDefStmt:
			if s.Name == nil {
				continue
			}
			if id, ok := s.Name.Func.(*ast.IdentExpr); ok {
				add(id.Value)
			}
		case *ast.AssignStmt:
			for i, l := range s.Lhs {
				switch lhs := l.(type) {
				case *ast.IdentExpr:
					if i < len(s.Rhs) {
						if _, ok := s.Rhs[i].(*ast.FunctionExpr); ok {
							add(lhs.Value)
						} else if lhs.Value == fn {
							dynamic = true // fn = other_function: a function, maybe
						}
					}
				case *ast.AttrGetExpr:
					if id, ok := lhs.Object.(*ast.IdentExpr); ok && id.Value == "_G" {
						dynamic = true
					}
				}
			}
		case *ast.FuncCallStmt:
			if call, ok := s.Expr.(*ast.FuncCallExpr); ok {
				if id, ok := call.Func.(*ast.IdentExpr); ok && (id.Value == "rawset" || id.Value == "setfenv") {
					dynamic = true
				}
			}
		}
	}
	sort.Strings(defined)
	return found, defined, dynamic
}
