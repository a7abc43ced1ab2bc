-- Wrong: connects and waits for the page without asking for it. A replay
-- waits for the client's turn first, so nothing comes and the read times out.
local socket = require("socket")

local conn = assert(socket.connect(lab.args.host, lab.args.port))
conn:settimeout(1)
local response, err = conn:receive("*a")
conn:close()
print(response or ("error: " .. err))
