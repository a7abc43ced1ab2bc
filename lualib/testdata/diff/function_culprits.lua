-- Errors on a function value name it as Lua 5.1 does (functions share the
-- hidden naming metatable nil, booleans and numbers have: lualib/culprit.go),
-- and getmetatable still says a function has none.
local f = print
print(getmetatable(print), getmetatable(function() end))
print(pcall(function() return f.x end))
print(pcall(function() return #print end))
print(pcall(function() print.x = 1 end))
print(pcall(function() return f + 1 end))
print(pcall(function() return 1 + f end))
print(pcall(function() return -f end))
print(pcall(function() return f .. "x" end))
print(pcall(function() return f:method() end))
print(pcall(function() local t = {fn = print}; return t.fn.y end))
print(pcall(function() return f == print, f ~= tostring end))
local t = setmetatable({}, {__add = function(a, b) return "add" end, __index = function() return "idx" end})
print(f + t, t + f, t.anything)
print(rawequal(f, print), type(f), tostring(f) == tostring(print))
