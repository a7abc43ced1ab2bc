local socket = require("socket")
local c = assert(socket.connect("svc.example.com", 5000))
c:send("hello\n")
c:close()
