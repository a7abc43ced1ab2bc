package lualib

import (
	"io"

	lua "github.com/yuin/gopher-lua"
)

// installIO gives scripts the part of Lua's io library that touches no file:
// io.write and io.stdout/io.stderr write to the run's output (as print does),
// io.read and io.stdin read an empty input (nil, as at end of file), io.type,
// io.output() and io.input(). Opening files stays unavailable, with the reason.
func (s *State) installIO() *lua.LTable {
	L := s.L
	const why = "scripts cannot touch files; io.write and print write the run's output"
	mt := L.NewTable()
	methods := L.NewTable()
	mt.RawSetString("__index", methods)
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("file (" + L.CheckUserData(1).Value.(*luaFile).name + ")"))
		return 1
	}))
	protect(mt)
	newFile := func(name string, w io.Writer) *lua.LUserData {
		ud := L.NewUserData()
		ud.Value = &luaFile{name: name, w: w}
		L.SetMetatable(ud, mt)
		return ud
	}
	stdout := newFile("stdout", s.env.Stdout)
	stderr := newFile("stderr", s.env.Stdout)
	stdin := newFile("stdin", nil)
	file := func(L *lua.LState) *luaFile {
		if ud, ok := L.Get(1).(*lua.LUserData); ok {
			if f, isFile := ud.Value.(*luaFile); isFile {
				return f
			}
		}
		typeError(L, 1, "FILE*")
		return nil
	}
	write := func(L *lua.LState, f *luaFile, from int) int {
		for i := from; i <= L.GetTop(); i++ {
			var s string
			switch v := L.Get(i).(type) {
			case lua.LNumber:
				s = numberString(v)
			case lua.LString:
				s = string(v)
			default:
				typeError(L, i, "string")
			}
			if f.w == nil {
				L.Push(lua.LNil)
				L.Push(lua.LString("Bad file descriptor"))
				L.Push(lua.LNumber(9))
				return 3
			}
			io.WriteString(f.w, s)
		}
		L.Push(lua.LTrue) // Lua 5.1 returns true; 5.2 the file
		return 1
	}
	// read returns nil for every format: the input is empty. The format is
	// checked as C's g_read checks it.
	readFrom := func(L *lua.LState, first int) int {
		// the first read fails (the input is empty), and C reads no
		// further: only the first format is checked
		for n := first; n <= min(first, L.GetTop()); n++ {
			switch v := L.Get(n).(type) {
			case lua.LNumber:
			case lua.LString:
				if len(v) < 2 || v[0] != '*' || (v[1] != 'n' && v[1] != 'l' && v[1] != 'a') {
					if len(v) == 0 || v[0] != '*' {
						L.ArgError(n, "invalid option")
					}
					L.ArgError(n, "invalid format")
				}
			default:
				L.ArgError(n, "invalid option")
			}
		}
		L.Push(lua.LNil)
		return 1
	}
	read := func(L *lua.LState) int { return readFrom(L, 1) }
	// the iterator of lines: a line, which the empty input has not
	eof := func(L *lua.LState) int {
		L.Push(lua.LNil)
		return 1
	}
	// option is luaL_checkoption (def "" for none).
	option := func(L *lua.LState, n int, def string, names ...string) {
		name := def
		if def == "" || L.Get(n) != lua.LNil {
			name = checkLString(L, n)
		}
		for _, o := range names {
			if o == name {
				return
			}
		}
		L.ArgError(n, "invalid option '"+name+"'")
	}
	L.SetFuncs(methods, map[string]lua.LGFunction{
		"write": func(L *lua.LState) int { return write(L, file(L), 2) },
		"read":  func(L *lua.LState) int { file(L); return readFrom(L, 2) },
		"lines": func(L *lua.LState) int {
			file(L)
			L.Push(L.NewFunction(eof))
			return 1
		},
		"flush": func(L *lua.LState) int { file(L); L.Push(L.Get(1)); return 1 },
		"setvbuf": func(L *lua.LState) int {
			file(L)
			option(L, 2, "", "no", "full", "line")
			L.Push(lua.LTrue)
			return 1
		},
		"close": func(L *lua.LState) int {
			file(L)
			L.Push(lua.LNil)
			L.Push(lua.LString("cannot close standard file"))
			return 2
		},
		"seek": func(L *lua.LState) int {
			file(L)
			option(L, 2, "cur", "set", "cur", "end")
			if L.Get(3) != lua.LNil {
				luaCheckNumber(L, 3)
			}
			L.Push(lua.LNil)
			L.Push(lua.LString("Illegal seek"))
			L.Push(lua.LNumber(29))
			return 3
		},
	})
	t := L.NewTable()
	t.RawSetString("stdout", stdout)
	t.RawSetString("stderr", stderr)
	t.RawSetString("stdin", stdin)
	L.SetFuncs(t, map[string]lua.LGFunction{
		"write": func(L *lua.LState) int { return write(L, stdout.Value.(*luaFile), 1) },
		"read":  read,
		"lines": func(L *lua.LState) int {
			if L.GetTop() > 0 {
				L.RaiseError("io.lines(file) is not available in wirelab's sandbox (%s)", why)
			}
			L.Push(L.NewFunction(eof))
			return 1
		},
		"output": func(L *lua.LState) int {
			if L.GetTop() > 0 && L.Get(1) != stdout && L.Get(1) != stderr {
				L.RaiseError("io.output(file) is not available in wirelab's sandbox (%s)", why)
			}
			L.Push(stdout)
			return 1
		},
		"input": func(L *lua.LState) int {
			if L.GetTop() > 0 && L.Get(1) != stdin {
				L.RaiseError("io.input(file) is not available in wirelab's sandbox (%s)", why)
			}
			L.Push(stdin)
			return 1
		},
		"type": func(L *lua.LState) int {
			if L.GetTop() == 0 {
				L.ArgError(1, "value expected")
			}
			if ud, ok := L.Get(1).(*lua.LUserData); ok {
				if _, ok := ud.Value.(*luaFile); ok {
					L.Push(lua.LString("file"))
					return 1
				}
			}
			L.Push(lua.LNil)
			return 1
		},
	})
	for _, name := range []string{"open", "close", "popen", "tmpfile"} {
		t.RawSetString(name, s.unavailable("io."+name, why))
	}
	return t
}

// luaFile is one of the standard files a script sees; w nil: it reads only.
type luaFile struct {
	name string
	w    io.Writer
}
