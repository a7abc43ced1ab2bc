-- Partial: serves the first connection correctly, then stops listening. The
-- tester's next connections are refused.
local socket = require("socket")

local server = assert(socket.bind("*", lab.args.port))
local knock = assert(socket.connect(lab.args.tester, lab.args.tester_port))
knock:send("ready\n")
knock:close()

local client = assert(server:accept())
client:settimeout(5)
while true do
  local line = client:receive("*l")
  if not line then break end
  client:send(line:upper() .. "\n")
end
client:close()
server:close()
-- linger a moment, so the tester's next attempts meet the closed port
socket.sleep(0.5)
