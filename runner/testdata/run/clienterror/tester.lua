-- A client with a bug: after a good exchange it indexes a nil value. That is
-- the lab's fault, not the server's: the run is graded lab-error.
function run(target)
  local c = assert(target:connect())
  c:settimeout(5)
  c:send("ping\n")
  local line = c:receive("*l")
  c:close()
  local t = nil
  return t.answer == line
end
