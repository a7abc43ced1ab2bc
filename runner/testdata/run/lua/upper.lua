-- A line service: answers each line in upper case until the client closes.
-- For UDP, conn:receive() is the datagram and conn:send answers its sender.
function handle(conn)
  while true do
    local line = conn:receive()
    if not line then return end
    print("got " .. line)
    conn:send(string.upper(line) .. "\n")
  end
end
