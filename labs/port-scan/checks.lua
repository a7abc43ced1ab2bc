-- Lua checks of the port-scan lab. Each function receives the check context
-- (ctx.packets(filter) iterates over the captured packets that match a display
-- filter, ctx.output is what the submission printed) and returns ok, message.

-- The services lab.yaml starts on the target; kept here, not in lab.args, so
-- that a submission cannot read the answer.
local OPEN = {22, 80, 139, 443, 631}
local CLIENT = "10.0.0.10"

local function set_string(set)
  local list = {}
  for port in pairs(set) do list[#list + 1] = port end
  table.sort(list)
  for i, port in ipairs(list) do list[i] = tostring(port) end
  return table.concat(list, ", ")
end

-- printed_ports: the set of port numbers printed (one per line) equals the
-- set of open ports.
function printed_ports(ctx)
  local printed, extra = {}, {}
  for line in (ctx.output .. "\n"):gmatch("([^\n]*)\n") do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" then
      local port = tonumber(line)
      if port then printed[port] = true else extra[#extra + 1] = line end
    end
  end
  if #extra > 0 then
    return false, string.format("a line that is not a port number: %q", extra[1])
  end
  local want = {}
  for _, port in ipairs(OPEN) do want[port] = true end
  local missing, wrong = {}, {}
  for port in pairs(want) do if not printed[port] then missing[port] = true end end
  for port in pairs(printed) do if not want[port] then wrong[port] = true end end
  if next(missing) or next(wrong) then
    local parts = {}
    if next(missing) then parts[#parts + 1] = "missing: " .. set_string(missing) end
    if next(wrong) then parts[#parts + 1] = "not open: " .. set_string(wrong) end
    return false, table.concat(parts, "; ")
  end
  return true, "printed " .. set_string(printed)
end

-- every_port_probed: the client sent a SYN to each port from 1 to 1024.
function every_port_probed(ctx)
  local seen, count = {}, 0
  local filter = "tcp.flags.syn == 1 && tcp.flags.ack == 0 && ip.src == " .. CLIENT
  for p in ctx.packets(filter) do
    local port = tonumber(p["tcp.dstport"])
    if port and port >= 1 and port <= 1024 and not seen[port] then
      seen[port] = true
      count = count + 1
    end
  end
  if count == 1024 then
    return true, "a SYN to each of the 1024 ports"
  end
  local first
  for port = 1, 1024 do
    if not seen[port] then first = port break end
  end
  return false, string.format("SYNs to %d of 1024 ports; none to port %d", count, first)
end
