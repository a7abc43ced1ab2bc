-- An upper-casing server that never ends by itself.
local socket = require("socket")
local server = assert(socket.bind("*", lab.args.port))
while true do
  local c = assert(server:accept())
  c:settimeout(5)
  for line in function() return c:receive("*l") end do
    c:send(line:upper() .. "\n")
  end
  c:close()
end
