-- Wrong: scans only ports 1 to 100 and so misses 139, 443 and 631.
local socket = require("socket")

for port = 1, 100 do
  local conn = socket.tcp()
  conn:settimeout(5)
  if conn:connect(lab.args.host, port) then print(port) end
  conn:close()
end
