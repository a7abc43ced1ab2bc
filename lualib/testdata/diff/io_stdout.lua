io.write("a", 1, 2.5, "\n")
print(io.stdout:write("x"))
print(io.read(), io.read("*l"), io.type(io.stdout), io.type(42))
print(io.stdout:close())
for l in io.lines() do print(l) end
print(io.output() == io.stdout)
