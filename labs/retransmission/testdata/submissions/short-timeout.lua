-- Gives up after 0.1 s: the request is resent about 0.2 s after it was lost.
-- (It lingers a second after, so the resent request is in the capture on
-- every run.)
local socket = require("socket")
local conn = assert(socket.connect(lab.args.host, lab.args.port))
conn:settimeout(0.1)
conn:send("GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\nConnection: close\r\n\r\n")
local response, err = conn:receive("*a")
print(response or ("no answer: " .. err))
socket.sleep(1)
conn:close()
