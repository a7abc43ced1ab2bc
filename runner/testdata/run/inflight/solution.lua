-- Sends its questions and leaves without waiting for a single answer.
local socket = require("socket")
local u = assert(socket.udp())
assert(u:setpeername("ns.example.com", 53))
for i = 1, 3 do assert(u:send("query " .. i)) end
local c = assert(socket.connect("ns.example.com", 43))
assert(c:send("example.com\n"))
