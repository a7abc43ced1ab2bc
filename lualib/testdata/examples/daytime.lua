-- Daytime client (RFC 867): the server sends one line and closes.
local socket = require("socket")
local host, port = arg[1] or "localhost", arg[2] or 13
local c, err = socket.connect(host, port)
if not c then print("error:", err) return end
local line = c:receive("*l")
print("daytime:", line)
print("then:", c:receive("*a"))
c:close()
