-- pcall and xpcall: results, errors, and the upvalues of the function that
-- called them (gopher-lua issue #448 detached them).
local n = 0
local f = function() n = n + 1 end
pcall(error, "x"); f(); f(); print("upvalue after pcall(error)", n)

local a
local function use() return a("t") end
pcall(function() error("e") end)
a = function(p) return p .. "!" end
print("assigned after pcall", use())

local saved
pcall(function() local x = 1; saved = function() x = x + 1; return x end; error("e") end)
local p1, p2, p3 = 10, 20, 30
print("closure of the failed function", saved(), saved(), p1, p2, p3)

local m = 0
local inc = function() m = m + 1 end
pcall(function() pcall(error, "inner"); inc(); error("outer") end)
inc(); print("nested", m)

print(pcall(nil))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, "msg", 0))
print(pcall(function() error("lvl1") end))
print(pcall(function() error("lvl2", 2) end))
print(select("#", pcall(error, {})))
print(pcall(setmetatable({}, {__call = function(self, x) return x * 2 end}), 21))
print(pcall(function(...) return select("#", ...), ... end, 1, nil, 3))
print(select("#", pcall(function() end)))
print(xpcall(function() error("boom") end, function(m) return "handled: " .. m end))
print(xpcall(function() return 1, 2 end, print))
print(pcall(string.rep, nil))
print(pcall(string.rep, "x", -1))
print(pcall(tostring))
print(pcall(pcall, error, "e"))
print(pcall(coroutine.yield, 1))
print(pcall(function() coroutine.yield(1) end))

-- Known differences, not tested here: pcall(error, "msg" [, 2]) gets no position
-- (C Lua blames the line of the pcall); runtime errors do not name the
-- variable ("attempt to index local 't'"); gopher-lua's built-ins say
-- "got nil" where C says "got no value".

-- stack overflow: Lua recursion, and recursion through pcall
local function rec() return 1 + rec() end
local ok, e = pcall(rec); print(ok, (tostring(e):gsub("^.-:%d+: ", "")))
local function viapcall(k) local ok, e = pcall(viapcall, k + 1); if not ok then error(e, 0) end return k end
print(pcall(viapcall, 1))
local function sel(k) return select(2, pcall(sel, k + 1)) end
print(pcall(sel, 1))
for i = 1, 3 do local ok, e = pcall(rec) print(i, ok, (tostring(e):gsub("^.-:%d+: ", ""))) end
local depth = 0
local function deep(k) if k == 0 then return 0 end return 1 + deep(k - 1) end
print("deep recursion", deep(10000))
print("still sound", pcall(function() return 1, 2, 3 end))
