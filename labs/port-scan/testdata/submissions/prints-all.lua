-- Wrong: scans every port but prints every result, open or closed, so the
-- output is not the list of open ports.
local socket = require("socket")

for port = 1, 1024 do
  local conn = socket.tcp()
  conn:settimeout(5)
  local ok, err = conn:connect(lab.args.host, port)
  conn:close()
  print(port .. " " .. (ok and "open" or err))
end
