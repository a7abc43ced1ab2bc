-- Grows a table of strings until something stops it: the memory limit.
local t = {}
local s = string.rep("x", 1024 * 1024)
local i = 0
while true do
  i = i + 1
  t[i] = s .. i
end
