-- TCP echo server from the LuaSocket manual, serving a given number of clients.
local socket = require("socket")
local server = assert(socket.bind("*", 0))
local ip, port = server:getsockname()
print("listening on port " .. port)
local clients = tonumber(arg and arg[1]) or 1
for i = 1, clients do
  local client = server:accept()
  client:settimeout(10)
  while true do
    local line, err = client:receive()
    if err then print("client gone:", err) break end
    print("got:", line)
    client:send(line .. "\n")
    if line == "bye" then break end
  end
  client:close()
end
server:close()
