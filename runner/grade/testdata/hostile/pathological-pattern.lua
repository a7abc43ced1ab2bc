-- Backtracking inside a Go built-in: only a kill from outside stops it.
local s = string.rep("a", 30000)
print(string.find(s, string.rep("a-", 30000) .. "b"))
print(string.gsub(s, "(a-)*b", "x"))
