-- UDP echo client (LuaSocket's echoclnt.lua): connected UDP, one datagram each way.
local socket = require("socket")
local host, port = arg[1] or "localhost", arg[2] or 7
local udp = assert(socket.udp())
assert(udp:setpeername(socket.dns.toip(host), port))
udp:settimeout(5)
for _, msg in ipairs({"ping", "pong", ""}) do
  assert(udp:send(msg))
  local dgram, err = udp:receive()
  print("echo:", dgram, err)
end
udp:close()
