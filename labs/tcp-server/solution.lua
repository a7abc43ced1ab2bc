-- Reference solution for the tcp-server lab: an upper-casing line server. It
-- serves one client at a time, for as long as the lab keeps connecting; the
-- run ends once the lab's client has finished.
local socket = require("socket")

-- bind to every address of this host; the lab runs us as "server"
local server = assert(socket.bind("*", lab.args.port))

while true do
  local client = assert(server:accept())
  client:settimeout(5)
  while true do
    local line = client:receive("*l")
    if not line then break end       -- "closed": the client is done
    client:send(line:upper() .. "\n")
  end
  client:close()
end
