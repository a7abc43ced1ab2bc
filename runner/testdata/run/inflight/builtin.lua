-- Sends its datagrams, requests and a line, and leaves without waiting for
-- a single answer.
local socket = require("socket")
local u = assert(socket.udp())
assert(u:setpeername("www.example.com", 7))
for i = 1, 20 do assert(u:send("datagram " .. i)) end
for i = 1, 5 do
  local c = assert(socket.connect("www.example.com", 80))
  assert(c:send("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"))
end
local c = assert(socket.connect("www.example.com", 7))
assert(c:send("hello\n"))
