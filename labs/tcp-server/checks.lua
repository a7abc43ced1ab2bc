-- Lua checks of the tcp-server lab.

-- served_three: the server sent data on three different connections.
function served_three(ctx)
  local streams, count = {}, 0
  for p in ctx.packets("tcp.srcport == 7000 && tcp.len > 0") do
    local s = p["tcp.stream"]
    if s ~= nil and not streams[s] then
      streams[s] = true
      count = count + 1
    end
  end
  if count == 3 then
    return true, "answered on 3 connections"
  end
  return false, string.format("answered on %d connection(s), want 3", count)
end
