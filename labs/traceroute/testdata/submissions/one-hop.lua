-- Partial: stops after the first hop.
local socket = require("socket")

local u = assert(socket.udp())
u:settimeout(0.5)
assert(u:setpeername(lab.args.host, lab.args.port))
assert(u:setoption("ip-ttl", 1))
u:send("probe")
print("hop 1: " .. tostring(select(2, u:receive())))
