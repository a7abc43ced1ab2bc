local socket = require("socket")
local c = assert(socket.connect("www.example.com", 80))
c:close()
print("inside: ok")
for _, addr in ipairs({"192.0.2.1", "8.8.8.8", "10.0.1.99", "2001:db8::1"}) do
  local s, err = socket.connect(addr, 80)
  if s then
    print(addr .. ": connected!")
    s:close()
  elseif tostring(err):find("unreachable") then
    print(addr .. ": unreachable")
  else
    print(addr .. ": " .. tostring(err))
  end
end
local u = socket.udp()
local ok, err = u:sendto("leak?", "8.8.8.8", 53)
if ok then print("udp 8.8.8.8: sent!") elseif tostring(err):find("unreachable") then print("udp 8.8.8.8: unreachable") else print("udp 8.8.8.8: " .. tostring(err)) end
local ip, err = socket.dns.toip("example.org")
print("example.org: " .. tostring(ip or err))
