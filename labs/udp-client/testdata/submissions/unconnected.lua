-- Partial: uses sendto/receivefrom on an unconnected socket. The kernel does
-- not report an ICMP error to an unconnected UDP socket, so the second
-- receivefrom only times out and the refusal is never seen.
local socket = require("socket")

local udp = assert(socket.udp())
udp:settimeout(1)
udp:sendto(lab.args.message, "10.0.0.40", lab.args.port)
local reply, err = udp:receivefrom()
print(reply and ("reply: " .. reply) or ("error: " .. err))
udp:sendto("anyone there?", "10.0.0.40", lab.args.closed_port)
local answer, aerr = udp:receivefrom()
print(answer and ("reply: " .. answer) or ("error: " .. aerr))
udp:close()
