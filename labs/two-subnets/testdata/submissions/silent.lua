-- Partial: fetches the page but prints nothing.
local socket = require("socket")

local c = assert(socket.connect(lab.args.host, lab.args.port))
c:send("GET / HTTP/1.1\r\nHost: www\r\nConnection: close\r\n\r\n")
c:receive("*a")
c:close()
