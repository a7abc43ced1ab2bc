-- The lab's client for the student's server. The runner calls run(target)
-- once the submission has started; target:connect() connects to server:7000
-- from the tester's host, retrying while the server is not listening yet.
-- When run returns, the lab is done: the submission is stopped and graded.

-- Each exchange: the lines sent in one go, and how many answers to read.
local exchanges = {
  {send = "hello, server\n", replies = 1},
  {send = "line one\nline two\n", replies = 2},
  {send = "MiXeD cAsE 123 !?\n", replies = 1},
}

function run(target)
  for i, ex in ipairs(exchanges) do
    local conn, err = target:connect()
    if not conn then
      return false, string.format("connection %d: %s", i, err)
    end
    conn:settimeout(2)
    conn:send(ex.send)
    for _ = 1, ex.replies do
      local line, rerr = conn:receive("*l")
      if not line then
        print(string.format("connection %d: no answer (%s)", i, rerr))
        break
      end
      print(string.format("connection %d: %q", i, line))
    end
    conn:close()
  end
end
