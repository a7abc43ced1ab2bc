-- Wrong: a plain echo server. Every connection is served and closed cleanly,
-- but every line comes back unchanged.
local socket = require("socket")

local server = assert(socket.bind("*", lab.args.port))
while true do
  local client = assert(server:accept())
  client:settimeout(5)
  for line in function() return client:receive("*l") end do
    client:send(line .. "\n")
  end
  client:close()
end
