-- Reference solution for the capture-analysis lab: read a recorded HTTP fetch
-- and report the handshake's frames, the status code and the response's size.
local capture = require("capture")

local reader = assert(capture.open(lab.args.capture))

-- The handshake: the first SYN, then the SYN/ACK and the ACK of the same stream.
local syn, synack, ack
for p in reader:packets("tcp") do
  local stream = p["tcp.stream"]
  if not syn then
    if p:matches("tcp.flags.syn == 1 && tcp.flags.ack == 0") then syn = p end
  elseif stream == syn["tcp.stream"] then
    if not synack and p:matches("tcp.flags.syn == 1 && tcp.flags.ack == 1") then
      synack = p
    elseif synack and not ack and p:matches("tcp.flags.syn == 0 && tcp.flags.ack == 1 && tcp.len == 0") then
      ack = p
    end
  end
end
assert(syn and synack and ack, "no complete handshake in the capture")
print(string.format("handshake: %d %d %d", syn.number, synack.number, ack.number))

-- The response: the frame that carries its status line and headers.
local code, size
for p in reader:packets("http.response") do
  code = p["http.response.code"]
  size = p["http.content_length"]
  break
end
print("status: " .. tostring(code))
print("size: " .. tostring(size))
