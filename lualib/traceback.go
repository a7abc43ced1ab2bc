package lualib

import "strings"

// luaTraceback rewrites gopher-lua's stack traceback in C Lua 5.1's words:
// "[C]" for a function that is not Lua's (gopher-lua says "[G]", a Go
// function) and "(tail call)". With vmError (the error is one culprit.go
// raised) it leaves out the top frame, the metamethod it was raised from:
// C Lua raises such an error inside its VM, in no frame. A traceback of more than 20 levels shows
// its first and last 7 where C Lua shows 12 and 10: gopher-lua keeps no more
// (docs/lua-api.md).
func luaTraceback(tb string, vmError bool) string {
	if tb == "" {
		return ""
	}
	lines := strings.Split(tb, "\n")
	out := make([]string, 0, len(lines))
	for i, l := range lines {
		if i == 1 && vmError && strings.HasPrefix(l, "\t[G]:") {
			continue
		}
		if rest, ok := strings.CutPrefix(l, "\t[G]:"); ok {
			l = "\t[C]:" + rest
		}
		if l == "\t(tailcall): ?" {
			l = "\t(tail call): ?"
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
