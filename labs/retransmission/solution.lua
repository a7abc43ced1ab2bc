-- Reference solution for the retransmission lab: an HTTP request over a link
-- that loses it the first time. Nothing special is needed but patience: the
-- kernel resends the unacknowledged request, and a receive with a timeout of
-- a few seconds waits for the answer.
local socket = require("socket")

local host, port = lab.args.host, lab.args.port
local conn = assert(socket.connect(host, port))
conn:settimeout(5)
assert(conn:send("GET / HTTP/1.1\r\nHost: " .. host .. "\r\nConnection: close\r\n\r\n"))

local response, err, partial = conn:receive("*a")   -- until the server closes
conn:close()
io.write(response or partial)
if not response then print("\n(" .. err .. ")") end
