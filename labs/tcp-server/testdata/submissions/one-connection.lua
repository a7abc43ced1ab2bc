-- Partial: stops listening as soon as the first client is in, serves that
-- one correctly and ends. The lab's client never gets its second connection.
local socket = require("socket")

local server = assert(socket.bind("*", lab.args.port))
local client = assert(server:accept())
server:close()
client:settimeout(5)
while true do
  local line = client:receive("*l")
  if not line then break end
  client:send(line:upper() .. "\n")
end
client:close()
