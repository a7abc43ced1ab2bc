-- Numbers as text in table.concat (10/3 reads 3.3333333333333, as %.14g
-- writes it) and the string functions, table.remove on an empty table,
-- math.randomseed repeating a sequence, math.random's errors.
print(table.concat({10/3, 0.1+0.2, 1e15}, " "))
io.write(10/3, " ", 1e15, "\n")
io.stdout:write(1/3, "\n")
print(string.len(1/3), string.rep(1/3, 2))
print(string.upper(1e15), string.sub(10/3, 1, 6), string.format("%s|%d|%5.1f", 1/3, 3, 2.25))
print(string.byte(1/3, -1), string.find(10/3, "333"), string.gsub(1/3, "3", "x"))
print(select('#', table.remove({})))
math.randomseed(42); local a = math.random(100); math.randomseed(42); print(a == math.random(100))
print(pcall(table.concat, {1, {}, 3}))
print(table.concat({}, ","), table.concat({1,2,3}, 0.5), table.concat({"a","b","c"}, "-", 2), table.concat({"a","b","c"}, "-", 3, 2))
local t = {1,2,3}; print(table.remove(t, 1), #t, t[1], t[3])
print(table.remove({1,2,3}))
print(pcall(math.random, 2, 1))
print(pcall(math.random, 0))
print(pcall(math.random, 1, 2, 3))
local x = math.random(); print(x >= 0 and x < 1)
for i = 1, 100 do local v = math.random(3, 5); assert(v >= 3 and v <= 5 and v == math.floor(v)) end
print("ok")
