-- A yield from a table.sort comparator is an error that ends the coroutine
-- ("attempt to yield across metamethod/C-call boundary"), returned by resume,
-- as in C Lua 5.1: directly, through pcall, and from a comparator that waits
-- on a socket the way copas's wrapped sockets do (yield until ready). Yields
-- of other coroutines resumed inside a comparator are allowed.
local socket = require("socket")
local function run(name, f)
  local co = coroutine.create(f)
  local ok, err = coroutine.resume(co)
  print(name, ok, err, coroutine.status(co))
  print(name, coroutine.resume(co))
end
run("direct", function()
  local t = {3, 1, 2}
  table.sort(t, function(a, b) coroutine.yield("in") return a < b end)
  return "sorted"
end)
run("pcall", function()
  local t = {3, 1, 2}
  print("pcall says", pcall(table.sort, t, function(a, b) coroutine.yield("in") return a < b end))
  return "after pcall"
end)
run("inner pcall", function()
  local t = {3, 1, 2}
  table.sort(t, function(a, b) pcall(coroutine.yield, "in") return a < b end)
  return "sorted"
end)
run("socket", function()
  local s = assert(socket.bind("127.0.0.1", 0))
  s:settimeout(0)
  local t = {2, 1}
  table.sort(t, function(a, b)
    local c, err = s:accept()
    if not c then coroutine.yield(s) end -- copas waits for readiness so
    return a < b
  end)
  return "sorted"
end)
run("nested", function()
  local t = {5, 3, 4, 1, 2}
  local n = 0
  table.sort(t, function(a, b)
    local gen = coroutine.wrap(function() coroutine.yield(a) coroutine.yield(b) end)
    n = n + 1
    return gen() < gen()
  end)
  return table.concat(t, ","), n > 0
end)
run("error", function()
  table.sort({2, 1}, function(a, b) error("cmp") end)
end)
local t = {3, 1, 2}
table.sort(t)
print(table.concat(t, ","))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, ","))
print(pcall(table.sort))
print(pcall(table.sort, {}, 1))
print(select("#", table.sort({})))
print(pcall(coroutine.yield, 1))
print(pcall(function() table.sort(nil) end))
print(pcall(function() table.sort({3, 1}, 1) end))
