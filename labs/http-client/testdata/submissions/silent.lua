-- Partial: a perfect exchange on the wire, but the script never prints the
-- status line it received.
local socket = require("socket")

local conn = assert(socket.connect(lab.args.host, lab.args.port))
conn:settimeout(5)
assert(conn:send("GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\nConnection: close\r\n\r\n"))
local response = conn:receive("*a")
conn:close()
