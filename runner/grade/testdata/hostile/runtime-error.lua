local socket = require("socket")
local c = socket.connect(lab.args.host, lab.args.port)
c:send("GET / HTTP/1.1\r\n\r\n")
local t = nil
print(t.field)
