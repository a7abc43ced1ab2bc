-- getoption("error"): the pending socket error, nil when none.
local socket = require("socket")
local t = socket.tcp(); print(t:getfd() >= 0, t:getoption("error"))
local s = assert(socket.bind("127.0.0.1", 0)); print(s:getoption("error"))
local _, port = s:getsockname()
local c = assert(socket.connect("127.0.0.1", port)); print(c:getoption("error"))
local a = s:accept(); print(a:getoption("error"))
s:close()
-- A port nobody listens on and nobody else can take while the program runs (a
-- bound master holds it; the programs run in parallel, so a closed listener's
-- port could be reused by another one before the connect).
local h = socket.tcp(); assert(h:bind("127.0.0.1", 0)); local _, hport = h:getsockname()
local r = socket.tcp(); r:settimeout(0); print(r:connect("127.0.0.1", hport)); socket.sleep(0.1); print(r:getoption("error"))
local u = socket.udp(); print(pcall(u.getoption, u, "error"))
