-- Wrong: opens a file that is not in the lab's folder, and stops with an
-- error before printing anything.
local capture = require("capture")

local reader = assert(capture.open("capture.pcapng"))
for p in reader:packets() do
  print(p.number)
end
