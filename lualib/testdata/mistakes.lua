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
for _, src in ipairs{"x = ", "if x then", "local function f() return 1", "x = = 1", "for i = 1 do end", "print('a)", "f(", "local 1 = 2", "return return"} do
  local f, err = loadstring(src, "=src")
  print(err)
end
