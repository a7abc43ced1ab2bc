-- Calls only a timeout filtered: port 445's ICMP "administratively
-- prohibited" comes back as "no route to host", which this reads as closed.
local socket = require("socket")
for port = lab.args.first, lab.args.last do
  local conn = socket.tcp()
  conn:settimeout(0.3)
  local ok, err = conn:connect(lab.args.host, port)
  if ok then
    print(port .. " open")
  elseif err == "timeout" then
    print(port .. " filtered")
  end
  conn:close()
end
