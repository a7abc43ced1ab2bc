-- Opens connections until the socket limit refuses more, and holds them all.
local socket = require("socket")
local held = {}
for i = 1, 100000 do
  local c, err = socket.connect(lab.args.host, lab.args.port)
  if not c then error("connection " .. i .. ": " .. tostring(err)) end
  held[#held + 1] = c
end
