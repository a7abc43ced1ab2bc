-- Wrong: an HTTP/1.1 request without a Host header. The server answers
-- "400 Bad Request", so the request and response checks fail.
local socket = require("socket")

local conn = assert(socket.connect(lab.args.host, lab.args.port))
conn:settimeout(5)
assert(conn:send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"))
local status = conn:receive("*l")
print(status)
conn:receive("*a")
conn:close()
