local socket = require("socket")
local c = socket.connect(lab.args.host, lab.args.port
print("unreachable")
