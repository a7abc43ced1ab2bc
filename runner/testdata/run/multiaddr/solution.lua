-- Each of www's addresses answers; the name resolves to all three.
local socket = require("socket")
local function echo(host, family)
  local c = family == 6 and socket.tcp6() or socket.tcp()
  c:settimeout(5)
  assert(c:connect(host, 7))
  local peer = c:getpeername()
  assert(c:send(host .. "\n"))
  local line = assert(c:receive("*l"))
  c:close()
  print(family .. " " .. host .. " " .. peer .. " " .. line)
end
echo("www", 4)
echo("10.0.0.81", 4)
echo("www", 6)
for _, a in ipairs(assert(socket.dns.getaddrinfo("www"))) do
  print(a.family .. " " .. a.addr)
end
print("name of 10.0.0.81: " .. tostring(socket.dns.tohostname("10.0.0.81")))
