-- The LuaSocket tutorial's way: socket.http does the request, the headers and
-- the reading; it sends GET / with a Host header and closes when done.
local http = require("socket.http")

local body, code, headers, status = http.request("http://" .. lab.args.host .. "/")
if not body then error("request failed: " .. code) end
print(status)
