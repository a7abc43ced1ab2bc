-- Partial: prints the whole status line where only the code is asked for.
local capture = require("capture")

local reader = assert(capture.open(lab.args.capture))
local syn, synack, ack
for p in reader:packets("tcp.flags.syn == 1 && tcp.flags.ack == 0") do syn = syn or p.number end
for p in reader:packets("tcp.flags.syn == 1 && tcp.flags.ack == 1") do synack = synack or p.number end
for p in reader:packets("tcp.flags.ack == 1 && tcp.flags.syn == 0 && tcp.len == 0") do ack = ack or p.number end
print(string.format("handshake: %d %d %d", syn, synack, ack))
for p in reader:packets("http.response") do
  print("status: " .. p["http.response.version"] .. " " .. p["http.response.code"] .. " " .. p["http.response.phrase"])
  print("size: " .. p["http.content_length"])
end
