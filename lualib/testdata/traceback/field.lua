-- An index on a missing field, three calls down.
local function helper(t)
  return t.x.y
end
function process(list)
  for i, v in ipairs(list) do
    helper(v)
  end
end
process({{x = {y = 1}}, {}})
