-- Gives up on the first connection after 0.1 s, aborts it (a reset: linger
-- 0 throws the unacknowledged request away) and opens a second one: it gets
-- the page, but TCP would have recovered on its own, and no retransmission
-- is ever sent.
local socket = require("socket")
local request = "GET / HTTP/1.1\r\nHost: " .. lab.args.host .. "\r\nConnection: close\r\n\r\n"
for try = 1, 3 do
  local conn = assert(socket.connect(lab.args.host, lab.args.port))
  conn:settimeout(0.1)
  conn:send(request)
  local response, err, partial = conn:receive("*a")
  conn:setoption("linger", {on = true, timeout = 0})
  conn:close()
  if response and response ~= "" then
    io.write(response)
    break
  end
end
