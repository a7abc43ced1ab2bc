-- Partial: sends a correct request but closes the socket without reading the
-- response. Closing a socket whose receive queue still holds data makes the
-- kernel abort the connection with RST instead of the FIN handshake.
local socket = require("socket")

local conn = assert(socket.connect(lab.args.host, lab.args.port))
assert(conn:send("GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\n\r\n"))
-- wait until the response is there, without reading it
socket.select({conn}, nil, 5)
socket.sleep(0.05)
conn:close()
