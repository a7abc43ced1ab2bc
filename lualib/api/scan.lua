---@meta scan

---Port scanning: TCP connect scans and UDP scans of one host.
---
---Hosts are names from the lab's `hosts`, `localhost` or literal addresses.
---Probes leave from the lab's own address. Argument mistakes raise an error;
---a host that does not resolve returns `nil, "host not found"`.
---@class scanlib
scan = {}

---A port list: `"1-1024,8080"` (ranges and single ports, comma-separated),
---a single port number, or an array of port numbers.
---@alias scan.ports string|integer|integer[]

---@class scan.options
---@field timeout? number seconds to wait for an answer on one port (default 1)
---@field concurrency? integer ports probed at once (default 512)
---@field retries? integer extra attempts on a port that stayed silent (default: 0 for TCP, 1 for UDP)

---@class scan.udp_options: scan.options
---@field payload? string datagram to send (default: a DNS or NTP request on ports 53 and 123, else empty)

---@class scan.result
---@field port integer
---@field state "open"|"closed"|"filtered"|"open|filtered"
---@field rtt number seconds from the probe to the answer (the timeout when none came)

---TCP connect scan: `open` when the handshake completes, `closed` when the
---host resets the connection, `filtered` when nothing answers in time.
---
---```lua
---for _, r in ipairs(scan.tcp("www.example.com", "20-25,80")) do
---  print(r.port, r.state, string.format("%.3f ms", r.rtt * 1000))
---end
---```
---@param host string
---@param ports scan.ports
---@param opts? scan.options
---@return scan.result[]|nil results sorted by port
---@return string? err
function scan.tcp(host, ports, opts) end

---TCP connect scan returning only the open ports, sorted.
---
---```lua
---print(table.concat(scan.open("127.0.0.1", "1-65535"), ","))
---```
---@param host string
---@param ports scan.ports
---@param opts? scan.options
---@return integer[]|nil open
---@return string? err
function scan.open(host, ports, opts) end

---UDP scan: `open` when a reply comes back, `closed` on ICMP port
---unreachable, `open|filtered` when every attempt met silence, `filtered` on
---another ICMP unreachable.
---
---```lua
---for _, r in ipairs(scan.udp("10.0.0.53", {53, 123, 161}, {timeout = 0.5})) do
---  print(r.port, r.state)
---end
---```
---@param host string
---@param ports scan.ports
---@param opts? scan.udp_options
---@return scan.result[]|nil results sorted by port
---@return string? err
function scan.udp(host, ports, opts) end

return scan
