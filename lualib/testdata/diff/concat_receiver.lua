-- A concatenation as a method's receiver, in a for loop's explist and a
-- local's value, its first operand a field or a call (gopher-lua miscompiled a
-- call there: assign.go concatCall): the shape lab checks split output with.
local ctx = {output = "80\n443"}
for line in (ctx.output .. "\n"):gmatch("([^\n]*)\n") do print(line) end
local s = (ctx.output .. "!"):upper()
print(s)
local n = 0
for w in ("a b " .. ctx.output):gmatch("%S+") do n = n + 1 end
print(n)
local ctx = {output = "80"}
for line in (tostring(ctx.output) .. '\n'):gmatch('(%d+)') do print(line) end
local s = (tostring(ctx.output) .. 'y'):upper() print(s)
local a, b = (tostring(ctx.output) .. 'x'):upper(), 2 print(a, b)
print(tostring(1) .. tostring(2) .. string.rep("z", 2) .. (#"abc"))
local function f() return nil end
print(pcall(function() return "a" .. f() end))
local t = setmetatable({}, {__concat = function(x, y) return "M" end})
local function h() return t end
print(h() .. "x", "x" .. h())
for k, v in pairs({a = 1}) do local s2 = (tostring(k) .. "=" .. tostring(v)):upper() print(s2) end
