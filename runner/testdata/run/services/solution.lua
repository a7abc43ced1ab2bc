local socket = require("socket")

local function get(name, host, port, path)
  local c = assert(socket.connect(host, port))
  c:settimeout(5)
  assert(c:send("GET " .. path .. " HTTP/1.1\r\nHost: " .. host .. "\r\nConnection: close\r\n\r\n"))
  print(name .. ": " .. assert(c:receive("*l")))
  c:close()
end
get("http", "www.example.com", 80, "/")
get("missing", "www.example.com", 80, "/missing")
get("teapot", "www.example.com", 80, "/teapot")
get("v6", "v6.example.com", 8080, "/")

local t = assert(socket.connect("echo.example.com", 7))
t:settimeout(5)
t:send("hello tcp\n")
print("tcp-echo: " .. assert(t:receive("*l")))
t:close()

local u = assert(socket.udp())
u:settimeout(5)
assert(u:setpeername("echo.example.com", 7))
u:send("hello udp")
print("udp-echo: " .. assert(u:receive()))
u:close()

local f = assert(socket.connect("ftp.example.com", 21))
f:settimeout(5)
print((assert(f:receive("*l"))))
for _, line in ipairs({"USER anonymous", "PASS secret", "HELO"}) do
  f:send(line .. "\r\n")
  print((assert(f:receive("*l"))))
end
f:close()
