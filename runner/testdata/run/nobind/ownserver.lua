-- A service that runs a server of its own, on the wrong port, instead of
-- defining handle(conn).
local socket = require("socket")
local srv = assert(socket.bind("*", 5001))
while true do
  local c = srv:accept()
  if c then c:send("hello\n"); c:close() end
end
