-- A service that defines the wrong function.
function serve(conn) conn:send("hello\n") end
