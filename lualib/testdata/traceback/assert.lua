-- assert with a message, inside a method.
local Conn = {}
Conn.__index = Conn
function Conn:open(port)
  assert(type(port) == "number", "port must be a number")
end
setmetatable({}, Conn):open("80")
