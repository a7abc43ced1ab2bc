-- The lab's tester: a client for the student's server. Lab services only
-- listen, so the submission knocks on tester:9 once its server is listening;
-- for that knock, handle connects to server:7000 three times, one exchange each.
local socket = require("socket")

local SERVER, PORT = "server", 7000
-- Connect from the tester's own address, so the capture tells the two sides
-- apart (left alone, the kernel would pick the server's address as source).
local SOURCE = "10.0.0.60"

-- Each exchange: the lines sent in one go, and how many answers to read.
local exchanges = {
  {send = "hello, server\n", replies = 1},
  {send = "line one\nline two\n", replies = 2},
  {send = "MiXeD cAsE 123 !?\n", replies = 1},
}

local function exchange(ex)
  local conn, err = socket.connect(SERVER, PORT, SOURCE, 0)
  if not conn then return end
  conn:settimeout(2)
  conn:send(ex.send)
  for _ = 1, ex.replies do
    if not conn:receive("*l") then break end
  end
  conn:close()
end

function handle(conn)
  conn:settimeout(5)
  local line = conn:receive("*l")
  conn:close()
  if line ~= "ready" then return end
  for _, ex in ipairs(exchanges) do
    exchange(ex)
  end
end
