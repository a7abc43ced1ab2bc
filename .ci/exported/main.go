// Command exported lists the exported functions, constants and variables of
// wirelab's internal/ packages that no other package uses (tests included):
// an internal package exports only what the rest of wirelab imports. A
// constant is left alone when another constant of its block is used outside
// (the values of one enumeration stay together). Public packages (capture,
// runner, lualib, ...) are an API for Go users and are not checked.
//
// Usage, from the repository root: (cd .ci/exported && go run . ../..)
package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

const module = "github.com/wirelab-dev/wirelab"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: exported REPO")
		os.Exit(2)
	}
	mode := packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedImports | packages.NeedDeps
	root, err := filepath.Abs(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cfg := &packages.Config{Mode: mode, Tests: true, Dir: root}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if packages.PrintErrors(pkgs) > 0 {
		os.Exit(2)
	}
	type def struct {
		obj   types.Object
		block string // position of the const block, "" for none
	}
	defs := map[string]def{}               // declaration position -> object
	usedBy := map[string]map[string]bool{} // declaration position -> packages using it
	for _, p := range pkgs {               // ./... with tests: every package of the module, each as built and as tested
		if p.TypesInfo == nil {
			continue
		}
		home := strings.TrimSuffix(strings.TrimSuffix(p.PkgPath, ".test"), "_test")
		if strings.HasPrefix(home, module+"/internal/") {
			for _, f := range p.Syntax {
				name := p.Fset.Position(f.Pos()).Filename
				if strings.HasSuffix(name, "_test.go") {
					continue
				}
				for _, d := range f.Decls {
					switch d := d.(type) {
					case *ast.FuncDecl:
						if d.Recv == nil && d.Name.IsExported() {
							defs[p.Fset.Position(d.Name.Pos()).String()] = def{obj: p.TypesInfo.Defs[d.Name]}
						}
					case *ast.GenDecl:
						if d.Tok != token.CONST && d.Tok != token.VAR {
							continue
						}
						block := ""
						if d.Tok == token.CONST && d.Lparen.IsValid() {
							block = p.Fset.Position(d.Pos()).String()
						}
						for _, s := range d.Specs {
							for _, n := range s.(*ast.ValueSpec).Names {
								if n.IsExported() {
									defs[p.Fset.Position(n.Pos()).String()] = def{obj: p.TypesInfo.Defs[n], block: block}
								}
							}
						}
					}
				}
			}
		}
		for _, obj := range p.TypesInfo.Uses {
			if obj.Pkg() == nil {
				continue
			}
			k := p.Fset.Position(obj.Pos()).String()
			if usedBy[k] == nil {
				usedBy[k] = map[string]bool{}
			}
			usedBy[k][home] = true
		}
	}
	outside := func(pos string, d def) bool {
		home := d.obj.Pkg().Path()
		for pk := range usedBy[pos] {
			if pk != home {
				return true
			}
		}
		return false
	}
	blockUsed := map[string]bool{}
	for pos, d := range defs {
		if d.block != "" && outside(pos, d) {
			blockUsed[d.block] = true
		}
	}
	var out []string
	for pos, d := range defs {
		if !outside(pos, d) && (d.block == "" || !blockUsed[d.block]) {
			out = append(out, fmt.Sprintf("%s: %s.%s", strings.TrimPrefix(pos, root+string(filepath.Separator)), d.obj.Pkg().Name(), d.obj.Name()))
		}
	}
	sort.Strings(out)
	for _, s := range out {
		fmt.Println(s)
	}
	if len(out) > 0 {
		os.Exit(1)
	}
}
