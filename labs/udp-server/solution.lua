-- Reference solution for the udp-server lab.
local socket = require("socket")

local udp = assert(socket.udp())
-- "*": every address of this host. The kernel answers from the address the
-- datagram was sent to.
assert(udp:setsockname("*", lab.args.port))

while true do
  local data, ip, port = udp:receivefrom()
  if data then
    print(string.format("%s:%d says %q", ip, port, data))
    assert(udp:sendto(string.upper(data), ip, port))
  end
end
