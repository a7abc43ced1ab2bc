-- Treats every failed connect as closed: the filtered ports go unreported.
local socket = require("socket")
for port = lab.args.first, lab.args.last do
  local conn = socket.tcp()
  conn:settimeout(0.3)
  if conn:connect(lab.args.host, port) then
    print(port .. " open")
  end
  conn:close()
end
