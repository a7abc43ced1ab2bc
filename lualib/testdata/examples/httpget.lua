-- The classic first networking program: fetch a page with a raw TCP client.
local socket = require("socket")
local host, port = arg[1] or "localhost", arg[2] or 80
local c = assert(socket.connect(host, port))
c:send("GET / HTTP/1.0\r\nHost: " .. host .. "\r\n\r\n")
local status = c:receive()
print("status:", status)
while true do
  local header = c:receive()
  if header == "" then break end
  print("header:", header)
end
local body, err, partial = c:receive("*a")
print("body:", body, err, partial)
print("stats:", (c:getstats()))
c:close()
