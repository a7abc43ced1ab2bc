-- Wrong: answers every datagram to port 7000 of the sender, not to the port
-- it came from. Nothing listens there: the tester's host answers with ICMP
-- port unreachable, and the tester never hears back.
local socket = require("socket")

local udp = assert(socket.udp())
assert(udp:setsockname("*", lab.args.port))
while true do
  local data, ip = udp:receivefrom()
  if data then
    print(data)
    udp:sendto(string.upper(data), ip, lab.args.port)
  end
end
