-- Partial: stops after the first port.
local socket = require("socket")

local conn = assert(socket.connect(lab.args.host, 21))
conn:settimeout(3)
print("21: " .. conn:receive("*l"))
conn:close()
