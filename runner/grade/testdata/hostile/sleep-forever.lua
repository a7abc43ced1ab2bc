-- Sleeps far past the deadline.
local socket = require("socket")
socket.sleep(1e9)
