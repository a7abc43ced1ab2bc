-- Reference solution for the two-subnets lab. Nothing here knows about the
-- router: the host's routing table sends everything for 10.0.2.0/24 to gw.
local socket = require("socket")

local c = assert(socket.connect(lab.args.host, lab.args.port))
c:settimeout(5)
assert(c:send("GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\nConnection: close\r\n\r\n"))
local status = assert(c:receive("*l"))
print(status)
c:close()
