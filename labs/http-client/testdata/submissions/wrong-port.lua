-- Wrong: connects to port 8080, where nothing listens. The connection is
-- refused, so no handshake ever completes and the later checks are skipped.
local socket = require("socket")

local conn, err = socket.connect(lab.args.host, 8080)
if not conn then
  print("error: " .. err)
  return
end
conn:send("GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\n\r\n")
print(conn:receive("*l"))
conn:close()
