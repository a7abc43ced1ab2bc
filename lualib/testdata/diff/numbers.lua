-- numbers as print and tostring show them (%.14g), and math.huge.
print(1/3, 100/7, 2^53, 1e15, 1e16, 0.1, -0.5, 42, 3.0, 1e100, 2^63, -2^31)
print(math.huge, -math.huge, math.huge > 2^1023, 1/0 == math.huge)
print(tostring(1/3), tostring(2^53), tostring(math.huge), tostring(12))
print(tostring(nil), tostring(true), tostring("s"), type(tostring({})))
print(tostring(setmetatable({}, {__tostring = function() return "custom" end})))
print(pcall(tostring))
print(math.pi, -math.pi, math.sqrt(2))
print(tonumber("0x10"), tonumber("  12  "), tonumber("z", 36), tonumber("10", 2))
