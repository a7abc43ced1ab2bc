-- Partial: fetches the page correctly but prints the whole response, status
-- line and headers included.
local socket = require("socket")

local conn = assert(socket.connect(lab.args.host, lab.args.port))
conn:settimeout(5)
conn:send("GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\nConnection: close\r\n\r\n")
local response, err, partial = conn:receive("*a")
conn:close()
print(response or partial)
