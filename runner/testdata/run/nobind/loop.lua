-- A service whose top level never returns.
function handle(conn) conn:send("hello\n") end
while true do end
