-- Partial: answers each sender at its own port, but echoes the text as it
-- came instead of in upper case.
local socket = require("socket")

local udp = assert(socket.udp())
assert(udp:setsockname("*", lab.args.port))
while true do
  local data, ip, port = udp:receivefrom()
  if data then
    print(data)
    udp:sendto(data, ip, port)
  end
end
