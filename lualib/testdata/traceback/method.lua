-- A misspelt method of a socket, called from a local function.
local socket = require("socket")
local function fetch()
  local c = socket.tcp()
  return c:recieve("*l")
end
fetch()
