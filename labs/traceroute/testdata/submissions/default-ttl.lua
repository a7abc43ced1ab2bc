-- Wrong: never sets the TTL, so the first datagram goes all the way.
local socket = require("socket")

local u = assert(socket.udp())
u:settimeout(0.5)
assert(u:setpeername(lab.args.host, lab.args.port))
u:send("probe")
local _, err = u:receive()
print("reached target at hop 1 (" .. tostring(err) .. ")")
