-- Partial: serves the first connection correctly, then closes the listening
-- socket and ends. The lab's later connections find nobody listening.
local socket = require("socket")

local server = assert(socket.bind("*", lab.args.port))
local client = assert(server:accept())
client:settimeout(5)
while true do
  local line = client:receive("*l")
  if not line then break end
  client:send(line:upper() .. "\n")
end
client:close()
server:close()
