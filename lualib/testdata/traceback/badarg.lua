-- A library function's argument error: its frame is C's.
local function pad(s, n)
  return s .. string.rep(" ", n)
end
print(pad("x"))
