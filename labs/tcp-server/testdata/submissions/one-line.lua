-- Partial: answers only the first line of each connection and ignores the
-- rest until the client hangs up, so the second client's second line is
-- never answered.
local socket = require("socket")

local server = assert(socket.bind("*", lab.args.port))
while true do
  local client = assert(server:accept())
  client:settimeout(5)
  local line = client:receive("*l")
  if line then client:send(line:upper() .. "\n") end
  -- read and drop whatever else comes, until the client closes
  while client:receive("*l") do end
  client:close()
end
