-- Tries to reach addresses outside the lab: every attempt must fail at once.
local socket = require("socket")
for _, host in ipairs({"192.0.2.1", "198.51.100.7", "203.0.113.9"}) do
  local c, err = socket.connect(host, 80)
  print(host, c and "connected" or err)
  if c then c:close() end
end
