-- Wrong: a plain echo server. Three connections served and closed cleanly,
-- but every line comes back unchanged.
local socket = require("socket")

local server = assert(socket.bind("*", lab.args.port))
local knock = assert(socket.connect(lab.args.tester, lab.args.tester_port))
knock:send("ready\n")
knock:close()

for _ = 1, 3 do
  local client = assert(server:accept())
  client:settimeout(5)
  for line in function() return client:receive("*l") end do
    client:send(line .. "\n")
  end
  client:close()
end
server:close()
