-- Wrong: sends its own text instead of lab.args.message, and never tries the
-- closed port.
local socket = require("socket")

local udp = assert(socket.udp())
udp:settimeout(2)
udp:setpeername(lab.args.host, lab.args.port)
udp:send("ping")
print("reply: " .. tostring(udp:receive()))
udp:close()
