function run(target)
  local c = assert(target:connect())
  c:settimeout(5)
  c:send("watching\n")
  assert(c:receive("*l") == "WATCHING")
  c:close()
end
