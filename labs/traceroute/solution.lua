-- Reference solution for the traceroute lab.
local socket = require("socket")

for ttl = 1, 8 do
  local u = assert(socket.udp())
  u:settimeout(2)
  assert(u:setpeername(lab.args.host, lab.args.port + ttl))
  assert(u:setoption("ip-ttl", ttl))
  assert(u:send("probe " .. ttl))
  local _, err = u:receive()
  u:close()
  if err == "connection refused" then
    -- the target's port unreachable: the datagram got there
    print("reached target at hop " .. ttl)
    return
  end
  -- a router's time exceeded reaches a connected UDP socket as a timeout
  print("hop " .. ttl .. ": " .. tostring(err))
end
print("target not reached")
