-- The lab's tester for the student's UDP server. The runner calls run(target)
-- once the submission has started; target:connect() waits until a UDP socket
-- is bound to server:7000 and returns a UDP socket connected to it (from the
-- tester's host, on a fresh port each time). When run returns, the lab is
-- done: the submission is stopped and graded.

local requests = {"hello, server", "second datagram", "MiXeD cAsE 123 !?"}

function run(target)
  for i, text in ipairs(requests) do
    local u, err = target:connect()
    if not u then
      return false, string.format("datagram %d: %s", i, err)
    end
    u:settimeout(3)
    u:send(text)
    local reply, rerr = u:receive()
    local _, port = u:getsockname()
    if reply then
      lab.log(string.format("datagram %d from port %d: answered %q", i, port, reply))
      lab.check("answered " .. i, reply == string.upper(text), string.format("port %d got %q", port, reply))
    else
      lab.log(string.format("datagram %d from port %d: no answer (%s)", i, port, rerr))
      lab.check("answered " .. i, false, string.format("port %d: %s", port, rerr))
    end
    u:close()
  end
end
