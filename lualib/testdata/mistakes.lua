-- Common mistakes a student makes and the error each gives (TestErrorWording
-- compares wirelab's with C Lua 5.1's; docs/lua-api.md lists the differences).
local socket = require("socket")
local cases = {
  function() local c = socket.tcp(); c:recieve() end,
  function() undefinedfn() end,
  function() local t = nil; return t.x end,
  function() return undefinedglobal.x end,
  function() local t = {}; return t.a.b end,
  function() local x = "a"; return x + 1 end,
  function() local x; return x + 1 end,
  function() return {} .. "x" end,
  function() local t = {}; t.f() end,
  function() local s = "x"; s:nosuch() end,
  function() return #nil end,
  function() local x = {} ; return x < 1 end,
  function() return nil < 1 end,
  function() local t = {}; return -t end,
  function() error("boom") end,
  function() error("boom", 2) end,
  function() error({code = 1}) end,
  function() error() end,
  function() assert(false) end,
  function() assert(nil, "custom") end,
  function() assert(false, 42) end,
  function() string.rep() end,
  function() ("x"):rep({}) end,
  function() local t = setmetatable({}, {__index = function(t, k) return nil end}); t.x.y = 1 end,
  function() local a = {}; a.b.c = 1 end,
  function() x.y = 1 end,
  function() tostring() end,
  function() ipairs() end,
  function() local up = nil; return (function() return up.x end)() end,
  function() socket.connect() end,
  function() math.floor("x") end,
  function() return ("x")() end,
  function() local t = {} t[nil] = 1 end,
}
for i, f in ipairs(cases) do
  local ok, err = pcall(f)
  print(i, type(err) == "string" and err or type(err))
end
-- Syntax mistakes. Lua 5.1 rejects four more that gopher-lua's parser
-- accepts (docs/lua-api.md): "{1,, 2}", "x = 1e", "'\300'" and a call's "("
-- at the start of a line.
for _, src in ipairs{"x = ", "if x then", "local function f() return 1", "x = = 1", "for i = 1 do end", "print('a)", "f(", "local 1 = 2", "return return",
  "function f()\n  print(1)\n\n", "if x then\n y = 1\nelse\n y = 2\n", "while true do\n x = 1\n", "for i = 1, 10 do\n print(i)\n",
  "repeat\n x = 1\n", "do\n x = 1\n", "t = {1, 2, 3\nprint(t)", "print(\"a\"\n", "x = (1 + 2\ny = 3",
  "if x = 1 then end", "if x then else elseif y then end", "x == 1", "x", "f() = 1", "a, f() = 1, 2", "(x) = 1",
  "x = 1 return 1 y = 2", "break", "function f() break end", "while true do local function g() break end end",
  "function f() return ... end", "local function f(a, 1) end", "function f(a,) end", "function a.b:c.d() end", "x = 3x", "x = 0x", "x = 3..2",
  "x = \"abc\ny\"", "x = [[abc", "--[[ comment", "x = [==[ abc ]=]", "x = [=x", "x = [[ a [[ b ]] ]]", "x = 1 +",
  "a.b:c = 1", "a:b", "local x <const> = 1", "goto done", "x = {[1] 2}", "x = {[1] = }", "x = not", "x = #", "local function = 1",
  "for a, b = 1, 2 do end", "for a b in x do end", "for in x do end", "@", "x = 1 $", "x = ~1", "x = a ~ b", "if x then end end", "return 1,",
  "local a, = 1", "x.1 = 2", "x[1 = 2", "function (a) end", "f(a,)", "x = function() end end", "until x", "elseif x then", "x = y z",
  "local a = 1 local b = 2 c", "\n\n\nx = = 3", "x = '\\\n"} do
  local f, err = loadstring(src, "=src")
  print(err)
end
-- chunk names: the source's first line, a file
print(select(2, loadstring("x = = 1")))
print(select(2, loadstring("local a = 1\nx = = 1")))
print(select(2, loadstring("x = = 1 -- a long line that goes on and on and on and on and on and on")))
print(select(2, loadstring("x = = 1", "@some/file.lua")))
