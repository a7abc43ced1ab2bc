local socket = require("socket")
local c = assert(socket.connect("www.example.com", 80))
c:send("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
print(c:receive("*l"))
lab.log("about to hang")
-- Backtracking inside a Go built-in (exponential in the pattern): it stops
-- at the deadline, and the parent's SIGKILL is there if it did not.
string.find(string.rep("a", 3000), string.rep("a-", 8) .. "b")
