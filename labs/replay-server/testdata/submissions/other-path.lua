-- Partial: asks for /index.html, which the recording never asked for. The
-- replay plays back the recorded page all the same, but the request check
-- fails.
local socket = require("socket")

local conn = assert(socket.connect(lab.args.host, lab.args.port))
conn:settimeout(5)
conn:send("GET /index.html HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\nConnection: close\r\n\r\n")
local response, err, partial = conn:receive("*a")
conn:close()
response = response or partial
print((response:match("\r\n\r\n(.*)$")))
