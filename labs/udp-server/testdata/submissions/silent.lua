-- Wrong: receives and prints every datagram but never answers.
local socket = require("socket")

local udp = assert(socket.udp())
assert(udp:setsockname("*", lab.args.port))
while true do
  local data = udp:receivefrom()
  if data then print(data) end
end
