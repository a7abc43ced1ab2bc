-- Reference solution for the tcp-server lab: an upper-casing line server that
-- serves three connections, one after the other.
local socket = require("socket")

local port = lab.args.port

-- bind to every address of this host; the lab runs us as "server"
local server = assert(socket.bind("*", port))

-- Tell the lab's tester we are listening; it connects back three times.
local knock = assert(socket.connect(lab.args.tester, lab.args.tester_port))
knock:send("ready\n")
knock:close()

for _ = 1, lab.args.connections do
  local client = assert(server:accept())
  client:settimeout(5)
  while true do
    local line, err = client:receive("*l")
    if not line then break end       -- "closed": the client is done
    client:send(line:upper() .. "\n")
  end
  client:close()
end
server:close()
