-- A client whose verdict reads like a Lua runtime error: error() with the
-- words "attempt to" is the client's verdict on the server (the student
-- fails), not a bug of the lab.
function run(target)
  local c = assert(target:connect())
  c:settimeout(5)
  c:send("ping\n")
  local line = c:receive("*l")
  c:close()
  if line ~= "pong" then
    error("attempt to ping the server: got " .. tostring(line) .. ", want pong")
  end
end
