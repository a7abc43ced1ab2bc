-- socket.dns.getnameinfo as LuaSocket 3.1 has it: a table of names (empty
-- without a host) and the service's name from /etc/services, glibc's reading
-- of a numeric service, and its errors. Only names /etc/hosts answers for
-- (no lookup leaves the machine).
local socket = require("socket")
local function show(...)
  local n, t, out = select("#", ...), {...}, {}
  for i = 1, n do
    local v = t[i]
    if type(v) == "table" then
      local parts = {}
      for _, x in ipairs(v) do parts[#parts + 1] = tostring(x) end
      out[#out + 1] = "{" .. table.concat(parts, ",") .. "}"
    else
      out[#out + 1] = tostring(v)
    end
  end
  print(n, table.concat(out, " | "))
end
local gni = socket.dns.getnameinfo
show(pcall(gni, "127.0.0.1"))
show(pcall(gni, "127.0.0.1", 80))
show(pcall(gni, "127.0.0.1", "http"))
show(pcall(gni, "localhost", 22))
show(pcall(gni, nil, 53))
show(pcall(gni, nil, 12345))
show(pcall(gni, nil, "smtp"))
show(pcall(gni, nil, "www"))
show(pcall(gni, nil, "HTTP"))
show(pcall(gni, nil, "nosuch"))
show(pcall(gni))
show(pcall(gni, nil, nil))
show(pcall(gni, "*"))
show(pcall(gni, "", 80))
show(pcall(gni, "*", "nosuch"))
show(pcall(gni, {}, 80))
show(pcall(gni, "127.0.0.1", {}))
show(pcall(gni, "0.0.0.0", 1))
for _, s in ipairs{"", " 80", "+80", "-0", "-1", "-65456", "4294967376",
    "99999999999999999999", "\t22", "80 ", "  ", 70000, 0, -1, 80.5} do
  show(string.format("%q", tostring(s)), gni(nil, s))
end
print(select("#", gni("127.0.0.1")), select("#", gni(nil, 80)))
