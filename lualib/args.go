package lualib

import lua "github.com/yuin/gopher-lua"

// SetArgs sets the global arg as the standalone lua interpreter does:
// arg[0] is the script, arg[1..n] its arguments.
func (s *State) SetArgs(script string, args []string) {
	t := s.L.CreateTable(len(args), 1)
	t.RawSetInt(0, lua.LString(script))
	for i, a := range args {
		t.RawSetInt(i+1, lua.LString(a))
	}
	s.L.SetGlobal("arg", t)
}
