-- receive(n, prefix) counts the prefix in n; settimeout modes by first
-- letter; the non-blocking retry loop LuaSocket's test suite uses.
local socket = require("socket")
local s = assert(socket.bind("127.0.0.1", 0))
local _, port = s:getsockname()
local c = assert(socket.connect("127.0.0.1", port))
local a = assert(s:accept())
a:settimeout(1)
c:send("0123456789abcdefghij")
print(a:receive(5, "pre"))
print(a:receive(3, "prefix"))
print(a:receive(6, ""))
print(a:receive("4", "xy"))
print(a:receive(0, "keep"))
print(a:settimeout(1, "total"), a:settimeout(1, "block"), a:settimeout(1, "tx"), a:settimeout(1, "bogus"))
print(pcall(a.settimeout, a, 1, ""))
print(pcall(a.settimeout, a, 1, "x"))
a:settimeout(0)
local part
local got = {}
local t = 0
c:send("abc")
repeat
  local d, e
  d, e, part = a:receive(10, part)
  if not d then
    got[#got + 1] = e .. ":" .. #part
    if #part == 3 then c:send("defghij") end
    socket.sleep(0.01)
  else
    got[#got + 1] = "data:" .. d
  end
  t = t + 1
until d or t > 200
print(got[1], got[#got])
c:close()
a:settimeout(1)
print(a:receive(5, "tail"))
