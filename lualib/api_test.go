package lualib

import (
	"sort"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/lualib/api"
)

// TestAPIDefinitions checks the LuaLS files against the modules as built: every
// module in the registry has a file, every function of a module table is
// documented, every socket method too, and the concatenated file parses.
func TestAPIDefinitions(t *testing.T) {
	s, _ := newTestState(t, nil)
	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src, ok := api.File(name)
		if !ok {
			t.Errorf("module %q has no lualib/api/%s.lua", name, name)
			continue
		}
		tbl, ok := s.L.GetGlobal(name).(*lua.LTable)
		if !ok {
			t.Errorf("global %q is not a table", name)
			continue
		}
		var check func(prefix string, tbl *lua.LTable)
		check = func(prefix string, tbl *lua.LTable) {
			tbl.ForEach(func(k, v lua.LValue) {
				key := k.String()
				switch v := v.(type) {
				case *lua.LFunction:
					if !strings.Contains(src, "function "+prefix+"."+key+"(") &&
						!strings.Contains(src, "function "+lastPart(prefix)+"."+key+"(") {
						t.Errorf("%s.%s has no definition in lualib/api/%s.lua", prefix, key, name)
					}
				case *lua.LTable:
					if name == "socket" && key == "dns" {
						check(prefix+"."+key, v)
					}
				}
			})
		}
		check(name, tbl)
	}
	socketSrc, _ := api.File("socket")
	for _, set := range []map[string]lua.LGFunction{tcpMethods, udpMethods} {
		for m := range set {
			if !strings.Contains(socketSrc, ":"+m+"(") {
				t.Errorf("socket method %q has no definition in lualib/api/socket.lua", m)
			}
		}
	}
	if _, err := s.L.Load(strings.NewReader(api.All()), "wirelab.lua"); err != nil {
		t.Errorf("wirelab lua-api output does not parse: %v", err)
	}
}

func lastPart(s string) string { return s[strings.LastIndex(s, ".")+1:] }
