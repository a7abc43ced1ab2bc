-- Lua 5.1's words for a dead coroutine (resume and wrap), create taking
-- only a Lua function, and socket.url.build leaving the path as given (as
-- LuaSocket 3.1 does).
local co = coroutine.create(function() return 1 end)
print(coroutine.resume(co))
print(coroutine.resume(co))
local w = coroutine.wrap(function() return 1 end)
print(w())
print(pcall(w))
print(coroutine.status(co))
local url = require("socket.url")
print(url.build{scheme="http", host="h", path="/a b"})
print(url.build(url.parse("http://user:pw@host:8080/p a/th?q=1 2#frag")))
print(url.escape("a b/c"), url.unescape("a%20b"))
print(pcall(coroutine.create, print))
print(select('#', table.remove({})))
