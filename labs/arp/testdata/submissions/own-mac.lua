-- Takes the first ARP packet after each datagram: that is its own request,
-- so it prints its own MAC address for everyone, and 10.0.0.99 "answers".
local socket = require("socket")
local h = assert(capture.start{filter = "arp"})
local udp = assert(socket.udp())
local function ask(addr)
  assert(udp:sendto("who are you?", addr, 9))
  local p = h:wait(nil, 2)
  return p and p["arp.src.hw_mac"]
end
for _, name in ipairs(lab.args.hosts) do
  local addr = lab.host(name)
  print(name .. " " .. addr .. " is at " .. (ask(addr) or "(no answer)"))
end
local mac = ask(lab.args.silent)
print(lab.args.silent .. (mac and (" is at " .. mac) or " does not answer"))
