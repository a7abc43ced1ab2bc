-- A client service whose top level never returns.
function run(target) return true end
while true do end
