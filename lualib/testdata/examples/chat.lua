-- Line-based chat client: waits with socket.select, answers the server's
-- prompts, and stops when the server says goodbye.
local socket = require("socket")
local host, port = arg[1] or "localhost", arg[2] or 6667
local c = assert(socket.connect(host, port))
c:settimeout(0)
local says = {"NICK student", "MSG hello everyone", "QUIT"}
local n = 0
while true do
  local ready = socket.select({c}, nil, 5)
  if not ready[c] then print("no answer") break end
  local line, err, partial = c:receive()
  if line then
    print("<", line)
    if line:match("^BYE") then break end
    n = n + 1
    if says[n] then
      print(">", says[n])
      c:send(says[n] .. "\r\n")
    end
  elseif err == "closed" then
    print("closed by server", partial)
    break
  end
end
c:close()
