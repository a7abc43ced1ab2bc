-- Asks one question and leaves without waiting for the answer.
local socket = require("socket")
local c = assert(socket.connect("ns.example.com", 43))
assert(c:send("example.com\n"))
