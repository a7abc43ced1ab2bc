---@meta capture

---Packet capture from Lua: live captures on the lab network and capture
---files in the lab's folder. Packets carry the packet engine's fields, named
---as in Wireshark (`tcp.dstport`, `http.request.uri`, ...); filters are
---Wireshark display filters, or pcap-filter syntax for `capture.start`.
---A filter that does not compile raises an error showing the filter with a
---caret under the problem.
---@class capturelib
capture = {}

---One captured packet. Besides the properties below, `p["field.name"]` is
---the field's first occurrence, as `p:field(name)` gives it.
---@class capture.packet
---@field number integer frame number, from 1
---@field time number seconds since the first packet of the capture
---@field len integer length on the wire
---@field summary string tshark's one-line summary: number, time, source → destination, protocol, length, info
---@field line string the same as summary (the name lua checks in lab.yaml first used)
---@field info string the Info column
---@field src string the Source column
---@field dst string the Destination column
---@field protocol string the Protocol column
---@field layers string[] protocols, outermost first (frame.protocols): {"eth", "ethertype", "ip", "tcp", "http"}
---@field payload string the TCP or UDP payload (or undecoded data) as raw bytes; "" when none
---@field [string] any a field's first occurrence
local packet = {}

---The first occurrence of a field: a number for numeric fields (booleans
---such as `tcp.flags.syn` as 0 or 1, as display filters compare them),
---`true` for a protocol or a marker such as `http.request`, the text of a
---string field, and Wireshark's notation for addresses and bytes
---(`"10.0.0.80"`, `"47:45:54"`). `nil` when the packet lacks the field; an
---unknown field name raises an error.
---
---```lua
---if p:field("tcp.flags.syn") == 1 then print("SYN to port", p:field("tcp.dstport")) end
---```
---@param name string
---@return any
function packet:field(name) end

---Every occurrence of a field, in order (`{40000, 80}` for `tcp.port`).
---
---```lua
---for _, port in ipairs(p:fields("tcp.port")) do print(port) end
---```
---@param name string
---@return any[]
function packet:fields(name) end

---The same as packet:fields (the name lua checks in lab.yaml first used).
---@param name string
---@return any[]
function packet:values(name) end

---Whether the packet matches a display filter.
---
---```lua
---if p:matches('http.request.method == "GET"') then print(p["http.request.uri"]) end
---```
---@param filter string
---@return boolean
function packet:matches(filter) end

---A live capture started by capture.start.
---@class capture.live
local live = {}

---The next packet that matches the display filter (any packet when nil),
---waiting for it up to `timeout` seconds (default 5). The handle has a
---cursor: the first wait looks from the start of the capture, each later one
---from just after the packet the previous wait returned, so successive waits
---return successive matches (a timeout moves nothing; `h:packets` still has
---every packet). Returns `nil, "timeout"`, or `nil, "closed"` once the capture
---is stopped and every packet has been looked at.
---
---```lua
---local h = capture.start{filter = "tcp port 80"}
---local c = socket.connect("www.example.com", 80)
---local synack = h:wait("tcp.flags.syn == 1 && tcp.flags.ack == 1", 2)
---print(synack and synack.summary or "no answer")
---```
---@param filter? string display filter
---@param timeout? number seconds
---@return capture.packet|nil
---@return string? err
function live:wait(filter, timeout) end

---The packets captured so far that match the display filter (all when nil).
---
---```lua
---print(#h:packets("tcp.flags.reset == 1") .. " resets so far")
---```
---@param filter? string display filter
---@return capture.packet[]
function live:packets(filter) end

---Stop capturing (after reading what the kernel already queued) and return
---every packet captured.
---
---```lua
---for _, p in ipairs(h:stop()) do print(p.summary) end
---```
---@return capture.packet[]
function live:stop() end

---Stop capturing at once; the packets stay readable.
---@return 1
function live:close() end

---Packets kept, and packets dropped (by the kernel, or over the capture's
---memory limit of 200000 packets).
---@return integer kept
---@return integer dropped
function live:stats() end

---A capture file opened by capture.open.
---@class capture.reader
local reader = {}

---An iterator over the file's packets that match the display filter (all
---when nil). Each call reads the file from the start.
---
---```lua
---local r = capture.open("handshake.pcapng")
---for p in r:packets("tcp.flags.syn == 1") do
---  print(p.number, p.src, "→", p.dst, p["tcp.dstport"])
---end
---```
---@param filter? string display filter
---@return fun(): capture.packet|nil
function reader:packets(filter) end

---Release the file (iterations in progress end).
---@return 1
function reader:close() end

---@class capture.start_options
---@field filter? string capture filter in pcap-filter syntax: "tcp port 80", "host 10.0.0.80 and not arp"
---@field interface? string interface to capture on (default "lo")
---@field snaplen? integer most bytes kept of each packet (default: all)

---Start a live capture. Packets sent after it returns are captured. Needs the
---right to capture (root, or CAP_NET_RAW, as inside a lab); on failure
---returns `nil, message`. Captures still running when the script ends are
---closed.
---
---```lua
---local h = assert(capture.start{filter = "tcp port 22"})
---print(banner.grab("127.0.0.1", 22, {lines = 1}))
---print(#h:stop() .. " packets")
---```
---@param opts? capture.start_options
---@return capture.live|nil
---@return string? err
function capture.start(opts) end

---Open a pcap or pcapng file in the lab's folder (or the submission's).
---A path leading outside them raises an error; a missing or unreadable file
---returns `nil, message`.
---
---```lua
---local r = assert(capture.open("expected.pcapng"))
---for p in r:packets("http.request") do print(p["http.request.uri"]) end
---```
---@param path string
---@return capture.reader|nil
---@return string? err
function capture.open(path) end

return capture
