-- A name server that takes its time: each answer is built with some work,
-- so a client that sends its query and leaves is gone before the answer is.
function handle(conn)
  local q = conn:receive()
  local sum = 0
  for i = 1, 200000 do sum = (sum + i * #q) % 65521 end
  conn:send("answer " .. sum .. " to " .. q)
end
