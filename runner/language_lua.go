package runner

// LangLua: a Lua script (.lua), run by wirelab's own Lua worker with the
// LuaSocket API and lab.args, as every submission was before programs.
var luaLang = language{
	name:  LangLua,
	title: "a Lua script",
	exts:  []string{".lua"},
	doc:   "a `.lua` script, run by wirelab's own Lua worker (the Lua API: `socket`, `lab.args`)",
}
