-- Lua checks of the udp-server lab.

-- answered_each: every port the tester sent from got an upper-case answer
-- from the server's port 7000, and there were three of them.
function answered_each(ctx)
  local asked, answered = {}, {}
  for p in ctx.packets("ip.src == 10.0.0.60 && udp.dstport == 7000") do
    asked[p["udp.srcport"]] = true
  end
  for p in ctx.packets("ip.src == 10.0.0.50 && udp.srcport == 7000") do
    answered[p["udp.dstport"]] = true
  end
  local ports, ok = 0, 0
  for port in pairs(asked) do
    ports = ports + 1
    if answered[port] then ok = ok + 1 end
  end
  if ports == 3 and ok == 3 then
    return true, "answered 3 senders at their own ports"
  end
  return false, string.format("answered %d of the %d ports the tester sent from (want 3 of 3)", ok, ports)
end
