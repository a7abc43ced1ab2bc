-- A concatenation as a method's receiver, in a for loop's explist and a
-- local's value: the shape lab checks use to split output into lines.
local ctx = {output = "80\n443"}
for line in (ctx.output .. "\n"):gmatch("([^\n]*)\n") do print(line) end
local s = (ctx.output .. "!"):upper()
print(s)
local n = 0
for w in ("a b " .. ctx.output):gmatch("%S+") do n = n + 1 end
print(n)
