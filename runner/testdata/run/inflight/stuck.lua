-- A service with a bug: its handle never returns, even once the client has
-- gone (it ignores receive's "closed").
function handle(conn)
  while true do conn:receive("*l") end
end
