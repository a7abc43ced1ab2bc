-- Reference solution for the banner-grab lab: read the greeting of the FTP, SSH
-- and SMTP servers, probe the web server, print "port: banner" for each.
local socket = require("socket")

local host = lab.args.host

-- greeting returns the first line a server sends on connect, without its line
-- ending, or nil and an error.
local function greeting(port)
  local conn, err = socket.connect(host, port)
  if not conn then return nil, err end
  conn:settimeout(3)
  local line, rerr = conn:receive("*l")
  conn:close()
  return line, rerr
end

-- server_header sends an HTTP/1.0 HEAD request (the server closes after
-- answering) and returns the value of the Server header.
local function server_header(port)
  local conn, err = socket.connect(host, port)
  if not conn then return nil, err end
  conn:settimeout(3)
  conn:send("HEAD / HTTP/1.0\r\n\r\n")
  local answer, rerr, partial = conn:receive("*a")
  conn:close()
  answer = answer or partial or ""
  local server = answer:match("\n[Ss]erver:%s*([^\r\n]*)")
  if not server then return nil, rerr or "no Server header" end
  return server
end

for _, port in ipairs({21, 22, 25}) do
  local banner, err = greeting(port)
  print(port .. ": " .. (banner or ("error: " .. err)))
end
local server, err = server_header(80)
print("80: " .. (server or ("error: " .. err)))
