-- A standard function called as a method (s:rep({})) counts its arguments
-- after self, and an error in self is 'calling 'f' on bad self', as Lua 5.1's
-- luaL_argerror words them.
local s = "abc"
print(pcall(function() return s:rep({}) end))
print(pcall(function() return s:rep() end))
print(pcall(function() return ("x"):sub({}) end))
print(pcall(function() return s:format(1) end))
print(pcall(function() return s:byte({}) end))
print(pcall(function() return s:find({}) end))
print(pcall(function() return s:gsub("a") end))
print(pcall(function() return s:gsub("a", true) end))
print(pcall(function() return s:rep(2, 3):rep({}) end))
print(pcall(function() local t = {rep = string.rep}; return t:rep(2) end))
print(pcall(function() local t = {rep = string.rep}; return t.rep(t, 2) end))
print(pcall(function() local t = {ins = table.insert}; return t:ins(1, 2, 3) end))
print(pcall(function() local t = {c = table.concat}; return t:c({}) end))
print(pcall(function() local t = {f = math.floor}; return t:f() end))
print(pcall(function() return s.rep(s, {}) end))
print(pcall(function() return s:upper():rep() end))
print(pcall(function() return string.rep(s, {}) end))
