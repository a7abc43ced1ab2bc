-- Wrong: grabs the right banners but prints them in its own format
-- ("port 21 -> ..."), so no output check recognises them.
local socket = require("socket")

for _, port in ipairs({21, 22, 25}) do
  local conn = assert(socket.connect(lab.args.host, port))
  conn:settimeout(3)
  print("port " .. port .. " -> " .. tostring(conn:receive("*l")))
  conn:close()
end
local conn = assert(socket.connect(lab.args.host, 80))
conn:settimeout(3)
conn:send("HEAD / HTTP/1.0\r\n\r\n")
local answer = conn:receive("*a") or ""
print("port 80 -> " .. (answer:match("[Ss]erver: ([^\r\n]*)") or "?"))
conn:close()
