-- Gives up on the first connection and opens a second one: it gets the
-- page, but TCP would have recovered on its own.
local socket = require("socket")
local request = "GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\nConnection: close\r\n\r\n"
for try = 1, 3 do
  local conn = assert(socket.connect(lab.args.host, lab.args.port))
  conn:settimeout(0.1)
  conn:send(request)
  local response, err, partial = conn:receive("*a")
  conn:close()
  if response and response ~= "" then
    io.write(response)
    break
  end
end
