-- error(msg, 2) blames the caller; the traceback starts at error itself.
local function check(n)
  if n > 2 then error("too big: " .. n, 2) end
end
local M = {}
function M.run(n) check(n) end
M.run(5)
