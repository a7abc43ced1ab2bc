-- ltn12 chains as LuaSocket schedules them: how many chunks reach a sink,
-- filters that emit several outputs per input, chained sources and filters.
local ltn12 = require("ltn12")
local mime = require("mime")
local function upper(c) return c and c:upper() end
local t = {}
ltn12.pump.all(ltn12.source.string("lower"), ltn12.sink.chain(upper, (ltn12.sink.table(t))))
print(#t, string.format("%q", table.concat(t, "|")))
-- a filter that splits each chunk in two outputs
local function halves()
  local pending
  return function(c)
    if c == nil then local p = pending; pending = nil; return p end
    if c == "" then local p = pending; pending = nil; return p or "" end
    local h = math.floor(#c / 2)
    pending = c:sub(h + 1)
    return c:sub(1, h)
  end
end
local out = {}
ltn12.pump.all(ltn12.source.chain(ltn12.source.string("abcdefgh"), ltn12.filter.chain(halves(), upper)), (ltn12.sink.table(out)))
print(#out, table.concat(out, "|"))
local b = {}
ltn12.pump.all(ltn12.source.chain(ltn12.source.string(string.rep("x", 100)), ltn12.filter.chain(mime.encode("base64"), mime.wrap("base64", 20))), (ltn12.sink.table(b)))
print(#b, table.concat(b))
local chunks = {}
local src = ltn12.source.chain(ltn12.source.table({"ab", "cd", "", "ef"}), upper)
while true do local c = src(); if not c then break end; chunks[#chunks + 1] = c end
print(#chunks, table.concat(chunks, ","))
print(pcall(src))
