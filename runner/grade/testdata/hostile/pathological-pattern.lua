-- Backtracking inside a Go built-in (exponential in the pattern): the
-- pattern functions watch the deadline, as the VM does.
local s = string.rep("a", 3000)
print(string.find(s, string.rep("a-", 8) .. "b"))
print(string.gsub(s, "(a-)*b", "x"))
