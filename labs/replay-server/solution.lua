-- Reference solution for the replay-server lab: fetch / and print the body.
local socket = require("socket")

local host, port = lab.args.host, lab.args.port

local conn = assert(socket.connect(host, port))
conn:settimeout(5)
-- A replay answers the request it recorded, so send exactly that one.
assert(conn:send("GET / HTTP/1.1\r\nHost: " .. host .. "\r\nConnection: close\r\n\r\n"))

-- Status line and headers end at the first empty line.
local status = assert(conn:receive("*l"))
local length
while true do
  local line = assert(conn:receive("*l"))
  if line == "" then break end
  local n = line:match("^[Cc]ontent%-[Ll]ength:%s*(%d+)")
  if n then length = tonumber(n) end
end

-- The body: Content-Length bytes when the server says how many, else up to
-- the close.
local body, err, partial
if length then
  body, err, partial = conn:receive(length)
else
  body, err, partial = conn:receive("*a")
end
conn:close()
print(body or partial)
