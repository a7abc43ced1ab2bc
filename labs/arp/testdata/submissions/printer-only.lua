-- Asks for the printer only, and never for the others.
local socket = require("socket")
local h = assert(capture.start{filter = "arp"})
local udp = assert(socket.udp())
local addr = lab.host("printer")
assert(udp:sendto("who are you?", addr, 9))
local reply = h:wait("arp.opcode == 2 && arp.src.proto_ipv4 == " .. addr, 2)
print("printer " .. addr .. " is at " .. (reply and reply["arp.src.hw_mac"] or "(no answer)"))
