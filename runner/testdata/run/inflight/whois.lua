-- A whois server: one question a line, one answer a line, until the client
-- closes; each answer takes some work.
function handle(conn)
  while true do
    local line = conn:receive("*l")
    if not line then return end
    local sum = 0
    for i = 1, 200000 do sum = (sum + i * #line) % 65521 end
    conn:send(line .. " is registered (" .. sum .. ")\n")
  end
end
