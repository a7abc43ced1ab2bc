-- Partial: answers only the first line of each connection and ignores the
-- rest until the client hangs up, so the second client's second line is
-- never answered.
local socket = require("socket")

local server = assert(socket.bind("*", lab.args.port))
local knock = assert(socket.connect(lab.args.tester, lab.args.tester_port))
knock:send("ready\n")
knock:close()

for _ = 1, 3 do
  local client = assert(server:accept())
  client:settimeout(5)
  local line = client:receive("*l")
  if line then client:send(line:upper() .. "\n") end
  -- read and drop whatever else comes, until the client closes
  while client:receive("*l") do end
  client:close()
end
server:close()
