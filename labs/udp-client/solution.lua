-- Reference solution for the udp-client lab.
local socket = require("socket")

local host, port = lab.args.host, lab.args.port

-- 1. An echo service sends every datagram back to where it came from.
local udp = assert(socket.udp())
udp:settimeout(2)
assert(udp:setpeername(host, port))   -- "connect" the socket: send/receive use this peer
assert(udp:send(lab.args.message))
local reply, err = udp:receive()
if reply then
  print("reply: " .. reply)
else
  print("error: " .. err)
end
udp:close()

-- 2. Nothing listens on the closed port: the target's kernel answers with an
-- ICMP "port unreachable", which a connected UDP socket reports on its next
-- receive as "connection refused".
local closed = assert(socket.udp())
closed:settimeout(2)
assert(closed:setpeername(host, lab.args.closed_port))
assert(closed:send("anyone there?"))
local answer, cerr = closed:receive()
if answer then
  print("reply: " .. answer)
else
  print("error: " .. cerr)
end
closed:close()
