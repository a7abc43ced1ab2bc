-- Prints far more than the output limit allows.
local line = string.rep("flood ", 100)
while true do print(line) end
