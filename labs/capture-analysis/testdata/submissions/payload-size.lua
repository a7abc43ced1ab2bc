-- Partial: counts every byte the server sent (tcp.len), headers included,
-- instead of the response's Content-Length.
local capture = require("capture")

local reader = assert(capture.open(lab.args.capture))
local numbers = {}
for p in reader:packets("tcp.flags.syn == 1 || (tcp.flags.ack == 1 && tcp.len == 0 && tcp.seq == 1 && tcp.ack == 1)") do
  if #numbers < 3 then numbers[#numbers + 1] = p.number end
end
print("handshake: " .. table.concat(numbers, " "))

local size = 0
for p in reader:packets("http.response") do
  print("status: " .. p["http.response.code"])
end
for p in reader:packets("tcp.srcport == 80") do
  size = size + p["tcp.len"]
end
print("size: " .. size)
