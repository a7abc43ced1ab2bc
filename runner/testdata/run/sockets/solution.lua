local socket = require("socket")
local keep = {}
while true do
  local c = socket.connect("www.example.com", 7)
  if c then keep[#keep + 1] = c end
  local u = socket.udp()
  if u then keep[#keep + 1] = u end
end
