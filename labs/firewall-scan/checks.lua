-- Lua checks of the firewall-scan lab. Each function gets the check context
-- (ctx.packets(filter) iterates over the captured packets a display filter
-- matches, ctx.output is what the submission printed) and returns ok, message.

-- What lab.yaml's services and firewall make of the target's ports 1-1024;
-- kept here, not in lab.args, so that a submission cannot read the answer.
local OPEN = {22, 80, 443}
local FILTERED = {23, 135, 136, 137, 138, 139, 445}
local CLIENT = "10.0.0.10"

local function set_of(list)
  local s = {}
  for _, p in ipairs(list) do s[p] = true end
  return s
end

local function set_string(set)
  local list = {}
  for port in pairs(set) do list[#list + 1] = port end
  table.sort(list)
  for i, port in ipairs(list) do list[i] = tostring(port) end
  return table.concat(list, ", ")
end

-- printed reads "PORT STATE" lines: a table port -> state, and the first
-- line that is not of that form.
local function printed(ctx)
  local states, bad = {}, nil
  for line in (ctx.output .. "\n"):gmatch("([^\n]*)\n") do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" then
      local port, state = line:match("^(%d+)%s+(%S+)$")
      if port then states[tonumber(port)] = state:lower() elseif not bad then bad = line end
    end
  end
  return states, bad
end

-- compare: the printed ports whose state is `state` are exactly `want`.
local function compare(ctx, state, want)
  local states, bad = printed(ctx)
  if bad then
    return false, string.format("a line that is not \"PORT STATE\": %q", bad)
  end
  want = set_of(want)
  local missing, wrong = {}, {}
  for port in pairs(want) do
    if states[port] ~= state then missing[port] = true end
  end
  for port, s in pairs(states) do
    if s == state and not want[port] then wrong[port] = true end
  end
  if next(missing) or next(wrong) then
    local parts = {}
    if next(missing) then parts[#parts + 1] = "not printed as " .. state .. ": " .. set_string(missing) end
    if next(wrong) then parts[#parts + 1] = "not " .. state .. ": " .. set_string(wrong) end
    return false, table.concat(parts, "; ")
  end
  return true, state .. ": " .. set_string(want)
end

function open_ports(ctx) return compare(ctx, "open", OPEN) end

function filtered_ports(ctx) return compare(ctx, "filtered", FILTERED) end

-- no_closed_ports: every printed port is open or filtered.
function no_closed_ports(ctx)
  local states, bad = printed(ctx)
  if bad then
    return false, string.format("a line that is not \"PORT STATE\": %q", bad)
  end
  local known = set_of(OPEN)
  for _, p in ipairs(FILTERED) do known[p] = true end
  local extra = {}
  for port in pairs(states) do
    if not known[port] then extra[port] = true end
  end
  if next(extra) then
    return false, "closed ports printed: " .. set_string(extra)
  end
  return true, "no closed port printed"
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
