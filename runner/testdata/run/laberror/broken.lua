-- A service with a bug: it indexes a nil value on the first line it reads.
function handle(conn)
  local line = conn:receive()
  local t = nil
  conn:send(t.field .. line .. "\n")
end
