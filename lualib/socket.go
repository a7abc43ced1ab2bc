package lualib

import lua "github.com/yuin/gopher-lua"

func openSocket(s *State) lua.LValue {
	return s.L.NewTable()
}
