-- Culprit names after a block's locals are gone: gopher-lua's debug
-- information kept a for loop's k (an if's, a do's, a while's local) alive
-- to the end of the function, so a later local in its register was named 'k'.
local function f1()
  local t = {1}
  for k in pairs(t) do end
  local a, b, c, y
  return y.z
end
print(pcall(f1))
local function f2()
  local t = {1}
  for k, v in ipairs(t) do end
  local a, b, c
  local y = nil
  return y.z
end
print(pcall(f2))
local function f3()
  local t = {1}
  for i = 1, 2 do end
  local a, b, c, y
  return y.z
end
print(pcall(f3))
local function f4()
  local t = {}
  for k in pairs(t) do end
  return t.a.b
end
print(pcall(f4))
local function f5()
  local t = {}
  for k in pairs(t) do end
  local u = {}
  return u.a.b
end
print(pcall(f5))
local function f6(q)
  for k in pairs({}) do end
  return q.x, undefinedglobal.y
end
print(pcall(f6, {}))
local function g1(a)
  if a then local b = 1 end
  local c
  return c.x
end
print(pcall(g1, true))
local function g2(a)
  do local b = 1 end
  local c
  return c.x
end
print(pcall(g2, true))
local function g3(a)
  while false do local b = 1 end
  local c
  return c.x
end
print(pcall(g3, true))
local function g4(a)
  for i = 1, 2 do local b = 1 end
  local c, d, e, f, h
  return h.x
end
print(pcall(g4, true))
local function h1(t)
  for i = 1, 2 do
    local v = t[i]
    if v then local w = v.x end
  end
end
print(pcall(h1, {1, 2}))
local function h2(t)
  for k, v in pairs(t) do
    local u = v.y.z
  end
end
print(pcall(h2, {a = {}}))
local function h3(t)
  while true do
    local a = t
    do local b = a.q; local c = b.r end
  end
end
print(pcall(h3, {}))
local function h4(t)
  repeat local z = t.a until z.b
end
print(pcall(h4, {}))
local obj = {}
function obj:m(x)
  for i = 1, 1 do end
  local q
  return self.n.x, q.y
end
print(pcall(obj.m, obj, 1))
local function h5(...)
  for i = 1, select('#', ...) do local a = (select(i, ...)) end
  local r
  return r.x
end
print(pcall(h5, 1, 2))
local function h6(t)
  if t then
    local a = 1
  else
    local b = 2
  end
  local c, d
  return d.x
end
print(pcall(h6, true))
local function h7(t)
  local f = function() for i = 1, 2 do end local z; return z.x end
  for i = 1, 1 do end
  local y
  return f()
end
print(pcall(h7))
local function h8(t)
  for i = 1, 2 do
    for j = 1, 2 do end
    local jj
    local x = jj.k
  end
end
print(pcall(h8))
local function h9(t)
  for i = 1, 2 do
    local a
    if i == 2 then return a.x end
  end
end
print(pcall(h9))
local function h10()
  local s = 0
  for i = 1, 3 do s = s + i end
  local n
  return n + 1
end
print(pcall(h10))
