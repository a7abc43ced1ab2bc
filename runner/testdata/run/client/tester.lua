-- Two connections, one line each; fails unless both come back upper-cased.
function run(target)
  assert(target.host == "server" and target.port == 7000, "target " .. tostring(target.host))
  for i = 1, 2 do
    local c = assert(target:connect())
    c:settimeout(5)
    assert(c:send("ping " .. i .. "\n"))
    local line, err = c:receive("*l")
    if line ~= "PING " .. i then return false, "answer " .. tostring(line or err) end
    c:close()
  end
  lab.log("tester done")
end
