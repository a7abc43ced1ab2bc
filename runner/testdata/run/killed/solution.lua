local socket = require("socket")
local c = assert(socket.connect("www.example.com", 80))
c:send("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
print(c:receive("*l"))
lab.log("about to hang")
-- Backtracking inside a Go built-in: the Lua deadline cannot stop it, the
-- parent's SIGKILL does.
string.find(string.rep("a", 3e4), string.rep("a?", 3e4) .. string.rep("a", 3e4))
