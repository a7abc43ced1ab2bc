-- TCP echo client, in the style of LuaSocket's samples: connect, send each
-- message as a line, print what comes back.
local socket = require("socket")
host = host or "localhost"
port = port or 7
if arg then
  host = arg[1] or host
  port = arg[2] or port
end
local c = assert(socket.connect(host, port))
c:settimeout(5)
for _, msg in ipairs({"hello", "how are you?", "bye"}) do
  assert(c:send(msg .. "\r\n"))
  local line, err = c:receive()
  print("echo:", line, err)
end
c:close()
