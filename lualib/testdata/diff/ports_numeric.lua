-- Ports and numeric hosts as getaddrinfo reads them for connect and bind: a
-- port is the whole string in decimal (a Lua number arrives formatted, so
-- 80.5 is "80.5", not port 80), blanks and a sign before it allowed, modulo
-- 65536, a negative C int a service name; a numeric IPv4 host may be any
-- inet_aton form ("127.1", "2130706433", "0x7f.1"), and toip looks such a host
-- up backwards (gethostbyaddr). Only ports that resolve to 0 or are refused
-- before anything is sent, and only 127.0.0.1 (which /etc/hosts names): no
-- lookup leaves the machine.
local socket = require("socket")

-- A port nobody listens on, held by a bound master for the whole program: the
-- differential programs run in parallel, and a closed listener's port could be
-- taken by another one before the connects.
local function closedport()
  local h = socket.tcp()
  assert(h:bind("127.0.0.1", 0))
  local _, p = h:getsockname()
  return p, h
end

local function result(s, err)
  if s then
    local _, p = s:getsockname()
    s:close()
    return "socket", p ~= "0" and p ~= 0 and "on a port" or "on port 0"
  end
  return s, err
end

for _, p in ipairs({80.5, "80.5", "1e2", "0x50", "80 ", "-80", "4294967295", "2147483648",
                    "65536", "4294967296", " 0", "+0", "-0", "\t0", "", "0"}) do
  local c = socket.tcp()
  print("connect", string.format("%q", tostring(p)), c:connect("127.0.0.1", p))
  c:close()
  print("socket.connect", string.format("%q", tostring(p)), result(socket.connect("127.0.0.1", p)))
  print("bind", string.format("%q", tostring(p)), result(socket.bind("127.0.0.1", p)))
  local u = socket.udp()
  print("udp setpeername", string.format("%q", tostring(p)), u:setpeername("127.0.0.1", p))
  u:close()
end
print("bind 0.5", result(socket.bind("127.0.0.1", 0.5)))

local closed, holder = closedport()
for _, h in ipairs({"127.0.0.1", "127.1", "127.0.1", "0x7f.1", "0X7F.0.0.1", "0177.0.0.1",
                    "2130706433", "0x7f000001", "017700000001"}) do
  print("connect", h, socket.connect(h, closed))
  print("bind", h, result(socket.bind(h, 0)))
  local ip, info = socket.dns.toip(h)
  print("toip", h, ip, info and info.name, info and info.ip[1])
  local names = socket.dns.getnameinfo(h)
  print("getnameinfo", h, names and names[1])
  local ai = socket.dns.getaddrinfo(h)
  print("getaddrinfo", h, ai and ai[1].family, ai and ai[1].addr)
end
print("toip with a blank", socket.dns.toip("127.0.0.1 and the rest"))
