-- Wrong: assumes the server is on its own segment at 10.0.1.80. Nothing is
-- there: the ARP request for it goes unanswered and the connect fails.
local socket = require("socket")

local c, err = socket.connect("10.0.1.80", lab.args.port)
if not c then
  print("error: " .. tostring(err))
  return
end
c:close()
