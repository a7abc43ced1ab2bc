-- Reference solution for the arp lab: a datagram to each address makes the
-- kernel ask ARP; the capture shows the question and the answer, whose
-- sender MAC address is the one we want.
local socket = require("socket")

local h = assert(capture.start{filter = "arp"})
local udp = assert(socket.udp())

-- ask sends addr a datagram (port 9, discard) and waits up to 2 s for the
-- ARP reply from addr; it returns the MAC address in it, or nil.
local function ask(addr)
  assert(udp:sendto("who are you?", addr, 9))
  local reply = h:wait("arp.opcode == 2 && arp.src.proto_ipv4 == " .. addr, 2)
  return reply and reply["arp.src.hw_mac"]
end

for _, name in ipairs(lab.args.hosts) do
  local addr = lab.host(name)
  print(name .. " " .. addr .. " is at " .. (ask(addr) or "(no answer)"))
end

local silent = lab.args.silent
local mac = ask(silent)
print(silent .. (mac and (" is at " .. mac) or " does not answer"))
