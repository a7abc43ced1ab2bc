-- An anonymous function is named by where it was defined.
local handlers = {}
handlers[1] = function(msg) return "got " .. msg end
local function dispatch(i, msg) return handlers[i](msg) end
dispatch(1, nil)
