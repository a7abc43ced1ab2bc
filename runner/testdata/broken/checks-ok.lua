function good(ctx)
  return true, "ok"
end
assigned = function(ctx) return true end
local function helper() end
function lib.util() end
