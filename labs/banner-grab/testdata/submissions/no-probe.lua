-- Partial: reads a greeting from every port, including 80 — but a web server
-- says nothing until asked, so the read on port 80 times out.
local socket = require("socket")

for _, port in ipairs({21, 22, 25, 80}) do
  local conn, err = socket.connect(lab.args.host, port)
  if conn then
    conn:settimeout(1)
    local line, rerr = conn:receive("*l")
    print(port .. ": " .. (line or ("error: " .. rerr)))
    conn:close()
  else
    print(port .. ": error: " .. err)
  end
end
