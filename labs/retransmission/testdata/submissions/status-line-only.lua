-- Reads the status line and stops there.
local socket = require("socket")
local conn = assert(socket.connect(lab.args.host, lab.args.port))
conn:settimeout(5)
conn:send("GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\nConnection: close\r\n\r\n")
local line = conn:receive("*l")
print(line)
conn:close()
