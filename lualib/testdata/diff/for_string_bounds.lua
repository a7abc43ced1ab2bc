-- A numeric for converts string bounds as Lua 5.1 does (lualib/fornum.go), evaluates all three before checking any, and words a bad one as FORPREP does.
for i = 1, "3" do io.write(i, " ") end print()
for i = "1", 2, "0.5" do io.write(i, " ") end print()
for i = " 0x10 ", 17 do io.write(i, " ") end print()
print(pcall(function() for i = 1, "x" do end end))
print(pcall(function() for i = {}, 2 do end end))
print(pcall(function() for i = 1, 2, "z" do end end))
local n = 0
print(pcall(function() for i = nil, (function() n = n + 1 return 2 end)() do end end), n)
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 3 do if i == 2 then break end io.write(i, " ") end print()
local t = {}
for i = 1, 3 do t[i] = function() return i end end
print(t[1](), t[3]())
