-- Partial: does the echo exchange and stops there.
local socket = require("socket")

local udp = assert(socket.udp())
udp:settimeout(2)
udp:setpeername(lab.args.host, lab.args.port)
udp:send(lab.args.message)
print("reply: " .. tostring(udp:receive()))
udp:close()
