---@meta banner

---Banner grabbing: connect, optionally send a probe, and read what the
---service says.
---@class bannerlib
banner = {}

---@class banner.options
---@field timeout? number seconds for the whole grab: connect, send and read (default 2)
---@field bytes? integer most bytes to read (default 1024, at most 1048576)
---@field send? string written first, for services that wait to be spoken to, e.g. "HEAD / HTTP/1.0\r\n\r\n"
---@field lines? integer stop after this many lines
---@field idle? number stop once data arrived and nothing more came for this many seconds (default 0.25)

---@class banner.all_options: banner.options
---@field concurrency? integer grabs at once (default 64)

---Grab the banner of one port. The text comes as received, line endings
---included. On failure returns `nil` and LuaSocket's error string:
---`"timeout"` (nothing said in time), `"closed"` (closed without a word),
---`"connection refused"`, `"host not found"`.
---
---```lua
---local b, err = banner.grab("www.example.com", 22, {lines = 1})
---print(b or err)                 --> SSH-2.0-OpenSSH_9.2p1 Debian-2
---print(banner.grab("www.example.com", 80, {send = "HEAD / HTTP/1.0\r\n\r\n", lines = 1}))
---```
---@param host string
---@param port integer
---@param opts? banner.options
---@return string|nil banner
---@return string? err
function banner.grab(host, port, opts) end

---Grab the banners of several ports at once. Ports that said nothing are
---absent from the result.
---
---```lua
---for port, text in pairs(banner.grab_all("127.0.0.1", "21,22,25,80", {lines = 1})) do
---  print(port, text)
---end
---```
---@param host string
---@param ports string|integer|integer[] as for scan.tcp
---@param opts? banner.all_options
---@return table<integer, string>|nil banners by port
---@return string? err
function banner.grab_all(host, ports, opts) end

return banner
