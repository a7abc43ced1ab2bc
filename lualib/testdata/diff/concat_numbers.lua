-- `..` as Lua 5.1's luaV_concat (lualib/concat.go): numbers as %.14g, right to
-- left with as many strings at once as there are, __concat of a table on
-- either side, a call or `...` cut to one value, and the culprit named.
print("avg: " .. 10/3, 1 .. 2, 2^53 .. "", 1e14 .. "|" .. 99999999999999, 0.1 .. "", -1.5 .. "")
print(1/0 .. "", -1/0 .. "", 123456789012345 .. "", 2^63 .. "", 1e-5 .. "", 3 .. 4 .. 5)
local log = {}
local mt = {__concat = function(a, b)
  local function s(v) return type(v) == "table" and "T" or tostring(v) end
  log[#log + 1] = s(a) .. "+" .. s(b)
  return setmetatable({}, getmetatable(type(a) == "table" and a or b))
end}
local t = setmetatable({}, mt)
local r = "a" .. "b" .. t .. "c" .. "d" .. t
print(type(r), table.concat(log, " "))
log = {}
r = (t .. "x") .. "y"
print(type(r), table.concat(log, " "))
local function two() return "p", "q" end
print("x" .. two(), select("#", "x" .. two()))
print(pcall(function(...) return "a" .. ... end, "v1", "v2"))
print(pcall(function() local x; return "a" .. x end))
print(pcall(function() return "a" .. undefinedglobal .. "b" end))
print(pcall(function() local q = {}; return q .. "a" end))
print(pcall(function() local q = {}; return 1 .. q end))
local up
print(pcall(function() return "z" .. up end))
print(pcall(function() local o = {f = {}}; return "z" .. o.f end))
print(pcall(function() return "z" .. true end))
print(pcall(function() local a, b = "s", nil; return a .. b .. "c" end))
local s = ""
for i = 1, 5 do s = s .. i / 2 .. ";" end
print(s)
print(("n=" .. 7 / 7):upper(), #("" .. 1/3))
local x, y = "1"
print(pcall(function() print("a" .. x) print("b" .. y) end))
print(pcall(function() local xs, ys = "1"; io.write("a" .. xs, "\n") io.write("b" .. ys, "\n") end))
