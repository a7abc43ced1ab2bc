-- Reference solution for the port-scan lab: a TCP connect scan of ports 1-1024.
-- A closed port refuses the connection at once (the target answers the SYN with
-- RST); an open one accepts it, and we close it straight away.
local socket = require("socket")

local host = lab.args.host
local first, last = lab.args.first or 1, lab.args.last or 1024

for port = first, last do
  local conn = socket.tcp()
  conn:settimeout(5)
  local ok = conn:connect(host, port)
  conn:close()
  if ok then
    print(port)
  end
end
