local socket = require("socket")
local c = assert(socket.connect("www.example.com", 80))
c:settimeout(5)
-- Not byte for byte the recorded request: another header, same ending.
c:send("GET / HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: replay-test\r\nConnection: close\r\n\r\n")
print((c:receive("*a")))
c:close()
