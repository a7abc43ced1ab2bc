-- bit32 as Lua 5.2 has it (wirelab's extension to Lua 5.1).
local function show(...)
  local t = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    t[#t + 1] = type(v) == "number" and string.format("%.14g", v) or tostring(v)
  end
  print(table.concat(t, " "))
end
local function err(f, ...)
  local ok, e = pcall(f, ...)
  print(ok, (tostring(e):gsub("^.-%((.*)%)$", "%1")))
end
show(bit32.band(), bit32.bor(), bit32.bxor(), bit32.btest())
show(bit32.band(0xff, 0x0f, 0x3c), bit32.bor(1, 2, 4), bit32.bxor(5, 3, 1), bit32.btest(1, 2), bit32.btest(3, 2))
show(bit32.band(-1), bit32.band(2.5), bit32.band(3.5), bit32.band(-2.5), bit32.band(2^32 + 5), bit32.band(-2^32 - 1))
show(bit32.bnot(0), bit32.bnot(0xffffffff), bit32.bnot(-1), bit32.bnot(12345))
for _, d in ipairs({-33, -32, -31, -1, 0, 1, 4, 31, 32, 33}) do
  show(d, bit32.lshift(0x80000001, d), bit32.rshift(0x80000001, d), bit32.arshift(0x80000001, d),
    bit32.arshift(0x7ffffff0, d), bit32.lrotate(0x80000001, d), bit32.rrotate(0x12345678, d))
end
show(bit32.extract(0x4500, 12, 4), bit32.extract(0xf0, 4), bit32.extract(0xffffffff, 0, 32), bit32.extract(5, 31))
show(bit32.replace(0, 0xf, 4, 4), bit32.replace(0xffffffff, 0, 0, 32), bit32.replace(1, 3, 1), bit32.replace(0x12345678, 0xab, 8, 8))
show(bit32.lshift(1, 2.5), bit32.lshift(1, 3.5), bit32.band("0x10", "3"))
err(bit32.extract, 1, -1)
err(bit32.extract, 1, 0, 0)
err(bit32.extract, 1, 30, 3)
err(bit32.replace, 1, 1, 32)
err(bit32.band, 1, "x")
err(bit32.bnot)
-- A DNS header's flags word, taken apart.
local flags = 0x8180
show(bit32.extract(flags, 15), bit32.extract(flags, 11, 4), bit32.extract(flags, 7), bit32.extract(flags, 0, 4))
