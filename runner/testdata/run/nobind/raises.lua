-- A service whose top level raises before the service can listen.
local greeting = lab.args.greeting:upper()
function handle(conn) conn:send(greeting .. "\n") end
