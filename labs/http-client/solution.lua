-- Reference solution for the http-client lab: fetch / from www.yahoo.com with a
-- raw TCP socket and print the status line.
local socket = require("socket")

local host = lab.args.host or "www.yahoo.com"
local port = lab.args.port or 80

local conn = assert(socket.connect(host, port))
conn:settimeout(5)

-- HTTP/1.1 requires a Host header. "Connection: close" asks the server to close
-- after its answer, so reading with "*a" returns once the whole response is in.
local request = "GET / HTTP/1.1\r\n" ..
                "Host: " .. host .. "\r\n" ..
                "Connection: close\r\n" ..
                "\r\n"
assert(conn:send(request))

local status, err = conn:receive("*l")   -- the status line, line ending dropped
if not status then
  error("reading the status line: " .. err)
end
print(status)

-- Read the rest (headers and body) so that nothing unread is left in the socket:
-- closing a socket with unread data makes the kernel answer with RST, not FIN.
local rest, err2, partial = conn:receive("*a")
conn:close()
