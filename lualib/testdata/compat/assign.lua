-- Multiple assignment evaluates every value before assigning any (Lua 5.1
-- manual 2.4.3); gopher-lua alone assigns as it goes.
local a, b = 1, 2
a, b = b, a
print(a, b)
local x, y, z = 1, 2, 3
x, y, z = "x", x, y
print(x, y, z)
local function f(n, o) n, o = "d", n return n, o end
print(f(5))
local t = {1, 2}
t[1], t[2] = t[2], t[1]
print(t[1], t[2])
local i = 3
local arr = {}
i, arr[i] = i + 1, 20
print(i, arr[3], arr[4])
local j = 1
arr = {}
arr[j], j = 20, 2
print(j, arr[1], arr[2])
local p, q = 0, 0
p, q = p + 1, p + q
print(p, q)
g1, g2 = 1, 2
g1, g2 = g2, g1
print(g1, g2)
local function three() return 7, 8, 9 end
local m, n, o2 = 0, 0, 0
m, n, o2 = three()
print(m, n, o2)
m, n, o2 = 1, three()
print(m, n, o2)
m, n = 1, 2, print("extra evaluated")
print(m, n)
m, n, o2 = (three())
print(m, n, o2)
local up = 0
local function bump() up = up + 1 return up end
local u1, u2 = 0, 0
u1, u2 = bump(), bump()
print(u1, u2, up)
local obj = {v = 1, w = 2}
obj.v, obj.w = obj.w, obj.v
print(obj.v, obj.w)
local function closure()
  local c1, c2 = "a", "b"
  return function() c1, c2 = c2, c1 return c1 .. c2 end
end
local sw = closure()
print(sw(), sw())
for k = 1, 2 do
  local s1, s2 = k, -k
  s1, s2 = s2, s1
  print(k, s1, s2)
end
