-- copas (Debian's lua-copas 1.1, with coxpcall) serving three concurrent
-- clients: coroutines that yield inside copas' protected calls.
local copas = require("copas")
local socket = require("socket")
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local log = {}
copas.addserver(server, function(c)
  c = copas.wrap(c)
  while true do
    local line = c:receive("*l")
    if not line then break end
    c:send(line:upper() .. "\n")
  end
end)
local done = 0
for i = 1, 3 do
  copas.addthread(function()
    local s = socket.tcp()
    assert(copas.connect(s, "127.0.0.1", port))
    local c = copas.wrap(s)
    for j = 1, 2 do
      c:send("client " .. i .. " line " .. j .. "\n")
      local l, e = c:receive("*l"); log[#log + 1] = l or ("error " .. tostring(e))
    end
    s:close()
    done = done + 1
  end)
end
while done < 3 do copas.step(0.05) end
table.sort(log)
for _, l in ipairs(log) do print(l) end
print("done", done)
local ok, err = copcall(function() coroutine.yield() end)
print("copcall outside copas", ok)
print(copcall(error, "x"))
