-- The remote half of the socket suite (see client.lua): a command server.
-- It listens on 127.0.0.1, any port, prints "port N", and takes one control
-- connection (the one that says "control" first). Each line the client sends there is a Lua chunk: the server
-- answers "run" (or "failed: WHY" when the previous chunk raised an error)
-- before it runs the chunk, so a chunk may block on the data connection
-- while the client works on the other end. "quit" ends the server; a
-- "go" outside a chunk waiting for one is ignored.
-- Globals the chunks share: listener, control, data.
socket = require("socket")
listener = assert(socket.bind("127.0.0.1", 0))
local _, port = listener:getsockname()
print("port " .. port)
io.stdout:flush()
-- The control connection is the one whose first line is "control": a
-- stray connection (another test scanning loopback) is closed.
repeat
  local c = assert(listener:accept())
  c:settimeout(10)
  if c:receive() == "control" then control = c else c:close() end
until control
control:settimeout(-1)
control:setoption("tcp-nodelay", true)
local failed
while true do
  local line, err = control:receive()
  if not line or line == "quit" then
    break
  end
  if line == "go" then
    -- a release nobody waited for (the client recovering from a failed case)
  else
  assert(control:send((failed and "failed: " .. string.gsub(failed, "\n", " ") or "run") .. "\n"))
  failed = nil
  local chunk, why = loadstring(line, "=command")
  if chunk then
    local ok, e = pcall(chunk)
    if not ok then
      failed = tostring(e)
    end
  else
    failed = why
  end
  end
end
if data then data:close() end
control:close()
listener:close()
print("done")
